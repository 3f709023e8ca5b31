// Owns the names and WebAssembly signatures of the `env` imports of Ocre's current API, as Ocre's runtime registers them.

const i32x = (count: number): string => Array.from({ length: count }, () => 'i32').join(', ');
const takes = (count: number, result = 'i32'): string => `(${i32x(count)}) -> ${result}`;

/**
 * Every `env` import of Ocre's current API with its signature, read from Ocre's runtime table
 * (`ocre_api.c`, WAMR signatures: `*` and `$` are i32 pointers, `F` is f64). `ocre_sleep` and
 * `ocre_publish_message` have the same signature in the 2025 API.
 */
export const currentImportSignatures: Readonly<Record<string, string>> = Object.freeze({
  uname: takes(1),
  ocre_sleep: takes(1),
  ocre_get_event: takes(6),
  ocre_register_dispatcher: takes(2),
  ocre_publish_message: takes(4),
  ocre_subscribe_message: takes(1),
  ocre_messaging_free_module_event_data: takes(3),
  ocre_timer_create: takes(1),
  ocre_timer_start: takes(3),
  ocre_timer_stop: takes(1),
  ocre_timer_delete: takes(1),
  ocre_timer_get_remaining: takes(1),
  ocre_sensors_init: takes(0),
  ocre_sensors_discover: takes(0),
  ocre_sensors_open: takes(1),
  ocre_sensors_get_handle: takes(1),
  ocre_sensors_get_channel_count: takes(1),
  ocre_sensors_get_channel_type: takes(2),
  ocre_sensors_read: takes(2, 'f64'),
  ocre_sensors_open_by_name: takes(1),
  ocre_sensors_get_handle_by_name: takes(1),
  ocre_sensors_get_channel_count_by_name: takes(1),
  ocre_sensors_get_channel_type_by_name: takes(2),
  ocre_sensors_read_by_name: takes(2, 'f64'),
  ocre_sensors_get_list: takes(2),
  ocre_gpio_init: takes(0),
  ocre_gpio_configure: takes(3),
  ocre_gpio_pin_set: takes(3),
  ocre_gpio_pin_get: takes(2),
  ocre_gpio_pin_toggle: takes(2),
  ocre_gpio_register_callback: takes(2),
  ocre_gpio_unregister_callback: takes(2),
  ocre_gpio_configure_by_name: takes(2),
  ocre_gpio_set_by_name: takes(2),
  ocre_gpio_get_by_name: takes(1),
  ocre_gpio_toggle_by_name: takes(1),
  ocre_gpio_register_callback_by_name: takes(1),
  ocre_gpio_unregister_callback_by_name: takes(1),
});
