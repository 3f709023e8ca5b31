/*
 * documented-shape.c — a publisher and a subscriber in one container, written with the call
 * shape Ocre documents (no exec_env argument): subscribes "shape/echo" to shape_handler,
 * publishes three messages to it, and prints each one it receives while sleeping.
 */
#include <stdio.h>
#include <string.h>
#include "messaging.h"

static int received = 0;

__attribute__((export_name("shape_handler")))
void shape_handler(ocre_msg_t *msg) {
    received += 1;
    printf("shape_handler: mid=%llu topic=%s content_type=%s payload=%.*s\n",
           msg->mid, msg->topic, msg->content_type, msg->payload_len, (char *)msg->payload);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ocre_msg_system_init();

    int ret = ocre_subscribe_message("shape/echo", "shape_handler");
    printf("subscribe: %d\n", ret);

    for (int i = 0; i < 3; i++) {
        char payload[16];
        snprintf(payload, sizeof(payload), "hello %d", i);
        ret = ocre_publish_message("shape/echo", "text/plain", payload, (int)strlen(payload) + 1);
        printf("publish %d: %d\n", i, ret);
    }

    /* Handlers only run while the container yields. */
    while (received < 3) {
        ocre_sleep(10);
    }
    printf("received %d messages\n", received);
    return 0;
}
