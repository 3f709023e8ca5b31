/*
 * allocator-subscriber.c — built with -Wl,--export=malloc,--export=free, so the host places each
 * delivered message with the module's own allocator and frees it after the handler. Subscribes
 * alloc_handler to "alloc/in" and prints every message with the address it arrived at: equal
 * addresses for successive messages show each one was freed before the next was allocated.
 */
#include <stdio.h>
#include "messaging.h"

__attribute__((export_name("alloc_handler")))
void alloc_handler(ocre_msg_t *msg) {
    printf("alloc_handler: mid=%llu topic=%s content_type=%s payload_len=%d payload=%.*s at=%lu\n",
           msg->mid, msg->topic, msg->content_type, msg->payload_len, msg->payload_len,
           (char *)msg->payload, (unsigned long)(__UINTPTR_TYPE__)msg);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ocre_msg_system_init();
    printf("subscribe: %d\n", ocre_subscribe_message("alloc/in", "alloc_handler"));
    while (1) {
        ocre_sleep(1000);
    }
}
