/*
 * publish-loop-handler.c — the handler publishes in a tight loop and never returns or yields.
 * Its worker is terminated for the hang, quite possibly in the middle of a publish while it
 * holds the shared queue's lock: the host must free that lock or every later publish fails.
 */
#include <stdio.h>
#include <string.h>
#include "messaging.h"

__attribute__((export_name("fault_handler")))
void fault_handler(ocre_msg_t *msg) {
    (void)msg;
    char payload[] = "spam";
    printf("publishing forever\n");
    while (1) {
        ocre_publish_message("spam", "text/plain", payload, (int)strlen(payload) + 1);
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
