/* hello.c — a container that subscribes to "greetings", greets itself once, and prints every greeting. */
#include <stdio.h>
#include "messaging.h"

__attribute__((export_name("greeting_handler")))
void greeting_handler(ocre_msg_t *msg) {
    printf("mid=%llu on %s: %.*s\n", msg->mid, msg->topic, msg->payload_len, (char *)msg->payload);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ocre_msg_system_init();
    if (ocre_subscribe_message("greetings", "greeting_handler") != 0) {
        return 1;
    }
    static char hello[] = "hello from C";
    ocre_publish_message("greetings", "text/plain", hello, (int)sizeof(hello) - 1);
    while (1) {
        ocre_sleep(1000); /* handlers run in here */
    }
}
