/*
 * hang-handler.c — the handler never returns: it spins on a volatile flag and never yields.
 * Subscribes fault_handler to "fault/in", prints "ready", then sleeps forever, so the fault
 * happens on the first message delivered.
 */
#include <stdio.h>
#include "messaging.h"

/* volatile so the loop is not proven infinite and removed or reduced to a bare trap. */
static volatile int spinning = 1;

__attribute__((export_name("fault_handler")))
void fault_handler(ocre_msg_t *msg) {
    (void)msg;
    printf("hanging in handler\n");
    while (spinning) {
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
