/*
 * messaging.h — the Ocre inter-container messaging API for containers built with ocre-ts.
 *
 * Build a container with
 *
 *     clang-14 --target=wasm32-wasi -O2 -fuse-ld=lld -I<this directory> app.c -o app.wasm
 *
 * (or `buildContainer()` from @ocre-ts/wasm-adapter, which adds the flags for you).
 *
 * Two call shapes
 * ---------------
 * Ocre's documentation says that inside a container the runtime's `wasm_exec_env_t` parameter
 * is omitted, so the documented calls are
 *
 *     ocre_publish_message(topic, content_type, payload, payload_len);
 *     ocre_subscribe_message(topic, handler_name);
 *
 * but Ocre's own example programs pass a leading exec_env anyway:
 *
 *     ocre_publish_message(NULL, topic, content_type, payload, payload_len);
 *     ocre_subscribe_message(NULL, topic, handler_name);
 *
 * Both shapes compile here, warning-free under -Wall -Wextra. Each API name is also a
 * function-like macro that counts its arguments: with the documented count it calls the import
 * directly; with one extra leading argument it evaluates that argument, discards it, and calls
 * the import with the rest. `ocre_msg_system_init()` / `ocre_msg_system_init(NULL)` and
 * `ocre_sleep(ms)` / `ocre_sleep(NULL, ms)` work the same way. Any other argument count is a
 * compile error naming the accepted counts. Taking a function's address (`&ocre_sleep`) or
 * calling it as `(ocre_sleep)(ms)` bypasses the macro and uses the documented signature.
 *
 * Handlers
 * --------
 * A handler is a function exported by name that takes one `ocre_msg_t *`:
 *
 *     __attribute__((export_name("temperature_handler")))
 *     void temperature_handler(ocre_msg_t *msg) { ... }
 *
 *     ocre_subscribe_message("sensors/temperature", "temperature_handler");
 *
 * The message and the strings and payload it points to live in the container's memory only for
 * the duration of the call: copy anything you want to keep. Handlers run when the container
 * yields — inside `ocre_sleep`, or at any time once `main` has returned — never in the middle of
 * other code.
 *
 * Results
 * -------
 * `ocre_publish_message` and `ocre_subscribe_message` return 0 on success and -1 on any failure
 * (system not initialised, NULL/empty topic, content type, payload or handler name,
 * payload_len <= 0, handler not exported, queue or subscription table full, or a pointer that
 * does not lie inside the container's linear memory). Publishing never blocks: a full queue
 * fails at once.
 */
#ifndef OCRE_MESSAGING_H
#define OCRE_MESSAGING_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A message as delivered to a handler. The wasm32 layout is fixed: the host writes it. */
typedef struct ocre_msg {
    uint64_t mid;          /* Message ID: global to the messaging system, 0, 1, 2, ...       */
    char    *topic;        /* NUL-terminated topic the message was published to            */
    char    *content_type; /* NUL-terminated content type (a MIME type is recommended)    */
    void    *payload;      /* payload_len bytes, exactly as published (not NUL-terminated  */
                           /* unless the publisher counted the NUL in payload_len)          */
    int      payload_len;  /* length of the payload in bytes, as passed by the publisher    */
} ocre_msg_t;

/* The layout checks need C11 or C++11; they only hold for wasm32, where pointers are 4 bytes. */
#if defined(__cplusplus) && __cplusplus >= 201103L
#define OCRE__STATIC_ASSERT(condition, message) static_assert(condition, message)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define OCRE__STATIC_ASSERT(condition, message) _Static_assert(condition, message)
#endif
#if defined(__wasm32__) && defined(OCRE__STATIC_ASSERT)
OCRE__STATIC_ASSERT(offsetof(ocre_msg_t, mid) == 0, "ocre_msg_t.mid must be at offset 0");
OCRE__STATIC_ASSERT(offsetof(ocre_msg_t, topic) == 8, "ocre_msg_t.topic must be at offset 8");
OCRE__STATIC_ASSERT(offsetof(ocre_msg_t, content_type) == 12,
                    "ocre_msg_t.content_type must be at offset 12");
OCRE__STATIC_ASSERT(offsetof(ocre_msg_t, payload) == 16,
                    "ocre_msg_t.payload must be at offset 16");
OCRE__STATIC_ASSERT(offsetof(ocre_msg_t, payload_len) == 20,
                    "ocre_msg_t.payload_len must be at offset 20");
OCRE__STATIC_ASSERT(sizeof(ocre_msg_t) == 24, "ocre_msg_t must be 24 bytes");
#endif

/* The signature every handler has. */
typedef void (*ocre_msg_handler_t)(ocre_msg_t *msg);

/*
 * The host imports, module "env". The parentheses around each name keep the call-shape macros
 * below from expanding inside the declarations.
 */

/* Set up the messaging system. Call once before publishing or subscribing; a second call logs a
 * warning and does nothing else. Wasm signature () -> (). */
__attribute__((import_module("env"), import_name("ocre_msg_system_init")))
void (ocre_msg_system_init)(void);

/* Publish payload_len bytes at payload to topic. Returns 0 when the message was queued, -1 when
 * it was refused. Wasm signature (i32, i32, i32, i32) -> i32. */
__attribute__((import_module("env"), import_name("ocre_publish_message")))
int (ocre_publish_message)(char *topic, char *content_type, void *payload, int payload_len);

