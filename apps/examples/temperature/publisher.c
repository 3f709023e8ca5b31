#include <stdio.h>
#include <string.h>
#include "messaging.h"
#define INTERVAL_MS 500
// Initialize the messaging system
static int init_messaging(void) {
ocre_msg_system_init();
printf("Messaging system initialized\n");
return 0;
}
// Publish temperature data
static void publish_temperature(void) {
char *topic = "sensors/temperature";
char *content_type = "application/json";
char payload[64];
static float temp = 22.5;
snprintf(payload, sizeof(payload), "{\"temperature\": %.1f, \"unit\": \"celsius\"}", temp);
temp += 0.1;
int payload_len = strlen(payload) + 1; // Include null terminator
int ret = ocre_publish_message(NULL, topic, content_type, payload, payload_len);
if (ret == 0) {
printf("Published temperature data to %s\n", topic);
} else {
printf("Failed to publish temperature data: %d\n", ret);
}
}
// Application entry point
int main(void) {
// Set STDIO to line buffering
setvbuf(stdout, NULL, _IOLBF, 0);
// Initialize messaging
if (init_messaging() != 0) {
printf("Failed to initialize messaging\n");
return -1;
}
// Publish data periodically
while (1) {
publish_temperature();
ocre_sleep(INTERVAL_MS);
}
return 0;
}
