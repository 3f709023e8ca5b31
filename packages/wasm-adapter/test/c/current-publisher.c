/* A publisher written against Ocre's current SDK: a periodic timer publishes a counter. */
#include <ocre_api.h>
#include <stdio.h>
#include <string.h>

#define TICK_TIMER 1
#define TOPIC "test/topic"
#define CONTENT_TYPE "text/plain"

void on_tick(void);

int main(void)
{
  setvbuf(stdout, NULL, _IONBF, 0);
  if (ocre_timer_create(TICK_TIMER) != OCRE_SUCCESS)
  {
    printf("cannot create timer %d\n", TICK_TIMER);
  }
  if (ocre_register_timer_callback(TICK_TIMER, on_tick) != OCRE_SUCCESS)
  {
    printf("cannot register the tick callback\n");
  }
  if (ocre_timer_start(TICK_TIMER, 100, 1) != OCRE_SUCCESS)
  {
    printf("cannot start timer %d\n", TICK_TIMER);
  }
  printf("publisher ready: timer %d publishes to %s\n", TICK_TIMER, TOPIC);
  while (1)
  {
    ocre_process_events();
  }
  return 0;
}

void on_tick(void)
{
  static int sent = 0;
  char payload[32];
  snprintf(payload, sizeof(payload), "message %d", sent++);
  int ret = ocre_publish_message(TOPIC, CONTENT_TYPE, payload, (uint32_t)(strlen(payload) + 1));
  if (ret == OCRE_SUCCESS)
  {
    printf("published: %s\n", payload);
  }
  else
  {
    printf("publish %d failed: %d\n", sent, ret);
  }
}
