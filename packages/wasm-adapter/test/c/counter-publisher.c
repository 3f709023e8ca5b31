/*
 * counter-publisher.c — publishes COUNT (100) messages "n=<i>" (text/plain, payload_len counts
 * the NUL) to "test/in" as fast as it can, prints how many were accepted, then returns from
 * main: anything delivered to it afterwards happens after main has returned.
 */
#include <stdio.h>
#include <string.h>
#include "messaging.h"

#define COUNT 100

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ocre_msg_system_init();
    int accepted = 0;
    for (int i = 0; i < COUNT; i++) {
        char payload[16];
        snprintf(payload, sizeof(payload), "n=%d", i);
        if (ocre_publish_message("test/in", "text/plain", payload, (int)strlen(payload) + 1) == 0) {
            accepted++;
        }
    }
    printf("counter-publisher: %d of %d accepted\n", accepted, COUNT);
    return 0;
}
