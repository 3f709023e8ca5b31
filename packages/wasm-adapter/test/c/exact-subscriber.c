/* A 2025-API subscriber to the exact topic given as argv[1]: prints each message's id, topic and
 * payload. */
#include <stdio.h>
#include "messaging.h"

__attribute__((export_name("on_message"))) void on_message(ocre_msg_t *msg) {
    printf("mid=%llu topic=%s payload=%.*s\n", (unsigned long long)msg->mid, msg->topic,
           (int)msg->payload_len, (const char *)msg->payload);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char *topic = argc > 1 ? argv[1] : "test/topic";
    ocre_msg_system_init();
    if (ocre_subscribe_message(topic, "on_message") != 0) {
        printf("cannot subscribe to %s\n", topic);
        return 1;
    }
    printf("subscribed to %s\n", topic);
    while (1) {
        ocre_sleep(100);
    }
    return 0;
}
