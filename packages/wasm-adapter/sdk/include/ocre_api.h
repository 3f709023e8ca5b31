/*
 * ocre_api.h — Ocre's current container API (timers, messaging, events, sensors, GPIO) for
 * containers built with ocre-ts. Written for ocre-ts; it declares the same API as the header of
 * project-ocre/ocre-sdk, so programs written for Ocre's current SDK compile unchanged.
 *
 * Build a container with `ocre build app.c` (or `buildContainer()` from @ocre-ts/wasm-adapter):
 * when a source includes this header, the SDK's C sources (sdk/src/ocre_api.c) are compiled and
 * linked in, and the module exports `malloc` and `free` so the host can hand it message data.
 *
 * Do not include this header and messaging.h (the March-2025 API) in one container: the two APIs
 * declare `ocre_publish_message`, `ocre_subscribe_message` and `ocre_sleep` differently, and the
 * host refuses a module that imports from both.
 *
 * Results
 * -------
 * Calls return OCRE_SUCCESS (0) or a negative errno from this module's <errno.h> (wasi-libc
 * numbering: compare with -EINVAL, -ENOENT, -ENOMEM…, never with literal numbers):
 *   -EINVAL  bad argument: NULL or empty string, a pointer outside the container's memory, an
 *            unterminated string, a length that runs past the end of memory, an id out of range
 *            or a timer id that is not created (as in Ocre)
 *   -ENOENT  a publish that no subscription matched
 *   -ENOMEM  a table is full (subscriptions, callbacks), or the system's queue is full
 *   -EBUSY   the timer id is already created
 *   -ENOMSG  ocre_get_event(): no event is pending
 *
 * Differences from Ocre's own SDK and runtime (the API is the same)
 * ------------------------------------------------------------------
 * - ocre_process_events() hands every pending event to its callback (up to
 *   OCRE_SDK_EVENTS_PER_CALL per call), with no 10 ms sleep between events; when nothing is
 *   pending it waits for the next event (at most OCRE_SDK_IDLE_WAIT_MS) instead of polling.
 * - A message callback receives the payload where the host put it, whatever its length (no
 *   1,024-byte stack copy); topic, content type and payload are valid until the callback returns.
 * - Each container has its own event queue and its own timer ids (1..OCRE_MAX_TIMERS): a
 *   container that does not poll never delays another, and two containers may both use timer 1.
 * - ocre_sleep(ms) sleeps the full time; events that arrive meanwhile wait for the next
 *   ocre_process_events().
 * - ocre_msg_system_init() exists and does nothing (Ocre declares it but its runtime does not
 *   provide it).
 */
#ifndef OCRE_API_H
#define OCRE_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks a function exported from the module under `name`. */
#define OCRE_EXPORT(name) __attribute__((export_name(name)))
/* Declares a function the host (module "env") provides. Private to this header. */
#define OCRE__IMPORT(name) __attribute__((import_module("env"), import_name(name)))

#define OCRE_SDK_VERSION_MAJOR 1
#define OCRE_SDK_VERSION_MINOR 0
#define OCRE_SDK_VERSION_PATCH 0
#define OCRE_SDK_VERSION "1.0.0"

/* Return codes of the SDK's own functions (the host's calls return negative errno values). */
#define OCRE_SUCCESS 0
#define OCRE_ERROR_INVALID -1
#define OCRE_ERROR_TIMEOUT -2
#define OCRE_ERROR_NOT_FOUND -3
#define OCRE_ERROR_BUSY -4
#define OCRE_ERROR_NO_MEMORY -5

/* Sizes. Topics longer than OCRE_MAX_SUBSCRIPTION_TOPIC_LEN - 1 bytes are cut to that length
 * when subscribing (as Ocre's runtime does), so they match more topics, not fewer. */
#define OCRE_MAX_TIMERS 16
#define OCRE_MAX_SENSORS 32
#define OCRE_MAX_CALLBACKS 64
#define OCRE_MAX_TOPIC_LEN 128
#define OCRE_MAX_SUBSCRIPTION_TOPIC_LEN 64
#define OCRE_MAX_CONTENT_TYPE_LEN 128
#define OCRE_MAX_PAYLOAD_LEN 1024 /* kept for source compatibility; ocre-ts does not cap payloads here */
#define CONFIG_MAX_SENSOR_NAME_LENGTH 125
#define OCRE_API_POSIX_BUF_SIZE 65

/* How ocre_process_events() paces itself (see the top of this file). */
#ifndef OCRE_SDK_EVENTS_PER_CALL
#define OCRE_SDK_EVENTS_PER_CALL 64
#endif
#ifndef OCRE_SDK_IDLE_WAIT_MS
#define OCRE_SDK_IDLE_WAIT_MS 1000
#endif

