/* The 2025 API (the seed's): a handler exported by name, subscribed to one exact topic. */
#include <stdio.h>
#include "messaging.h"

__attribute__((export_name("temperature_handler")))
void temperature_handler(ocre_msg_t *msg)
{
  printf("[2025] mid=%llu %s: %s\n", msg->mid, msg->topic, (const char *)msg->payload);
}

int main(void)
{
  setvbuf(stdout, NULL, _IOLBF, 0);
  ocre_msg_system_init();
  if (ocre_subscribe_message("sensors/temperature", "temperature_handler") != 0)
  {
    return 1;
  }
  while (1)
  {
    ocre_sleep(1000);
  }
}
