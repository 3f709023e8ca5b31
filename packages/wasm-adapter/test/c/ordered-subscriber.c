/*
 * ordered-subscriber.c — prints "got <payload>" for every message on "order/in" (payloads are
 * NUL-terminated text), so the order and the count of deliveries show in its output. A payload
 * "trap" traps; "slow" spins for a while first, so the messages behind it pile up in flight.
 */
#include <stdio.h>
#include <string.h>
#include "messaging.h"

static volatile unsigned sink;

__attribute__((export_name("order_handler")))
void order_handler(ocre_msg_t *msg) {
    const char *text = (const char *)msg->payload;
    if (strcmp(text, "trap") == 0) {
        __builtin_trap();
    }
    if (strcmp(text, "slow") == 0) {
        for (unsigned i = 0; i < 30000000u; i++) {
            sink += i;
        }
    }
    printf("got %s\n", text);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ocre_msg_system_init();
    if (ocre_subscribe_message("order/in", "order_handler") != 0) {
        printf("subscribe failed\n");
        return 1;
    }
    printf("ready\n");
    while (1) {
        ocre_sleep(1000);
    }
}
