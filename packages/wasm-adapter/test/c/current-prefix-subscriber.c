/* A current-API subscriber to the topic prefix given as argv[1] ("test/" without one): prints
 * every message it receives, with its payload as text. */
#include <ocre_api.h>
#include <stdio.h>

static void on_message(const char *topic, const char *content_type, const void *payload,
                       uint32_t payload_len) {
    (void)content_type;
    printf("received: topic=%s payload=%.*s\n", topic, (int)payload_len, (const char *)payload);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *prefix = argc > 1 ? argv[1] : "test/";
    if (ocre_register_message_callback(prefix, on_message) != OCRE_SUCCESS ||
        ocre_subscribe_message(prefix) != OCRE_SUCCESS) {
        printf("cannot subscribe to %s\n", prefix);
        return 1;
    }
    printf("subscribed to %s\n", prefix);
    while (1) {
        ocre_process_events();
    }
    return 0;
}
