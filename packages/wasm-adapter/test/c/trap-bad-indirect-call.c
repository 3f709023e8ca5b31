/*
 * trap-bad-indirect-call.c — the handler calls through the function table with a wrong
 * signature (payload anything but "null") or through a null function pointer (payload "null").
 * Subscribes fault_handler to "fault/in", prints "ready", then sleeps forever, so the fault
 * happens on the first message delivered.
 */
#include <stdio.h>
#include <string.h>
#include "messaging.h"

static int unary(int x) {
    return x + 1;
}

__attribute__((export_name("fault_handler")))
void fault_handler(ocre_msg_t *msg) {
    if (msg->payload_len >= 4 && memcmp(msg->payload, "null", 4) == 0) {
        printf("trapping: call through a null function pointer\n");
        void (*volatile null_fn)(void) = 0;
        null_fn();
    } else {
        printf("trapping: indirect call signature mismatch\n");
        /* Laundered through volatile void * so the compiler neither warns nor devirtualises:
         * the call_indirect expects () -> () and finds (i32) -> i32. */
        void *volatile erased = (void *)unary;
        void (*wrong)(void) = (void (*)(void))erased;
        wrong();
    }
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
