/* A current-API container that reads the sensors the system declares and drives a named virtual
 * GPIO pin: prints each result, then waits for events. */
#include <ocre_api.h>
#include <stdio.h>

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("sensors_init=%d discover=%d\n", ocre_sensors_init(), ocre_sensors_discover());
    printf("open=%d\n", ocre_sensors_open_by_name("thermometer"));
    for (int i = 0; i < 3; i++) {
        printf("thermometer=%.1f\n", ocre_sensors_read_by_name("thermometer", 0));
    }
    double random = ocre_sensors_read_by_name("RNG Sensor", 0x10001);
    printf("rng_in_range=%d\n", random >= 0 && random <= 65535);
    printf("unknown=%d\n", ocre_sensors_open_by_name("no such sensor"));
    printf("gpio_init=%d\n", ocre_gpio_init());
    printf("configure=%d\n", ocre_gpio_configure_by_name("led", OCRE_GPIO_DIR_OUTPUT));
    printf("set=%d\n", ocre_gpio_set_by_name("led", 1));
    printf("toggle=%d\n", ocre_gpio_toggle_by_name("led"));
    printf("get=%d\n", ocre_gpio_get_by_name("led"));
    printf("done\n");
    while (1) {
        ocre_process_events();
    }
    return 0;
}
