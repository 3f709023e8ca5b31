/* A current-API container that calls every host import with hostile arguments and prints each
 * result as name=value: bad pointers, pointers at or above 2 GiB, unterminated strings, wrapping
 * lengths, forged frees, bad ids. The host must answer each with a negative errno, never trap. */
#include <errno.h>
#include <ocre_api.h>
#include <stdio.h>
#include <string.h>

#define AT(address) ((const char *)(uintptr_t)(address))

static uint32_t fields[6];
#define FIELD(i) ((uint32_t)(uintptr_t)&fields[i])

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    uintptr_t end = __builtin_wasm_memory_size(0) * 65536;
    /* The last 16 bytes of memory, with no NUL up to the end. */
    char *tail = (char *)(end - 16);
    memset(tail, 'A', 16);
    const char *beyond = AT(end + 64);
    const char *high = AT(0xfffffff0u);

    printf("publish_null_topic=%d\n", ocre_publish_message(NULL, "text/plain", "x", 1));
    printf("publish_topic_beyond=%d\n", ocre_publish_message(beyond, "text/plain", "x", 1));
    printf("publish_topic_high=%d\n", ocre_publish_message(high, "text/plain", "x", 1));
    printf("publish_topic_unterminated=%d\n", ocre_publish_message(tail, "text/plain", "x", 1));
    printf("publish_empty_topic=%d\n", ocre_publish_message("", "text/plain", "x", 1));
    printf("publish_null_type=%d\n", ocre_publish_message("t", NULL, "x", 1));
    printf("publish_null_payload=%d\n", ocre_publish_message("t", "text/plain", NULL, 1));
    printf("publish_len_zero=%d\n", ocre_publish_message("t", "text/plain", "x", 0));
    printf("publish_len_wrapping=%d\n", ocre_publish_message("t", "text/plain", "x", 0xffffffffu));
    printf("publish_past_end=%d\n", ocre_publish_message("t", "text/plain", tail, 17));
    printf("publish_no_match=%d\n", ocre_publish_message("t", "text/plain", "x", 1));

    printf("subscribe_null=%d\n", ocre_subscribe_message(NULL));
    printf("subscribe_high=%d\n", ocre_subscribe_message(high));
    printf("subscribe_unterminated=%d\n", ocre_subscribe_message(tail));

    printf("get_event_null_field=%d\n",
           ocre_get_event(0, FIELD(1), FIELD(2), FIELD(3), FIELD(4), FIELD(5)));
    printf("get_event_field_beyond=%d\n", ocre_get_event(FIELD(0), FIELD(1), (uint32_t)end - 2,
                                                          FIELD(3), FIELD(4), FIELD(5)));
    printf("get_event_empty=%d\n",
           ocre_get_event(FIELD(0), FIELD(1), FIELD(2), FIELD(3), FIELD(4), FIELD(5)));
    printf("free_forged=%d\n", ocre_messaging_free_module_event_data(16, 32, 48));

    printf("dispatcher_bad_type=%d\n",
           ocre_register_dispatcher((ocre_resource_type_t)99, "ocre_sdk_dispatch_timer"));
    printf("dispatcher_not_exported=%d\n",
           ocre_register_dispatcher(OCRE_RESOURCE_TYPE_TIMER, "main_is_not_exported"));
    printf("dispatcher_unterminated=%d\n", ocre_register_dispatcher(OCRE_RESOURCE_TYPE_TIMER, tail));

    printf("timer_id_zero=%d\n", ocre_timer_create(0));
    printf("timer_id_too_big=%d\n", ocre_timer_create(OCRE_MAX_TIMERS + 1));
    printf("timer_create=%d\n", ocre_timer_create(1));
    printf("timer_create_again=%d\n", ocre_timer_create(1));
    printf("timer_interval_zero=%d\n", ocre_timer_start(1, 0, 1));
    printf("timer_interval_too_long=%d\n", ocre_timer_start(1, 65536, 1));
    printf("timer_not_created=%d\n", ocre_timer_start(2, 10, 1));

    printf("uname_beyond=%d\n", uname((struct _ocre_posix_utsname *)(uintptr_t)(end - 100)));
    printf("errno_values=%d,%d,%d,%d,%d\n", EINVAL, ENOENT, ENOMEM, ENOMSG, EBUSY);
    ocre_pause();
    return 0;
}
