/*
 * publish-storm.c — publishes to "storm/out" as fast as it can, forever, counting accepted (0)
 * and refused (-1) results. Every 10000 attempts it prints the running totals and yields with
 * ocre_sleep(1), so a bounded queue fills, drains a little, and fills again.
 */
#include <stdio.h>
#include "messaging.h"

#define REPORT_EVERY 10000

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ocre_msg_system_init();
    static char payload[] = "storm";
    unsigned long long attempts = 0, accepted = 0, refused = 0, other = 0;
    while (1) {
        int ret = ocre_publish_message("storm/out", "text/plain", payload, (int)sizeof(payload));
        attempts++;
        if (ret == 0) {
            accepted++;
        } else if (ret == -1) {
            refused++;
        } else {
            other++; /* the contract allows only 0 and -1; a test can assert this stays 0 */
        }
        if (attempts % REPORT_EVERY == 0) {
            printf("storm attempts=%llu accepted=%llu refused=%llu other=%llu\n", attempts,
                   accepted, refused, other);
            ocre_sleep(1);
        }
    }
}
