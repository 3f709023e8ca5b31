/* Ocre's current API, in the shape of Ocre's generic/messaging/publisher sample: a periodic timer
 * publishes a temperature reading to sensors/temperature every 500 ms. */
#include <ocre_api.h>
#include <stdio.h>
#include <string.h>

#define TIMER_ID 1
#define TOPIC "sensors/temperature"
#define CONTENT_TYPE "application/json"

void timer_handler(void);

int main(void)
{
  setvbuf(stdout, NULL, _IONBF, 0);
  if (ocre_timer_create(TIMER_ID) != OCRE_SUCCESS)
  {
    printf("Failed to create timer %d\n", TIMER_ID);
  }
  if (ocre_register_timer_callback(TIMER_ID, timer_handler) != OCRE_SUCCESS)
  {
    printf("Failed to register timer callback\n");
  }
  if (ocre_timer_start(TIMER_ID, 500, 1) != OCRE_SUCCESS)
  {
    printf("Failed to start timer %d\n", TIMER_ID);
  }
  printf("Publisher initialized: timer %d started, publishing to %s\n", TIMER_ID, TOPIC);
  while (1)
  {
    ocre_process_events();
  }
  return 0;
}

void timer_handler(void)
{
  static int count = 0;
  char payload[64];
  snprintf(payload, sizeof(payload), "{\"temperature\": %d.%d, \"unit\": \"celsius\"}",
           21 + count % 3, count % 10);
  count++;
  int ret = ocre_publish_message(TOPIC, CONTENT_TYPE, payload, (uint32_t)(strlen(payload) + 1));
  if (ret == OCRE_SUCCESS)
  {
    printf("Published: %s to topic %s\n", payload, TOPIC);
  }
  else
  {
    printf("Failed to publish message %d: %d\n", count, ret);
  }
}
