/* Ocre's current API: one callback for every topic under "sensors/". */
#include <ocre_api.h>
#include <stdio.h>

static void on_sensor(const char *topic, const char *content_type, const void *payload,
                      uint32_t payload_len)
{
  printf("[current] %s (%s, %u bytes): %s\n", topic, content_type, payload_len,
         (const char *)payload);
}

int main(void)
{
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (ocre_register_message_callback("sensors/", on_sensor) != OCRE_SUCCESS ||
      ocre_subscribe_message("sensors/") != OCRE_SUCCESS)
  {
    printf("cannot subscribe to sensors/\n");
    return 1;
  }
  while (1)
  {
    ocre_process_events();
  }
}
