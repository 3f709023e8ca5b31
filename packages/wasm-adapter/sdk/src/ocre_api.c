/*
 * ocre_api.c — the container side of Ocre's current API for ocre-ts: callback tables, the event
 * loop (ocre_process_events) and ocre_sleep. Written for ocre-ts; see ocre_api.h for how it
 * differs from Ocre's own SDK. buildContainer() compiles and links this file into every
 * container whose sources include ocre_api.h.
 */
#include "ocre_api.h"

#include <string.h>

/* The host's ocre_sleep. It returns 0 once the time is up, or the whole milliseconds still to
 * sleep when an event for this container arrived meanwhile (so ocre_process_events can wait for
 * events without polling). */
OCRE__IMPORT("ocre_sleep") int ocre__host_sleep(int milliseconds);

#define OCRE__ADDRESS(lvalue) ((uint32_t)(uintptr_t)&(lvalue))

static timer_callback_func_t timer_callbacks[OCRE_MAX_CALLBACKS];

static struct {
    int pin;
    int port;
    gpio_callback_func_t callback;
} gpio_callbacks[OCRE_MAX_CALLBACKS];

static struct {
    char topic[OCRE_MAX_TOPIC_LEN];
    size_t topic_len;
    message_callback_func_t callback;
} message_callbacks[OCRE_MAX_CALLBACKS];

/* ---- Dispatchers: exported so ocre_register_dispatcher() can name them, as Ocre requires. */

OCRE_EXPORT("ocre_sdk_dispatch_timer") void ocre_sdk_dispatch_timer(int timer_id) {
    if (timer_id >= 0 && timer_id < OCRE_MAX_CALLBACKS && timer_callbacks[timer_id] != NULL) {
        timer_callbacks[timer_id]();
    }
}

OCRE_EXPORT("ocre_sdk_dispatch_gpio") void ocre_sdk_dispatch_gpio(int pin, int state, int port) {
    (void)state;
    for (int i = 0; i < OCRE_MAX_CALLBACKS; i++) {
        if (gpio_callbacks[i].callback != NULL && gpio_callbacks[i].pin == pin &&
            gpio_callbacks[i].port == port) {
            gpio_callbacks[i].callback();
            return;
        }
    }
}

OCRE_EXPORT("ocre_sdk_dispatch_message")
void ocre_sdk_dispatch_message(const char *topic, const char *content_type, const void *payload,
                               uint32_t payload_len) {
    for (int i = 0; i < OCRE_MAX_CALLBACKS; i++) {
        if (message_callbacks[i].callback != NULL &&
            strncmp(message_callbacks[i].topic, topic, message_callbacks[i].topic_len) == 0) {
            message_callbacks[i].callback(topic, content_type, payload, payload_len);
            return;
        }
    }
}

/* ---- The event loop ---------------------------------------------------------------------- */

static void dispatch(const event_data_t *event) {
    switch (event->type) {
    case OCRE_RESOURCE_TYPE_TIMER:
        ocre_sdk_dispatch_timer((int)event->id);
        break;
    case OCRE_RESOURCE_TYPE_GPIO:
        ocre_sdk_dispatch_gpio((int)event->id, (int)event->state, (int)event->port);
        break;
    case OCRE_RESOURCE_TYPE_MESSAGE:
        /* The data stays where the host put it until the callback returns: no copy, no cap. */
        ocre_sdk_dispatch_message((const char *)(uintptr_t)event->port,
                                  (const char *)(uintptr_t)event->state,
                                  (const void *)(uintptr_t)event->extra, event->payload_len);
        ocre_messaging_free_module_event_data(event->port, event->state, event->extra);
        break;
    default:
        break;
    }
}

void ocre_process_events(void) {
    event_data_t event;
    int handled = 0;
    while (handled < OCRE_SDK_EVENTS_PER_CALL &&
           ocre_get_event(OCRE__ADDRESS(event.type), OCRE__ADDRESS(event.id),
                          OCRE__ADDRESS(event.port), OCRE__ADDRESS(event.state),
                          OCRE__ADDRESS(event.extra), OCRE__ADDRESS(event.payload_len)) == 0) {
        dispatch(&event);
        handled++;
    }
    if (handled == 0) {
        /* Nothing pending: wait until an event arrives (the host ends the sleep early). */
        ocre__host_sleep(OCRE_SDK_IDLE_WAIT_MS);
    }
}

int ocre_sleep(int milliseconds) {
    if (milliseconds <= 0) {
        ocre__host_sleep(milliseconds);
        return OCRE_SUCCESS;
    }
    /* The host ends a sleep early when an event arrives; sleep out the rest. Each early return
     * is strictly less than what was asked, so this ends. */
    int left = milliseconds;
    while (left > 0) {
        int rest = ocre__host_sleep(left);
        if (rest <= 0 || rest >= left) break;
        left = rest;
    }
    return OCRE_SUCCESS;
}

