/*
 * memory-bomb.c — the handler grows linear memory a page at a time until memory.grow fails,
 * prints how many pages it got, and returns normally.
 * Subscribes fault_handler to "fault/in", prints "ready", then sleeps forever, so the fault
 * happens on the first message delivered.
 */
#include <stdio.h>
#include "messaging.h"

__attribute__((export_name("fault_handler")))
void fault_handler(ocre_msg_t *msg) {
    (void)msg;
    int pages = 0;
    while (__builtin_wasm_memory_grow(0, 1) != (__SIZE_TYPE__)-1) {
        pages++;
    }
    printf("memory-bomb: grew %d pages, memory is now %lu pages\n", pages,
           (unsigned long)__builtin_wasm_memory_size(0));
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
