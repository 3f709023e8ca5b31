/*
 * w2w-publisher.c — the publishing side of the wasm-to-wasm benchmark.
 *
 * Waits for a message on "bench/w2w/go" whose payload is "<count> <rate>", then publishes
 * <count> messages to "bench/w2w": as fast as the queue accepts them when <rate> is 0, else
 * paced at <rate> messages per second (a busy wait on the monotonic clock). Each 16-byte payload
 * starts with the CLOCK_MONOTONIC time of the publish in nanoseconds, so the subscriber can
 * compute publish→handler latency. A refused publish (queue full) is retried after ocre_sleep(0).
 * Then it publishes "bench/w2w/end" and prints
 *
 *     w2w-sent count=<n> refused=<n> start_ns=<t> end_ns=<t>
 *
 * and waits for the next "go", so one instance serves every round.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "messaging.h"

static volatile int go_count = 0;
static volatile int go_rate = 0;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

__attribute__((export_name("go_handler")))
void go_handler(ocre_msg_t *msg) {
    char text[64];
    int len = msg->payload_len < (int)sizeof(text) - 1 ? msg->payload_len : (int)sizeof(text) - 1;
    memcpy(text, msg->payload, (size_t)len);
    text[len] = '\0';
    int count = 0, rate = 0;
    if (sscanf(text, "%d %d", &count, &rate) == 2 && count > 0 && rate >= 0) {
        go_rate = rate;
        go_count = count;
    }
}

static void run(int count, int rate) {
    unsigned char payload[16];
    memset(payload, 7, sizeof(payload));
    unsigned long long refused = 0;
    uint64_t interval = rate > 0 ? 1000000000ull / (uint64_t)rate : 0;
    uint64_t start = now_ns();
    for (int i = 0; i < count; i++) {
        if (interval > 0) {
            uint64_t due = start + (uint64_t)i * interval;
            for (uint64_t t = now_ns(); t < due; t = now_ns()) {
                if (due - t > 2000000ull) ocre_sleep(1);
            }
        } else if ((i & 1023) == 0) {
            ocre_sleep(0);
        }
        for (;;) {
            uint64_t sent = now_ns();
            memcpy(payload, &sent, sizeof(sent));
            if (ocre_publish_message("bench/w2w", "application/octet-stream", payload,
                                     (int)sizeof(payload)) == 0) {
                break;
            }
            refused++;
            ocre_sleep(0);
        }
    }
    uint64_t end = now_ns();
    static char done[] = "end";
    while (ocre_publish_message("bench/w2w/end", "text/plain", done, (int)sizeof(done)) != 0) {
        ocre_sleep(0);
    }
    printf("w2w-sent count=%d refused=%llu start_ns=%llu end_ns=%llu\n", count, refused,
           (unsigned long long)start, (unsigned long long)end);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ocre_msg_system_init();
    if (ocre_subscribe_message("bench/w2w/go", "go_handler") != 0) {
        printf("w2w-publisher: subscribe failed\n");
        return 1;
    }
    printf("w2w-publisher ready\n");
    while (1) {
        while (go_count == 0) ocre_sleep(5);
        int count = go_count, rate = go_rate;
        go_count = 0;
        run(count, rate);
    }
}
