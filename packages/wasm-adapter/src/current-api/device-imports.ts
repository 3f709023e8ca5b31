// Owns the `env` imports of Ocre's current API for simulated devices: `ocre_sensors_*` over a SensorBoard and `ocre_gpio_*` over VirtualGpio, for one container.
import { OcreError } from '@ocre-ts/core';
import type { GuestMemory, StringField } from '../guest/guest-memory.ts';
import { fail } from './errno.ts';
import { resourceType } from './event-queue.ts';
import type { GpioEvent, PushVerdict } from './event-queue.ts';
import type { SensorBoard } from './sensors.ts';
import type { VirtualGpio } from './virtual-gpio.ts';

/** Longest sensor or pin name read from the guest (`CONFIG_MAX_SENSOR_NAME_LENGTH`). */
const maxDeviceNameBytes = 125;

/** What the device imports of one container need. */
export interface DeviceImportsOptions {
  /** The container's name: it owns its GPIO watches. */
  readonly container: string;
  readonly memory: () => GuestMemory;
  readonly sensors: SensorBoard;
  readonly gpio: VirtualGpio;
  /** The container's events (a `CurrentEventQueue`): a watched pin's changes arrive here. */
  readonly events: { push(event: GpioEvent): PushVerdict };
  /** A pin change that found the container's queue full. */
  readonly onEventDropped?: (event: GpioEvent) => void;
}

type Import = (...args: number[]) => number;

/**
 * Makes the sensor and GPIO imports. Names are read through GuestMemory: a bad pointer or an
 * unterminated name is -EINVAL, an unknown name -ENOENT; the rest follows {@link SensorBoard}
 * and {@link VirtualGpio}. Nothing throws into the guest.
 */
export function createDeviceImports(
  options: DeviceImportsOptions,
): Readonly<Record<string, Import>> {
  const { sensors, gpio, container, events } = options;
  const nameAt = (pointer: number, call: string): string | number => {
    const field: StringField = {
      call,
      name: 'name',
      maxBytes: maxDeviceNameBytes,
      invalid: 'INVALID_TOPIC',
      tooLong: 'TOPIC_TOO_LONG',
    };
    const name = options.memory().readString(pointer, field);
    return name === null || name instanceof OcreError || name === '' ? fail('EINVAL') : name;
  };
  const sensorNamed = (pointer: number, call: string): number => {
    const name = nameAt(pointer, call);
    return typeof name === 'number' ? name : sensors.idOf(name);
  };
  const byName = (pointer: number, call: string, body: (id: number) => number): number => {
    const id = sensorNamed(pointer, call);
    return id < 0 ? id : body(id);
  };
  const pinNamed = (pointer: number, call: string, body: (port: number, pin: number) => number) => {
    const name = nameAt(pointer, call);
    if (typeof name === 'number') return name;
    const found = gpio.resolve(name);
    return found === undefined ? fail('ENOENT') : body(found.port, found.pin);
  };
  const notify = (port: number, pin: number) =>
    gpio.watch(port, pin, container, (change) => {
      const event: GpioEvent = {
        type: resourceType.GPIO,
        pin: change.pin,
        port: change.port,
        state: change.state,
      };
      if (events.push(event) === 'full') options.onEventDropped?.(event);
    });

  return {
    ocre_sensors_init: () => 0,
    ocre_sensors_discover: () => sensors.discover(),
    ocre_sensors_open: (handle) => sensors.open(handle),
    ocre_sensors_get_handle: (id) => sensors.handle(id),
    ocre_sensors_get_channel_count: (id) => sensors.channelCount(id),
    ocre_sensors_get_channel_type: (id, index) => sensors.channelType(id, index),
    ocre_sensors_read: (id, type) => sensors.read(id, type),
    ocre_sensors_open_by_name: (name) =>
      byName(name, 'ocre_sensors_open_by_name', (id) => sensors.open(id)),
    ocre_sensors_get_handle_by_name: (name) =>
      byName(name, 'ocre_sensors_get_handle_by_name', (id) => sensors.handle(id)),
    ocre_sensors_get_channel_count_by_name: (name) =>
      byName(name, 'ocre_sensors_get_channel_count_by_name', (id) => sensors.channelCount(id)),
    ocre_sensors_get_channel_type_by_name: (name, index) =>
      byName(name, 'ocre_sensors_get_channel_type_by_name', (id) => sensors.channelType(id, index)),
    ocre_sensors_read_by_name: (name, type) =>
      byName(name, 'ocre_sensors_read_by_name', (id) => sensors.read(id, type)),

    ocre_gpio_init: () => 0,
    ocre_gpio_configure: (port, pin, direction) => gpio.configure(port, pin, direction),
    ocre_gpio_pin_set: (port, pin, state) => gpio.set(port, pin, state, container),
    ocre_gpio_pin_get: (port, pin) => gpio.get(port, pin),
    ocre_gpio_pin_toggle: (port, pin) => gpio.toggle(port, pin, container),
    ocre_gpio_register_callback: (port, pin) => notify(port, pin),
    ocre_gpio_unregister_callback: (port, pin) => gpio.unwatch(port, pin, container),
    ocre_gpio_configure_by_name: (name, direction) =>
      pinNamed(name, 'ocre_gpio_configure_by_name', (port, pin) =>
        gpio.configure(port, pin, direction),
      ),
    ocre_gpio_set_by_name: (name, state) =>
      pinNamed(name, 'ocre_gpio_set_by_name', (port, pin) => gpio.set(port, pin, state, container)),
    ocre_gpio_get_by_name: (name) =>
      pinNamed(name, 'ocre_gpio_get_by_name', (port, pin) => gpio.get(port, pin)),
    ocre_gpio_toggle_by_name: (name) =>
      pinNamed(name, 'ocre_gpio_toggle_by_name', (port, pin) => gpio.toggle(port, pin, container)),
    ocre_gpio_register_callback_by_name: (name) =>
      pinNamed(name, 'ocre_gpio_register_callback_by_name', (port, pin) => notify(port, pin)),
    ocre_gpio_unregister_callback_by_name: (name) =>
      pinNamed(name, 'ocre_gpio_unregister_callback_by_name', (port, pin) =>
        gpio.unwatch(port, pin, container),
      ),
  };
}
