/*
 * hostile-abi.c — calls the raw env.ocre_* imports with arguments no well-behaved container
 * would pass: pointers outside linear memory, pointer + length wrapping past 2^32, pointers at or
 * above 2 GiB (negative as i32), strings running off the end of memory, bad lengths, NULL and
 * empty strings, and handler names that are not exported functions. It prints
 * `case <name>: <ret>` for each, and every one must be -1 (the host must neither accept them nor
 * throw). `control <name>: <ret>` lines are calls that must succeed (0), proving the system was
 * initialised and the boundary checks are not off by one. The last line is `done`.
 *
 * Build with -Wl,--export=hostile_data_export so that name is exported as a wasm global.
 * This file deliberately does not include messaging.h: it declares the imports with plain
 * integer parameters so it can pass any bit pattern as a pointer.
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

/* Exported as a wasm global (i32, its address) by the linker flag above: a non-function export. */
int hostile_data_export = 42;

__attribute__((export_name("hostile_handler")))
void hostile_handler(void *msg) {
    (void)msg;
}

#define OOB 0xFFFFFF00u        /* far beyond any memory this module will have */
#define HIGH 0x80000010u       /* >= 2 GiB: negative when read as a signed i32 */
#define WRAP 0xFFFFFFF0u       /* with a length of 0x20, ptr + len wraps past 2^32 to 0x10 */

static uint32_t addr(const void *p) {
    return (uint32_t)(uintptr_t)p;
}

static void report(const char *kind, const char *name, int32_t ret) {
    printf("%s %s: %d\n", kind, name, (int)ret);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    raw_init();

    static char topic[] = "hostile/out";
    static char content_type[] = "text/plain";
    static char payload[] = "payload";
    static char empty[] = "";
    static char in_topic[] = "hostile/in";
    static char handler[] = "hostile_handler";
    const uint32_t t = addr(topic), ct = addr(content_type), p = addr(payload);
    const int32_t len = (int32_t)sizeof(payload);

    /* A page of our own at the top of memory (not malloc's), whose last 4 bytes are "ABCD"
     * with no NUL after them: any string read from there runs off the end of memory. */
    if (__builtin_wasm_memory_grow(0, 1) == (__SIZE_TYPE__)-1) {
        printf("memory.grow failed\n");
        return 1;
    }
    const uint32_t end = (uint32_t)(__builtin_wasm_memory_size(0) * 65536u);
    const uint32_t tail = end - 4;
    memcpy((void *)(uintptr_t)tail, "ABCD", 4);

    report("control", "publish-valid", raw_publish(t, ct, p, len));
    report("control", "publish-payload-ends-at-memory-end", raw_publish(t, ct, tail, 4));
    report("control", "subscribe-valid", raw_subscribe(addr(in_topic), addr(handler)));

    report("case", "publish-topic-null", raw_publish(0, ct, p, len));
    report("case", "publish-topic-empty", raw_publish(addr(empty), ct, p, len));
    report("case", "publish-topic-oob", raw_publish(OOB, ct, p, len));
    report("case", "publish-topic-2gib", raw_publish(HIGH, ct, p, len));
    report("case", "publish-topic-unterminated-at-end", raw_publish(tail, ct, p, len));
    report("case", "publish-content-type-null", raw_publish(t, 0, p, len));
    report("case", "publish-content-type-empty", raw_publish(t, addr(empty), p, len));
    report("case", "publish-content-type-oob", raw_publish(t, OOB, p, len));
    report("case", "publish-content-type-unterminated-at-end", raw_publish(t, tail, p, len));
    report("case", "publish-payload-null", raw_publish(t, ct, 0, len));
    report("case", "publish-payload-oob", raw_publish(t, ct, OOB, 4));
    report("case", "publish-payload-2gib", raw_publish(t, ct, HIGH, 4));
    report("case", "publish-payload-wraps-2^32", raw_publish(t, ct, WRAP, 0x20));
    report("case", "publish-payload-past-memory-end", raw_publish(t, ct, tail, 5));
    report("case", "publish-len-zero", raw_publish(t, ct, p, 0));
    report("case", "publish-len-negative", raw_publish(t, ct, p, -1));
    report("case", "publish-len-int-min", raw_publish(t, ct, p, INT32_MIN));
    report("case", "publish-len-huge", raw_publish(t, ct, p, 0x7FFFFFFF));

    report("case", "subscribe-topic-null", raw_subscribe(0, addr(handler)));
    report("case", "subscribe-topic-empty", raw_subscribe(addr(empty), addr(handler)));
    report("case", "subscribe-topic-oob", raw_subscribe(OOB, addr(handler)));
    report("case", "subscribe-topic-2gib", raw_subscribe(HIGH, addr(handler)));
    report("case", "subscribe-topic-unterminated-at-end", raw_subscribe(tail, addr(handler)));
    report("case", "subscribe-handler-null", raw_subscribe(addr(in_topic), 0));
    report("case", "subscribe-handler-empty", raw_subscribe(addr(in_topic), addr(empty)));
    report("case", "subscribe-handler-oob", raw_subscribe(addr(in_topic), OOB));
    report("case", "subscribe-handler-2gib", raw_subscribe(addr(in_topic), HIGH));
    report("case", "subscribe-handler-unterminated-at-end", raw_subscribe(addr(in_topic), tail));
    static char not_exported[] = "no_such_handler";
    report("case", "subscribe-handler-not-exported",
           raw_subscribe(addr(in_topic), addr(not_exported)));
    static char memory_export[] = "memory";
    report("case", "subscribe-handler-is-memory",
           raw_subscribe(addr(in_topic), addr(memory_export)));
    static char global_export[] = "hostile_data_export";
    report("case", "subscribe-handler-is-global",
           raw_subscribe(addr(in_topic), addr(global_export)));

    printf("done\n");
    return 0;
}