#ifndef CONFIG_OCRE_GPIO_MAX_PINS
#define CONFIG_OCRE_GPIO_MAX_PINS 32
#endif
#ifndef CONFIG_OCRE_GPIO_MAX_PORTS
#define CONFIG_OCRE_GPIO_MAX_PORTS 8
#endif
#ifndef CONFIG_OCRE_GPIO_PINS_PER_PORT
#define CONFIG_OCRE_GPIO_PINS_PER_PORT 16
#endif

/* ---- Events ------------------------------------------------------------------------------ */

/* The kinds of event ocre_get_event() reports; the values are Ocre's. */
typedef enum {
    OCRE_RESOURCE_TYPE_TIMER = 0,
    OCRE_RESOURCE_TYPE_GPIO = 1,
    OCRE_RESOURCE_TYPE_SENSOR = 2,
    OCRE_RESOURCE_TYPE_MESSAGE = 3,
    OCRE_RESOURCE_TYPE_COUNT
} ocre_resource_type_t;

/* One event as ocre_get_event() writes it. For a message: id is the message id, port the topic
 * pointer, state the content-type pointer, extra the payload pointer. */
typedef struct {
    uint32_t type;
    uint32_t id;
    uint32_t port;
    uint32_t state;
    uint32_t extra;
    uint32_t payload_len;
} event_data_t;

/* SDK bookkeeping, declared for source compatibility. */
typedef struct {
    bool initialized;
    uint32_t active_timers;
    uint32_t active_sensors;
} ocre_sdk_state_t;

typedef void (*timer_callback_func_t)(void);
typedef void (*gpio_callback_func_t)(void);
typedef void (*message_callback_func_t)(const char *topic, const char *content_type,
                                        const void *payload, uint32_t payload_len);

/* Host: take this container's oldest pending event, writing its six fields at the six
 * addresses. Returns 0, -ENOMSG when none is pending, -EINVAL for an address outside memory. */
OCRE__IMPORT("ocre_get_event")
int ocre_get_event(uint32_t type_offset, uint32_t id_offset, uint32_t port_offset,
                   uint32_t state_offset, uint32_t extra_offset, uint32_t payload_len_offset);

/* Host: note that `function_name` (an exported function) dispatches events of `type`. */
OCRE__IMPORT("ocre_register_dispatcher")
int ocre_register_dispatcher(ocre_resource_type_t type, const char *function_name);

/* SDK: hand pending events to the registered callbacks; wait for one when none is pending. */
void ocre_process_events(void);

int ocre_register_timer_callback(int timer_id, timer_callback_func_t callback);
int ocre_unregister_timer_callback(int timer_id);
int ocre_register_gpio_callback(int pin, int port, gpio_callback_func_t callback);
int ocre_unregister_gpio_callback(int pin, int port);
/* The callback runs for every message whose topic starts with `topic` (first registered wins). */
int ocre_register_message_callback(const char *topic, message_callback_func_t callback);
int ocre_unregister_message_callback(const char *topic);

/* ---- Timers (ids 1..OCRE_MAX_TIMERS, intervals 1..65535 ms) ----------------------------- */

OCRE__IMPORT("ocre_timer_create") int ocre_timer_create(int id);
OCRE__IMPORT("ocre_timer_delete") int ocre_timer_delete(int id);
OCRE__IMPORT("ocre_timer_start") int ocre_timer_start(int id, int interval, int is_periodic);
OCRE__IMPORT("ocre_timer_stop") int ocre_timer_stop(int id);
/* Milliseconds until the timer next fires, 0 when stopped, or a negative errno. */
OCRE__IMPORT("ocre_timer_get_remaining") int ocre_timer_get_remaining(int id);

/* ---- Messaging ---------------------------------------------------------------------------- */

typedef struct ocre_msg {
    uint32_t mid;
    char *topic;
    char *content_type;
    void *payload;
    uint32_t payload_len;
} ocre_msg_t;

/* Does nothing: messaging needs no set-up in this API. */
void ocre_msg_system_init(void);

/* Host: publish payload_len bytes. 0 when at least one subscription matched, -ENOENT when none
 * did, -EINVAL for a bad argument, -ENOMEM when the system's queue is full. */
OCRE__IMPORT("ocre_publish_message")
int ocre_publish_message(const char *topic, const char *content_type, const void *payload,
                         uint32_t payload_len);

/* Host: receive every message whose topic starts with `topic`. Subscribing twice returns 0. */
OCRE__IMPORT("ocre_subscribe_message")
int ocre_subscribe_message(const char *topic);

/* Host: free the message data an event handed over (the SDK calls it for you). */
OCRE__IMPORT("ocre_messaging_free_module_event_data")
int ocre_messaging_free_module_event_data(uint32_t topic_offset, uint32_t content_offset,
                                          uint32_t payload_offset);

/* ---- Utilities ---------------------------------------------------------------------------- */

