/* A current-API container that subscribes to the prefix given as argv[1] and then never calls
 * ocre_process_events: its messages pile up in its own event queue. */
#include <ocre_api.h>
#include <stdio.h>

static void on_message(const char *topic, const char *content_type, const void *payload,
                       uint32_t payload_len) {
    (void)content_type;
    (void)payload;
    (void)payload_len;
    printf("unexpected: %s\n", topic);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *prefix = argc > 1 ? argv[1] : "test/";
    ocre_register_message_callback(prefix, on_message);
    printf("subscribe=%d\n", ocre_subscribe_message(prefix));
    while (1) {
        ocre_sleep(1000);
    }
    return 0;
}
