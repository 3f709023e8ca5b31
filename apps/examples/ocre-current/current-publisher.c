/* Ocre's current API: a timer publishes a temperature reading every 500 ms. */
#include <ocre_api.h>
#include <stdio.h>
#include <string.h>

#define READING_TIMER 1

static void publish_reading(void)
{
  static int count = 0;
  char payload[64];
  snprintf(payload, sizeof(payload), "{\"temperature\": %d.%d, \"unit\": \"celsius\"}",
           21 + count % 3, count % 10);
  count++;
  int ret = ocre_publish_message("sensors/temperature", "application/json", payload,
                                 (uint32_t)(strlen(payload) + 1));
  if (ret != OCRE_SUCCESS)
  {
    printf("publish failed: %d\n", ret); /* -ENOENT until someone subscribes */
  }
}

int main(void)
{
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (ocre_timer_create(READING_TIMER) != OCRE_SUCCESS ||
      ocre_register_timer_callback(READING_TIMER, publish_reading) != OCRE_SUCCESS ||
      ocre_timer_start(READING_TIMER, 500, 1) != OCRE_SUCCESS)
  {
    printf("cannot start the reading timer\n");
    return 1;
  }
  while (1)
  {
    ocre_process_events();
  }
}
