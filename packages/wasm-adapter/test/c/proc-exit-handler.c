/*
 * proc-exit-handler.c — the handler calls exit(3), which ends in WASI proc_exit(3).
 * Subscribes fault_handler to "fault/in", prints "ready", then sleeps forever, so the fault
 * happens on the first message delivered.
 */
#include <stdio.h>
#include <stdlib.h>
#include "messaging.h"

__attribute__((export_name("fault_handler")))
void fault_handler(ocre_msg_t *msg) {
    (void)msg;
    printf("exiting with status 3\n");
    exit(3);
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
