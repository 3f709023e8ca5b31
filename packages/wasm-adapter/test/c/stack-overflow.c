/*
 * stack-overflow.c — the handler recurses without bound until the stack is exhausted.
 * Subscribes fault_handler to "fault/in", prints "ready", then sleeps forever, so the fault
 * happens on the first message delivered.
 */
#include <stdio.h>
#include "messaging.h"

/* The volatile frame and the work after the call keep this from becoming a loop. */
static int recurse(int depth) {
    volatile char frame[256];
    frame[depth & 255] = (char)depth;
    if (depth < 0) {
        return 0; /* never taken; it keeps -Winfinite-recursion quiet */
    }
    return recurse(depth + 1) + frame[(depth + 1) & 255];
}

__attribute__((export_name("fault_handler")))
void fault_handler(ocre_msg_t *msg) {
    (void)msg;
    printf("recursing\n");
    printf("depth: %d\n", recurse(0));
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