/* Call the exported function handler_name for every message published to topic. Returns 0 when
 * the subscription was recorded, -1 otherwise. Wasm signature (i32, i32) -> i32. */
__attribute__((import_module("env"), import_name("ocre_subscribe_message")))
int (ocre_subscribe_message)(char *topic, char *handler_name);

/* Sleep for the given number of milliseconds, delivering pending messages to this container's
 * handlers meanwhile. Returns 0. Wasm signature (i32) -> i32. */
__attribute__((import_module("env"), import_name("ocre_sleep")))
int (ocre_sleep)(int milliseconds);

/* ---- Call-shape macros (see the top of this file). Names starting with OCRE__ are private. */

#define OCRE__CAT(a, b) OCRE__CAT_(a, b)
#define OCRE__CAT_(a, b) a##b
/* The number of arguments, 1 to 8. An empty argument list counts as 1. */
#define OCRE__NARGS(...) OCRE__NARGS_(__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define OCRE__NARGS_(_1, _2, _3, _4, _5, _6, _7, _8, n, ...) n
#define OCRE__DISPATCH(prefix, ...) OCRE__CAT(prefix, OCRE__NARGS(__VA_ARGS__))(__VA_ARGS__)
/* A wrong argument count expands to this undeclared identifier, so the compiler's error names
 * the function and the accepted counts. */
#define OCRE__WRONG_ARITY(name) (name##_accepts_the_documented_arguments_or_a_leading_exec_env)

#define ocre_publish_message(...) OCRE__DISPATCH(OCRE__PUBLISH_, __VA_ARGS__)
#define OCRE__PUBLISH_4(topic, content_type, payload, payload_len) \
    (ocre_publish_message)(topic, content_type, payload, payload_len)
#define OCRE__PUBLISH_5(exec_env, topic, content_type, payload, payload_len) \
    ((void)(exec_env), (ocre_publish_message)(topic, content_type, payload, payload_len))
#define OCRE__PUBLISH_1(...) OCRE__WRONG_ARITY(ocre_publish_message)
#define OCRE__PUBLISH_2(...) OCRE__WRONG_ARITY(ocre_publish_message)
#define OCRE__PUBLISH_3(...) OCRE__WRONG_ARITY(ocre_publish_message)
#define OCRE__PUBLISH_6(...) OCRE__WRONG_ARITY(ocre_publish_message)
#define OCRE__PUBLISH_7(...) OCRE__WRONG_ARITY(ocre_publish_message)
#define OCRE__PUBLISH_8(...) OCRE__WRONG_ARITY(ocre_publish_message)

#define ocre_subscribe_message(...) OCRE__DISPATCH(OCRE__SUBSCRIBE_, __VA_ARGS__)
#define OCRE__SUBSCRIBE_2(topic, handler_name) (ocre_subscribe_message)(topic, handler_name)
#define OCRE__SUBSCRIBE_3(exec_env, topic, handler_name) \
    ((void)(exec_env), (ocre_subscribe_message)(topic, handler_name))
#define OCRE__SUBSCRIBE_1(...) OCRE__WRONG_ARITY(ocre_subscribe_message)
#define OCRE__SUBSCRIBE_4(...) OCRE__WRONG_ARITY(ocre_subscribe_message)
#define OCRE__SUBSCRIBE_5(...) OCRE__WRONG_ARITY(ocre_subscribe_message)
#define OCRE__SUBSCRIBE_6(...) OCRE__WRONG_ARITY(ocre_subscribe_message)
#define OCRE__SUBSCRIBE_7(...) OCRE__WRONG_ARITY(ocre_subscribe_message)
#define OCRE__SUBSCRIBE_8(...) OCRE__WRONG_ARITY(ocre_subscribe_message)

#define ocre_sleep(...) OCRE__DISPATCH(OCRE__SLEEP_, __VA_ARGS__)
#define OCRE__SLEEP_1(milliseconds) (ocre_sleep)(milliseconds)
#define OCRE__SLEEP_2(exec_env, milliseconds) ((void)(exec_env), (ocre_sleep)(milliseconds))
#define OCRE__SLEEP_3(...) OCRE__WRONG_ARITY(ocre_sleep)
#define OCRE__SLEEP_4(...) OCRE__WRONG_ARITY(ocre_sleep)
#define OCRE__SLEEP_5(...) OCRE__WRONG_ARITY(ocre_sleep)
#define OCRE__SLEEP_6(...) OCRE__WRONG_ARITY(ocre_sleep)
#define OCRE__SLEEP_7(...) OCRE__WRONG_ARITY(ocre_sleep)
#define OCRE__SLEEP_8(...) OCRE__WRONG_ARITY(ocre_sleep)

/*
 * `ocre_msg_system_init()` and `ocre_msg_system_init(exec_env)`. Standard C cannot count zero
 * arguments, so the optional exec_env goes into an array initialiser, where `{ 0, }` and
 * `{ 0, exec_env }` are both valid: the argument is type-checked as a pointer and discarded.
 */
#define ocre_msg_system_init(...) \
    ((void)(const void *[]){0, __VA_ARGS__}, (ocre_msg_system_init)())

#ifdef __cplusplus
}
#endif

#endif /* OCRE_MESSAGING_H */
