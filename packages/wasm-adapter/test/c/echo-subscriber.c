/*
 * echo-subscriber.c — republishes every message it receives on ECHO_TOPIC (default "test/in",
 * override with -DECHO_TOPIC='"other/topic"') to "test/out", unchanged, and prints a line per
 * message. main sleeps forever so deliveries happen inside ocre_sleep.
 */
#include <stdio.h>
#include "messaging.h"

#ifndef ECHO_TOPIC
#define ECHO_TOPIC "test/in"
#endif

__attribute__((export_name("echo_handler")))
void echo_handler(ocre_msg_t *msg) {
    int ret = ocre_publish_message("test/out", msg->content_type, msg->payload, msg->payload_len);
    printf("echo mid=%llu len=%d -> test/out: %d\n", msg->mid, msg->payload_len, ret);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ocre_msg_system_init();
    int ret = ocre_subscribe_message(ECHO_TOPIC, "echo_handler");
    printf("echo-subscriber subscribed to %s: %d\n", ECHO_TOPIC, ret);
    if (ret != 0) {
        return 1;
    }
    while (1) {
        ocre_sleep(1000);
    }
}
