/*
 * contract-rows.c — the failure rows of the contract that depend on the system's state, from C:
 * publish and subscribe before ocre_msg_system_init, a second init (only a warning), the
 * subscription table filling up, and the queue filling up. Meant for a system with
 * limits.maxSubscriptions = 4, a small queue and no subscriber for "rows/flood". Prints
 * `row <name>: <ret>` lines, then `done`, and returns from main.
 */
#include <stdio.h>
#include "messaging.h"

#define FLOOD_ATTEMPTS 100000

__attribute__((export_name("rows_handler")))
void rows_handler(ocre_msg_t *msg) {
    (void)msg;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    static char payload[] = "row";
    printf("row publish-before-init: %d\n",
           ocre_publish_message("rows/flood", "text/plain", payload, (int)sizeof(payload)));
    printf("row subscribe-before-init: %d\n", ocre_subscribe_message("rows/a", "rows_handler"));

    ocre_msg_system_init();
    ocre_msg_system_init();
    printf("row second-init: called\n");

    for (int i = 0; i < 5; i++) {
        char topic[32];
        snprintf(topic, sizeof(topic), "rows/topic-%d", i);
        printf("row subscribe-%d: %d\n", i, ocre_subscribe_message(topic, "rows_handler"));
    }

    int first_refused = -1;
    for (int i = 0; i < FLOOD_ATTEMPTS && first_refused < 0; i++) {
        if (ocre_publish_message("rows/flood", "text/plain", payload, (int)sizeof(payload)) != 0) {
            first_refused = i;
        }
    }
    printf("row queue-full-at: %d\n", first_refused);
    printf("done\n");
    return 0;
}
