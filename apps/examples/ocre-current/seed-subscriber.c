#include <stdio.h>
#include <string.h>
#include "messaging.h"
// Message handler function (exported for WASM)
__attribute__((export_name("temperature_handler")))
void temperature_handler(ocre_msg_t *msg) {
printf("Received message on topic: %s\n", msg->topic);
printf("Content type: %s\n", msg->content_type);
printf("Payload: %s\n", (char *)msg->payload);
printf("Message ID: %llu\n", msg->mid);
// In a real application, parse the JSON payload and process the data
}
// Initialize the messaging system and subscribe to topics
static int init_messaging(void) {
ocre_msg_system_init();
printf("Messaging system initialized\n");
int ret = ocre_subscribe_message(NULL, "sensors/temperature", "temperature_handler");
if (ret != 0) {
printf("Failed to subscribe: %d\n", ret);
return ret;
}
printf("Subscribed to sensors/temperature\n");
return 0;
}
// Application entry point
int main(void) {
// Set STDIO to line buffering
setvbuf(stdout, NULL, _IOLBF, 0);
// Initialize messaging and subscription
if (init_messaging() != 0) {
printf("Failed to initialize messaging\n");
return -1;
}
// Keep the application running
while (1) {
ocre_sleep(100); // Prevent busy waiting
}
return 0;
}
