/*
 * trap-in-main.c — main executes `unreachable` (__builtin_trap) before doing anything else, so
 * _start traps on its first call into user code.
 */
int main(void) {
    __builtin_trap();
}
