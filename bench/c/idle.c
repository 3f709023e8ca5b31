/*
 * idle.c — an idle container for the memory benchmark: initialises messaging, subscribes one
 * handler to "bench/idle", then sleeps forever.
 */
#include "messaging.h"

__attribute__((export_name("idle_handler")))
void idle_handler(ocre_msg_t *msg) {
    (void)msg;
}

int main(void) {
    ocre_msg_system_init();
    if (ocre_subscribe_message("bench/idle", "idle_handler") != 0) return 1;
    while (1) ocre_sleep(1000);
}
