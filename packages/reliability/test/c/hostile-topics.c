/*
 * hostile-topics.c — calls the raw env.ocre_* imports with strings no well-behaved container
 * would pass: a topic (and a content type) over the length limit, and topics, content types and
 * handler names that are not valid UTF-8 (a stray 0xFF byte, a truncated sequence, an overlong
 * encoding, an encoded surrogate). Each `case <name>: <ret>` must be -1; each
 * `control <name>: <ret>` must be 0 (a string exactly at the limit is fine). Ends with `done`.
 * Complements the wasm-adapter's hostile-abi.c (pointers and lengths).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

__attribute__((import_module("env"), import_name("ocre_msg_system_init")))
void raw_init(void);

__attribute__((import_module("env"), import_name("ocre_publish_message")))
int32_t raw_publish(uint32_t topic, uint32_t content_type, uint32_t payload, int32_t payload_len);

__attribute__((import_module("env"), import_name("ocre_subscribe_message")))
int32_t raw_subscribe(uint32_t topic, uint32_t handler_name);

__attribute__((export_name("topic_handler")))
void topic_handler(void *msg) {
    (void)msg;
}

#define TOPIC_LIMIT 256        /* the default limits.maxTopicBytes */
#define CONTENT_TYPE_LIMIT 128 /* the default limits.maxContentTypeBytes */

static char topic_at_limit[TOPIC_LIMIT + 1];
static char topic_over_limit[TOPIC_LIMIT + 2];
static char content_type_over_limit[CONTENT_TYPE_LIMIT + 2];

static const char *const bad_utf8[] = {
    "bad/\xff",         /* a byte that never occurs in UTF-8 */
    "bad/\xc3",         /* a sequence cut short by the end of the string */
    "bad/\xc0\xaf",     /* an overlong encoding of '/' */
    "bad/\xed\xa0\x80", /* an encoded UTF-16 surrogate */
};
static const char *const bad_utf8_names[] = {"ff", "truncated", "overlong", "surrogate"};

static uint32_t addr(const void *p) {
    return (uint32_t)(uintptr_t)p;
}

static void report(const char *kind, const char *name, const char *detail, int32_t ret) {
    printf("%s %s%s: %d\n", kind, name, detail, (int)ret);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    raw_init();
    static char ct[] = "text/plain";
    static char payload[] = "payload";
    static char topic[] = "hostile/topics";
    static char handler[] = "topic_handler";
    const int32_t len = (int32_t)sizeof(payload);
    memset(topic_at_limit, 'a', TOPIC_LIMIT);
    memset(topic_over_limit, 'a', TOPIC_LIMIT + 1);
    memset(content_type_over_limit, 'x', CONTENT_TYPE_LIMIT + 1);

    report("control", "publish-topic-at-limit", "", raw_publish(addr(topic_at_limit), addr(ct), addr(payload), len));
    report("control", "subscribe-valid", "", raw_subscribe(addr(topic), addr(handler)));
    report("case", "publish-topic-over-limit", "", raw_publish(addr(topic_over_limit), addr(ct), addr(payload), len));
    report("case", "subscribe-topic-over-limit", "", raw_subscribe(addr(topic_over_limit), addr(handler)));
    report("case", "publish-content-type-over-limit", "", raw_publish(addr(topic), addr(content_type_over_limit), addr(payload), len));
    for (int i = 0; i < 4; i++) {
        report("case", "publish-topic-invalid-utf8-", bad_utf8_names[i], raw_publish(addr(bad_utf8[i]), addr(ct), addr(payload), len));
        report("case", "subscribe-topic-invalid-utf8-", bad_utf8_names[i], raw_subscribe(addr(bad_utf8[i]), addr(handler)));
        report("case", "publish-content-type-invalid-utf8-", bad_utf8_names[i], raw_publish(addr(topic), addr(bad_utf8[i]), addr(payload), len));
        report("case", "subscribe-handler-invalid-utf8-", bad_utf8_names[i], raw_subscribe(addr(topic), addr(bad_utf8[i])));
    }
    printf("done\n");
    return 0;
}
