/* A container that imports from both Ocre APIs: the 2025 init and the current event poll. The
 * loader must refuse it, naming the imports of each API. */
#include <stdint.h>

__attribute__((import_module("env"), import_name("ocre_msg_system_init")))
void ocre_msg_system_init(void);

__attribute__((import_module("env"), import_name("ocre_get_event")))
int ocre_get_event(uint32_t type, uint32_t id, uint32_t port, uint32_t state, uint32_t extra,
                   uint32_t payload_len);

int main(void) {
    uint32_t event[6];
    ocre_msg_system_init();
    return ocre_get_event((uint32_t)(uintptr_t)&event[0], (uint32_t)(uintptr_t)&event[1],
                          (uint32_t)(uintptr_t)&event[2], (uint32_t)(uintptr_t)&event[3],
                          (uint32_t)(uintptr_t)&event[4], (uint32_t)(uintptr_t)&event[5]);
}
