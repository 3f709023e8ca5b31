/* A current-API subscriber to "work/" whose callback traps on the payload "boom": the trap ends
 * the instance (the callback runs inside main's ocre_process_events), and a restart resumes. */
#include <ocre_api.h>
#include <stdio.h>
#include <string.h>

static void on_message(const char *topic, const char *content_type, const void *payload,
                       uint32_t payload_len) {
    (void)topic;
    (void)content_type;
    if (payload_len >= 4 && memcmp(payload, "boom", 4) == 0) {
        __builtin_trap();
    }
    printf("handled %.*s\n", (int)payload_len, (const char *)payload);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    ocre_register_message_callback("work/", on_message);
    printf("subscribe=%d\n", ocre_subscribe_message("work/"));
    while (1) {
        ocre_process_events();
    }
    return 0;
}
