/*
 * malloc-bomb.c — the handler mallocs 1 MiB blocks (never freed) until malloc returns NULL,
 * prints how many it got, and returns normally.
 * Subscribes fault_handler to "fault/in", prints "ready", then sleeps forever, so the fault
 * happens on the first message delivered.
 */
#include <stdio.h>
#include <stdlib.h>
#include "messaging.h"

/* Each block is stored here so the compiler cannot prove the allocations unused and drop them. */
static char *volatile last_block;

__attribute__((export_name("fault_handler")))
void fault_handler(ocre_msg_t *msg) {
    (void)msg;
    int blocks = 0;
    while (1) {
        char *block = malloc(1 << 20);
        if (block == NULL) {
            break;
        }
        block[0] = 1;
        last_block = block;
        blocks++;
    }
    printf("malloc-bomb: got %d MiB before malloc failed\n", blocks);
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
