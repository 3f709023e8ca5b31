/*
 * current-hostile.c — calls every import of Ocre's current API (ocre_api.h) with arguments no
 * well-behaved container would pass: NULL, pointers past the end of memory and at or above
 * 2 GiB, strings unterminated at the end of memory, lengths that wrap past 2^32, forged frees,
 * ids out of range. Each `case <name>: <ret>` must be negative (an errno, or -1 for uname as in
 * Ocre); `control <name>: <ret>` must be 0 (a payload ending exactly at the end of memory).
 * Then it subscribes to "hostile/", prints `done`, and serves events.
 */
#include <ocre_api.h>
#include <stdio.h>
#include <string.h>

#define AT(address) ((const char *)(uintptr_t)(address))
#define CASE(name, call) printf("case %s: %d\n", name, (int)(call))

static uint32_t fields[6];
#define FIELD(i) ((uint32_t)(uintptr_t)&fields[i])

static void on_message(const char *topic, const char *content_type, const void *payload,
                       uint32_t payload_len) {
    (void)content_type;
    (void)payload;
    (void)payload_len;
    printf("got %s\n", topic);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    uint32_t end = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
    char *tail = (char *)(uintptr_t)(end - 16); /* 16 bytes, no NUL up to the end of memory */
    memset(tail, 'A', 16);
    const char *beyond = AT(end + 64);
    const char *high = AT(0x80000010u); /* at or above 2 GiB: negative as an i32 */
    const char *top = AT(0xfffffff0u);

    CASE("publish-topic-null", ocre_publish_message(NULL, "text/plain", "x", 1));
    CASE("publish-topic-beyond", ocre_publish_message(beyond, "text/plain", "x", 1));
    CASE("publish-topic-2gib", ocre_publish_message(high, "text/plain", "x", 1));
    CASE("publish-topic-unterminated-at-end", ocre_publish_message(tail, "text/plain", "x", 1));
    CASE("publish-content-type-beyond", ocre_publish_message("hostile/t", beyond, "x", 1));
    CASE("publish-content-type-unterminated", ocre_publish_message("hostile/t", tail, "x", 1));
    CASE("publish-payload-null", ocre_publish_message("hostile/t", "text/plain", NULL, 1));
    CASE("publish-payload-beyond", ocre_publish_message("hostile/t", "text/plain", beyond, 1));
    CASE("publish-payload-2gib", ocre_publish_message("hostile/t", "text/plain", high, 1));
    CASE("publish-payload-wraps-2^32", ocre_publish_message("hostile/t", "text/plain", top, 32));
    CASE("publish-len-wrapping", ocre_publish_message("hostile/t", "text/plain", "x", 0xffffffffu));
    CASE("publish-len-int-min", ocre_publish_message("hostile/t", "text/plain", "x", 0x80000000u));
    CASE("publish-len-zero", ocre_publish_message("hostile/t", "text/plain", "x", 0));
    CASE("publish-payload-past-end", ocre_publish_message("hostile/t", "text/plain", tail, 17));
    printf("control publish-payload-ends-at-end: %d\n",
           ocre_publish_message("nobody/listens", "text/plain", tail, 16));

    CASE("subscribe-null", ocre_subscribe_message(NULL));
    CASE("subscribe-beyond", ocre_subscribe_message(beyond));
    CASE("subscribe-2gib", ocre_subscribe_message(high));
    CASE("subscribe-unterminated-at-end", ocre_subscribe_message(tail));

    CASE("get-event-null-field", ocre_get_event(0, FIELD(1), FIELD(2), FIELD(3), FIELD(4), FIELD(5)));
    CASE("get-event-field-beyond",
         ocre_get_event(FIELD(0), end + 64, FIELD(2), FIELD(3), FIELD(4), FIELD(5)));
    CASE("get-event-field-2gib",
         ocre_get_event(FIELD(0), FIELD(1), 0x80000010u, FIELD(3), FIELD(4), FIELD(5)));
    CASE("get-event-field-straddles-end",
         ocre_get_event(FIELD(0), FIELD(1), FIELD(2), end - 2, FIELD(4), FIELD(5)));
    CASE("get-event-field-wraps-2^32",
         ocre_get_event(FIELD(0), FIELD(1), FIELD(2), FIELD(3), 0xfffffffeu, FIELD(5)));
    CASE("free-forged", ocre_messaging_free_module_event_data(16, 32, 48));
    CASE("free-2gib", ocre_messaging_free_module_event_data(0x80000010u, 0x80000020u, 0x80000030u));

    CASE("dispatcher-bad-type", ocre_register_dispatcher((ocre_resource_type_t)99, "ocre_sdk_dispatch_timer"));
    CASE("dispatcher-name-null", ocre_register_dispatcher(OCRE_RESOURCE_TYPE_TIMER, NULL));
    CASE("dispatcher-name-beyond", ocre_register_dispatcher(OCRE_RESOURCE_TYPE_TIMER, beyond));
    CASE("dispatcher-name-2gib", ocre_register_dispatcher(OCRE_RESOURCE_TYPE_TIMER, high));
    CASE("dispatcher-name-unterminated-at-end", ocre_register_dispatcher(OCRE_RESOURCE_TYPE_TIMER, tail));
    CASE("dispatcher-not-exported", ocre_register_dispatcher(OCRE_RESOURCE_TYPE_TIMER, "main"));

    CASE("timer-create-id-zero", ocre_timer_create(0));
    CASE("timer-create-id-negative", ocre_timer_create(-1));
    CASE("timer-create-id-huge", ocre_timer_create(0x7fffffff));
    CASE("timer-start-not-created", ocre_timer_start(2, 10, 1));
    ocre_timer_create(1);
    CASE("timer-start-interval-zero", ocre_timer_start(1, 0, 1));
    CASE("timer-start-interval-negative", ocre_timer_start(1, -1, 1));
    CASE("timer-start-interval-too-long", ocre_timer_start(1, 65536, 0));
    CASE("timer-stop-not-created", ocre_timer_stop(3));
    CASE("timer-delete-not-created", ocre_timer_delete(3));
    CASE("timer-remaining-not-created", ocre_timer_get_remaining(3));

    CASE("uname-beyond", uname((struct _ocre_posix_utsname *)(uintptr_t)(end - 100)));
    CASE("uname-2gib", uname((struct _ocre_posix_utsname *)(uintptr_t)0x80000010u));

    CASE("sensor-name-beyond", ocre_sensors_open_by_name(beyond));
    CASE("sensor-name-2gib", ocre_sensors_get_handle_by_name(high));
    CASE("sensor-name-unterminated-at-end", ocre_sensors_get_channel_count_by_name(tail));
    CASE("sensor-read-name-2gib", ocre_sensors_read_by_name(high, 0));
    CASE("sensor-read-bad-id", ocre_sensors_read(-1, 0));
    CASE("gpio-name-beyond", ocre_gpio_configure_by_name(beyond, 1));
    CASE("gpio-name-unterminated-at-end", ocre_gpio_set_by_name(tail, 1));
    CASE("gpio-name-2gib", ocre_gpio_toggle_by_name(high));
    CASE("gpio-port-out-of-range", ocre_gpio_configure(99, 0, 1));
    CASE("gpio-pin-negative", ocre_gpio_pin_set(0, -1, 1));

    ocre_register_message_callback("hostile/", on_message);
    printf("subscribe=%d\n", ocre_subscribe_message("hostile/"));
    printf("done\n");
    while (1) {
        ocre_process_events();
    }
    return 0;
}
