/*
 * counting-subscriber.c — keeps a count in a static variable: every message on "count/in" adds
 * one and prints "count=<n>", so a restart (which resets the count) shows in its output. main
 * publishes one "tick" per ocre_sleep(20) on "count/tick", so its own turns keep running too.
 */
#include <stdio.h>
#include "messaging.h"

static int count = 0;
static int ticks = 0;

__attribute__((export_name("count_handler")))
void count_handler(ocre_msg_t *msg) {
    (void)msg;
    count++;
    printf("count=%d ticks>0=%d\n", count, ticks > 0);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ocre_msg_system_init();
    if (ocre_subscribe_message("count/in", "count_handler") != 0) {
        printf("subscribe failed\n");
        return 1;
    }
    printf("ready\n");
    while (1) {
        ticks++;
        ocre_sleep(20);
    }
}
