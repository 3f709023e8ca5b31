/*
 * trap-div-zero.c — the handler divides an integer by zero (a wasm trap, not a C signal).
 * Subscribes fault_handler to "fault/in", prints "ready", then sleeps forever, so the fault
 * happens on the first message delivered.
 */
#include <stdio.h>
#include "messaging.h"

/* Both volatile: with a constant numerator clang rewrites `1 / x` as a select that never
 * divides (division by zero being undefined in C), so neither operand may be known. */
static volatile int numerator = 42;
static volatile int zero = 0;

__attribute__((export_name("fault_handler")))
void fault_handler(ocre_msg_t *msg) {
    (void)msg;
    printf("trapping: integer divide by zero\n");
    printf("quotient: %d\n", numerator / zero);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ocre_msg_system_init();
    if (ocre_subscribe_message("fault/in", "fault_handler") != 0) {
        printf("subscribe failed\n");
        return 1;
    }
    printf("ready\n");
    while (1) ocre_sleep(100);
}