/* Sleep for `milliseconds`; returns OCRE_SUCCESS. */
int ocre_sleep(int milliseconds);

/* Sleep for a very long time (Ocre's definition). */
#define ocre_pause() ocre_sleep(9999999)

/* ---- GPIO (virtual pins in ocre-ts) ------------------------------------------------------ */

typedef enum { OCRE_GPIO_DIR_INPUT, OCRE_GPIO_DIR_OUTPUT } ocre_gpio_direction_t;
typedef enum { OCRE_GPIO_PIN_RESET = 0, OCRE_GPIO_PIN_SET = 1 } ocre_gpio_pin_state_t;

OCRE__IMPORT("ocre_gpio_init") int ocre_gpio_init(void);
OCRE__IMPORT("ocre_gpio_configure") int ocre_gpio_configure(int port, int pin, int direction);
OCRE__IMPORT("ocre_gpio_pin_set")
int ocre_gpio_pin_set(int port, int pin, ocre_gpio_pin_state_t state);
OCRE__IMPORT("ocre_gpio_pin_get") ocre_gpio_pin_state_t ocre_gpio_pin_get(int port, int pin);
OCRE__IMPORT("ocre_gpio_pin_toggle") int ocre_gpio_pin_toggle(int port, int pin);
OCRE__IMPORT("ocre_gpio_register_callback") int ocre_gpio_register_callback(int port, int pin);
OCRE__IMPORT("ocre_gpio_unregister_callback")
int ocre_gpio_unregister_callback(int port, int pin);
OCRE__IMPORT("ocre_gpio_configure_by_name")
int ocre_gpio_configure_by_name(const char *name, int direction);
OCRE__IMPORT("ocre_gpio_set_by_name") int ocre_gpio_set_by_name(const char *name, int state);
OCRE__IMPORT("ocre_gpio_get_by_name") int ocre_gpio_get_by_name(const char *name);
OCRE__IMPORT("ocre_gpio_toggle_by_name") int ocre_gpio_toggle_by_name(const char *name);
OCRE__IMPORT("ocre_gpio_register_callback_by_name")
int ocre_gpio_register_callback_by_name(const char *name);
OCRE__IMPORT("ocre_gpio_unregister_callback_by_name")
int ocre_gpio_unregister_callback_by_name(const char *name);

/* ---- Sensors (simulated in ocre-ts) ------------------------------------------------------ */

typedef int ocre_sensor_handle_t;

OCRE__IMPORT("ocre_sensors_init") int ocre_sensors_init(void);
OCRE__IMPORT("ocre_sensors_discover") int ocre_sensors_discover(void);
OCRE__IMPORT("ocre_sensors_open") int ocre_sensors_open(ocre_sensor_handle_t handle);
OCRE__IMPORT("ocre_sensors_get_handle") int ocre_sensors_get_handle(int sensor_id);
OCRE__IMPORT("ocre_sensors_get_channel_count") int ocre_sensors_get_channel_count(int sensor_id);
OCRE__IMPORT("ocre_sensors_get_channel_type")
int ocre_sensors_get_channel_type(int sensor_id, int channel_index);
OCRE__IMPORT("ocre_sensors_read") double ocre_sensors_read(int sensor_id, int channel_type);
OCRE__IMPORT("ocre_sensors_get_handle_by_name")
int ocre_sensors_get_handle_by_name(const char *sensor_name);
OCRE__IMPORT("ocre_sensors_open_by_name") int ocre_sensors_open_by_name(const char *sensor_name);
OCRE__IMPORT("ocre_sensors_get_channel_count_by_name")
int ocre_sensors_get_channel_count_by_name(const char *sensor_name);
OCRE__IMPORT("ocre_sensors_get_channel_type_by_name")
int ocre_sensors_get_channel_type_by_name(const char *sensor_name, int channel_index);
OCRE__IMPORT("ocre_sensors_read_by_name")
double ocre_sensors_read_by_name(const char *sensor_name, int channel_type);

/* ---- POSIX -------------------------------------------------------------------------------- */

struct _ocre_posix_utsname {
    char sysname[OCRE_API_POSIX_BUF_SIZE];
    char nodename[OCRE_API_POSIX_BUF_SIZE];
    char release[OCRE_API_POSIX_BUF_SIZE];
    char version[OCRE_API_POSIX_BUF_SIZE];
    char machine[OCRE_API_POSIX_BUF_SIZE];
    char domainname[OCRE_API_POSIX_BUF_SIZE];
};

/* Host: fill `name` with the system's description. 0, or -1 for a bad pointer (as in Ocre).
 * A macro over a private name, so that wasi-libc's own uname() is not linked instead. */
OCRE__IMPORT("uname") int ocre__uname(struct _ocre_posix_utsname *name);
#define uname(name) ocre__uname(name)

#ifdef __cplusplus
}
#endif

#endif /* OCRE_API_H */
