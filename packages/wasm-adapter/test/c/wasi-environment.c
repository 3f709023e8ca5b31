/* A 2025-API container that prints what WASI gave it: its argv, one environment variable, whether
 * the monotonic clock moves and whether random bytes arrive; then it sleeps for ever. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "messaging.h"

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("argc=%d argv0=%s argv1=%s\n", argc, argv[0], argc > 1 ? argv[1] : "(none)");
    const char *greeting = getenv("OCRE_GREETING");
    printf("OCRE_GREETING=%s\n", greeting != NULL ? greeting : "(unset)");
    struct timespec first, second;
    clock_gettime(CLOCK_MONOTONIC, &first);
    do {
        clock_gettime(CLOCK_MONOTONIC, &second);
    } while (second.tv_sec == first.tv_sec && second.tv_nsec == first.tv_nsec);
    printf("clock moves\n");
    unsigned char bytes[16];
    memset(bytes, 0, sizeof bytes);
    int random_ok = getentropy(bytes, sizeof bytes) == 0;
    int nonzero = 0;
    for (size_t i = 0; i < sizeof bytes; i++) nonzero |= bytes[i];
    printf("random=%s\n", random_ok && nonzero ? "ok" : "failed");
    ocre_msg_system_init();
    while (1) {
        ocre_sleep(1000);
    }
    return 0;
}
