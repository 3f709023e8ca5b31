/*
 * subscribe-twice.c — subscribes the same handler to the same topic twice (both calls must
 * return 0: subscribing is idempotent), prints "ready", then prints one line per message it
 * handles: each message must arrive once, not twice.
 */
#include <stdio.h>
#include "messaging.h"

__attribute__((export_name("twice_handler")))
void twice_handler(ocre_msg_t *msg) {
    printf("got %llu\n", (unsigned long long)msg->mid);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ocre_msg_system_init();
    printf("first: %d\n", ocre_subscribe_message("twice/in", "twice_handler"));
    printf("second: %d\n", ocre_subscribe_message("twice/in", "twice_handler"));
    printf("ready\n");
    while (1) {
        ocre_sleep(100);
    }
}
