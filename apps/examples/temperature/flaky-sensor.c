/*
 * flaky-sensor: a second temperature sensor with a loose wire.
 *
 * It publishes its own JSON readings to "sensors/temperature" every 1200 ms and cross-checks
 * every reading on that topic (the seed publisher's and its own). Every TRAP_EVERY-th message
 * it handles, it traps (__builtin_trap: a WebAssembly `unreachable`), as a crashing C program
 * would. The trap kills this instance only: the message becomes a dead letter, the supervisor
 * restarts the container from scratch (its counters start again at zero) and the publisher and
 * subscriber carry on untouched.
 */
#include <stdio.h>
#include <string.h>
#include "messaging.h"

#define INTERVAL_MS 1200
#define TRAP_EVERY 7

static int handled = 0;

__attribute__((export_name("reading_handler")))
void reading_handler(ocre_msg_t *msg) {
    handled++;
    if (handled % TRAP_EVERY == 0) {
        printf("Glitch while checking message %llu: trapping\n", msg->mid);
        __builtin_trap();
    }
    printf("Cross-checked message %llu (%d since start)\n", msg->mid, handled);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ocre_msg_system_init();
    if (ocre_subscribe_message("sensors/temperature", "reading_handler") != 0) {
        printf("Failed to subscribe\n");
        return -1;
    }
    printf("Flaky sensor up: cross-checking sensors/temperature\n");
    float temp = 19.0f;
    while (1) {
        char payload[96];
        snprintf(payload, sizeof(payload),
                 "{\"temperature\": %.1f, \"unit\": \"celsius\", \"sensor\": \"flaky\"}", temp);
        temp += 0.2f;
        int payload_len = (int)strlen(payload) + 1; /* include the NUL, like the seed */
        if (ocre_publish_message("sensors/temperature", "application/json", payload,
                                 payload_len) != 0) {
            printf("Failed to publish\n");
        }
        ocre_sleep(INTERVAL_MS);
    }
    return 0;
}
