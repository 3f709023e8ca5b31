// Owns building a current-API container's simulated devices from their plain declarations: its sensor board and its virtual GPIO pins.
import type { DeviceDeclarations } from '../channel/worker-protocol.ts';
import { SensorBoard, randomSensor, scriptedSensor } from './sensors.ts';
import { VirtualGpio } from './virtual-gpio.ts';
import type { GpioChange } from './virtual-gpio.ts';

/** One container's devices, behind `ocre_sensors_*` and `ocre_gpio_*`. */
export interface ContainerDevices {
  readonly sensors: SensorBoard;
  readonly gpio: VirtualGpio;
}

/**
 * Builds the devices one container instance sees. Each instance has its own board: a pin set by
 * one container is not seen by another (Ocre's pins are the board's; ours are simulated per
 * container, and every change is reported through `onChange`).
 *
 * @param declarations - sensors and pin names (none by default: discovery finds 0 sensors)
 * @param onChange - every change of a pin's state
 */
export function createDevices(
  declarations: DeviceDeclarations = {},
  onChange?: (change: GpioChange) => void,
): ContainerDevices {
  const sensors = new SensorBoard(
    (declarations.sensors ?? []).map((sensor) =>
      sensor.kind === 'random'
        ? randomSensor(sensor.name)
        : scriptedSensor(sensor.name, sensor.rows, sensor.channelTypes),
    ),
  );
  const gpio = new VirtualGpio({
    ...(declarations.gpioNames === undefined ? {} : { names: declarations.gpioNames }),
    ...(onChange === undefined ? {} : { onChange }),
  });
  return { sensors, gpio };
}