void ocre_msg_system_init(void) {}

/* ---- Registration ------------------------------------------------------------------------ */

int ocre_register_timer_callback(int timer_id, timer_callback_func_t callback) {
    if (timer_id < 0 || timer_id >= OCRE_MAX_CALLBACKS || callback == NULL) {
        return OCRE_ERROR_INVALID;
    }
    if (ocre_register_dispatcher(OCRE_RESOURCE_TYPE_TIMER, "ocre_sdk_dispatch_timer") != 0) {
        return OCRE_ERROR_INVALID;
    }
    timer_callbacks[timer_id] = callback;
    return OCRE_SUCCESS;
}

int ocre_unregister_timer_callback(int timer_id) {
    if (timer_id < 0 || timer_id >= OCRE_MAX_CALLBACKS) return OCRE_ERROR_INVALID;
    if (timer_callbacks[timer_id] == NULL) return OCRE_ERROR_NOT_FOUND;
    timer_callbacks[timer_id] = NULL;
    return OCRE_SUCCESS;
}

int ocre_register_gpio_callback(int pin, int port, gpio_callback_func_t callback) {
    if (callback == NULL || pin < 0 || pin >= CONFIG_OCRE_GPIO_PINS_PER_PORT || port < 0 ||
        port >= CONFIG_OCRE_GPIO_MAX_PORTS) {
        return OCRE_ERROR_INVALID;
    }
    int slot = -1;
    for (int i = 0; i < OCRE_MAX_CALLBACKS; i++) {
        if (gpio_callbacks[i].callback != NULL && gpio_callbacks[i].pin == pin &&
            gpio_callbacks[i].port == port) {
            slot = i;
            break;
        }
        if (slot < 0 && gpio_callbacks[i].callback == NULL) slot = i;
    }
    if (slot < 0) return OCRE_ERROR_NO_MEMORY;
    if (ocre_register_dispatcher(OCRE_RESOURCE_TYPE_GPIO, "ocre_sdk_dispatch_gpio") != 0) {
        return OCRE_ERROR_INVALID;
    }
    gpio_callbacks[slot].pin = pin;
    gpio_callbacks[slot].port = port;
    gpio_callbacks[slot].callback = callback;
    return ocre_gpio_register_callback(port, pin);
}

int ocre_unregister_gpio_callback(int pin, int port) {
    for (int i = 0; i < OCRE_MAX_CALLBACKS; i++) {
        if (gpio_callbacks[i].callback != NULL && gpio_callbacks[i].pin == pin &&
            gpio_callbacks[i].port == port) {
            gpio_callbacks[i].callback = NULL;
            return ocre_gpio_unregister_callback(port, pin);
        }
    }
    return OCRE_ERROR_NOT_FOUND;
}

int ocre_register_message_callback(const char *topic, message_callback_func_t callback) {
    if (topic == NULL || topic[0] == '\0' || callback == NULL) return OCRE_ERROR_INVALID;
    int slot = -1;
    for (int i = 0; i < OCRE_MAX_CALLBACKS; i++) {
        if (message_callbacks[i].callback != NULL &&
            strncmp(message_callbacks[i].topic, topic, OCRE_MAX_TOPIC_LEN - 1) == 0) {
            slot = i;
            break;
        }
        if (slot < 0 && message_callbacks[i].callback == NULL) slot = i;
    }
    if (slot < 0) return OCRE_ERROR_NO_MEMORY;
    if (ocre_register_dispatcher(OCRE_RESOURCE_TYPE_MESSAGE, "ocre_sdk_dispatch_message") != 0) {
        return OCRE_ERROR_INVALID;
    }
    strncpy(message_callbacks[slot].topic, topic, OCRE_MAX_TOPIC_LEN - 1);
    message_callbacks[slot].topic[OCRE_MAX_TOPIC_LEN - 1] = '\0';
    message_callbacks[slot].topic_len = strlen(message_callbacks[slot].topic);
    message_callbacks[slot].callback = callback;
    return OCRE_SUCCESS;
}

int ocre_unregister_message_callback(const char *topic) {
    if (topic == NULL || topic[0] == '\0') return OCRE_ERROR_INVALID;
    for (int i = 0; i < OCRE_MAX_CALLBACKS; i++) {
        if (message_callbacks[i].callback != NULL &&
            strncmp(message_callbacks[i].topic, topic, OCRE_MAX_TOPIC_LEN - 1) == 0) {
            message_callbacks[i].callback = NULL;
            message_callbacks[i].topic[0] = '\0';
            message_callbacks[i].topic_len = 0;
            return OCRE_SUCCESS;
        }
    }
    return OCRE_ERROR_NOT_FOUND;
}
