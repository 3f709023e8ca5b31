/*
 * trap-on-message.c — the restart benchmark's victim: its handler on "bench/fault" executes
 * `unreachable`, so every message is a trap and a restart.
 */
#include "messaging.h"

__attribute__((export_name("fault_handler")))
void fault_handler(ocre_msg_t *msg) {
    (void)msg;
    __builtin_trap();
}

int main(void) {
    ocre_msg_system_init();
    if (ocre_subscribe_message("bench/fault", "fault_handler") != 0) return 1;
    while (1) ocre_sleep(1000);
}
