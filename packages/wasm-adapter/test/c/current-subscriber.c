/* A subscriber written against Ocre's current SDK: one callback for every topic under "test/". */
#include <ocre_api.h>
#include <stdio.h>
#include <string.h>

#define PREFIX "test/"

void on_message(const char *topic, const char *content_type, const void *payload, uint32_t payload_len);

int main(void)
{
  setvbuf(stdout, NULL, _IONBF, 0);
  int ret = ocre_register_message_callback(PREFIX, on_message);
  if (ret != OCRE_SUCCESS)
  {
    printf("cannot register a callback for %s\n", PREFIX);
  }
  ret = ocre_subscribe_message(PREFIX);
  if (ret != OCRE_SUCCESS)
  {
    printf("cannot subscribe to %s: %d\n", PREFIX, ret);
    ocre_unregister_message_callback(PREFIX);
  }
  printf("subscriber ready: listening on %s\n", PREFIX);
  while (1)
  {
    ocre_process_events();
  }
  return 0;
}

void on_message(const char *topic, const char *content_type, const void *payload, uint32_t payload_len)
{
  if (topic && content_type && payload)
  {
    printf("received: topic=%s content_type=%s payload=%s len=%u\n",
           topic, content_type, (const char *)payload, payload_len);
  }
  else
  {
    printf("received a message without data\n");
  }
}
