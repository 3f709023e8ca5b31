/*
 * w2w-subscriber.c — the receiving side of the wasm-to-wasm benchmark.
 *
 * Counts the messages on "bench/w2w" and records, for the first MAX_SAMPLES of them, the
 * latency from the publish (the CLOCK_MONOTONIC nanoseconds in the first 8 payload bytes) to the
 * start of this handler. On "bench/w2w/end" it prints
 *
 *     w2w-received count=<n> first_ns=<t> last_ns=<t> p50_ns=<ns> p99_ns=<ns>
 *
 * and starts over for the next round.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "messaging.h"

#define MAX_SAMPLES (1 << 18)

static uint32_t samples[MAX_SAMPLES];
static int count = 0;
static uint64_t first_ns = 0, last_ns = 0;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

__attribute__((export_name("w2w_handler")))
void w2w_handler(ocre_msg_t *msg) {
    uint64_t now = now_ns();
    if (count == 0) first_ns = now;
    last_ns = now;
    if (count < MAX_SAMPLES && msg->payload_len >= 8) {
        uint64_t sent;
        memcpy(&sent, msg->payload, sizeof(sent));
        uint64_t latency = now > sent ? now - sent : 0;
        samples[count] = latency > 0xffffffffull ? 0xffffffffu : (uint32_t)latency;
    }
    count++;
}

static int ascending(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of the sorted samples. */
static uint32_t percentile(int n, int p) {
    int rank = (p * n + 99) / 100;
    if (rank < 1) rank = 1;
    return samples[rank - 1];
}

__attribute__((export_name("end_handler")))
void end_handler(ocre_msg_t *msg) {
    (void)msg;
    int n = count < MAX_SAMPLES ? count : MAX_SAMPLES;
    qsort(samples, (size_t)n, sizeof(samples[0]), ascending);
    printf("w2w-received count=%d first_ns=%llu last_ns=%llu p50_ns=%u p99_ns=%u\n", count,
           (unsigned long long)first_ns, (unsigned long long)last_ns, n > 0 ? percentile(n, 50) : 0,
           n > 0 ? percentile(n, 99) : 0);
    count = 0;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ocre_msg_system_init();
    if (ocre_subscribe_message("bench/w2w", "w2w_handler") != 0 ||
        ocre_subscribe_message("bench/w2w/end", "end_handler") != 0) {
        printf("w2w-subscriber: subscribe failed\n");
        return 1;
    }
    printf("w2w-subscriber ready\n");
    while (1) ocre_sleep(1000);
}
