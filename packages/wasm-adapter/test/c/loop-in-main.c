/*
 * loop-in-main.c — main initialises messaging, subscribes fault_handler to "fault/in", prints
 * "spinning", then spins forever WITHOUT calling ocre_sleep: it never yields, so no message is
 * ever delivered and only a watchdog (or terminating its worker) can stop it.
 */
#include <stdio.h>
#include "messaging.h"

/* volatile so the spin is real work the compiler cannot remove or turn into a trap. */
static volatile unsigned long long spins;

__attribute__((export_name("fault_handler")))
void fault_handler(ocre_msg_t *msg) {
    /* Never reached: the container never yields for a delivery. */
    printf("fault_handler called for mid=%llu\n", msg->mid);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ocre_msg_system_init();
    if (ocre_subscribe_message("fault/in", "fault_handler") != 0) {
        printf("subscribe failed\n");
        return 1;
    }
    printf("spinning\n");
    while (1) {
        spins++;
    }
}
