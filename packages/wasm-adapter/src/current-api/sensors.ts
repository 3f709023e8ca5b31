// Owns simulated sensors for Ocre's current API: a random sensor like Ocre's RNG sensor, a scripted one replaying readings from a file, and the `ocre_sensors_*` results over them.
import { readFileSync } from 'node:fs';
import { SensorScriptError } from '../errors.ts';
import { fail } from './errno.ts';

/** One channel of a sensor: its Ocre channel type and how to take a reading. */
interface SensorChannel {
  readonly type: number;
  readonly read: () => number;
}

/** A sensor as `ocre_sensors_*` sees it. Its handle and id are its index in the system's list. */
export interface SimulatedSensor {
  readonly name: string;
  readonly channels: readonly SensorChannel[];
}

/** The channel type of Ocre's RNG sensor (Zephyr's first custom channel, `SENSOR_CHAN_CUSTOM + 1`). */
export const rngChannelType = 0x10001;

/**
 * A sensor like Ocre's RNG sensor: one channel whose every reading is a random whole number
 * from 0 to 65535.
 *
 * @param random - the source of randomness in [0, 1) (seed it in tests)
 */
export function randomSensor(
  name = 'RNG Sensor',
  random: () => number = Math.random,
): SimulatedSensor {
  return { name, channels: [{ type: rngChannelType, read: () => Math.floor(random() * 65536) }] };
}

/**
 * Parses a sensor script: one reading per line, one number per channel separated by commas or
 * spaces; blank lines and `#` comments are skipped. Every line must have the same count.
 *
 * @throws SensorScriptError naming the line that is not a reading
 */
export function parseSensorScript(text: string, file = '<script>'): number[][] {
  const rows: number[][] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const values = line.split(/[\s,]+/).map(Number);
    if (values.some((value) => !Number.isFinite(value))) {
      throw new SensorScriptError(
        file,
        `${file}:${index + 1}: ${JSON.stringify(raw.trim())} is not a list of numbers`,
      );
    }
    if (rows[0] !== undefined && values.length !== rows[0].length) {
      throw new SensorScriptError(
        file,
        `${file}:${index + 1}: has ${values.length} values, but the first reading has ${rows[0].length} (one per channel)`,
      );
    }
    rows.push(values);
  });
  if (rows.length === 0) throw new SensorScriptError(file, `${file}: holds no readings`);
  return rows;
}

/**
 * A sensor replaying readings: channel k reads column k of `rows`, each read of that channel
 * taking the next row and starting over after the last.
 *
 * @param channelTypes - the Ocre channel type of each column (default 0, 1, 2…)
 */
export function scriptedSensor(
  name: string,
  rows: readonly (readonly number[])[],
  channelTypes: readonly number[] = (rows[0] ?? []).map((_, index) => index),
): SimulatedSensor {
  return {
    name,
    channels: channelTypes.map((type, column) => {
      let next = 0;
      return {
        type,
        read: () => {
          const value = rows[next % rows.length]?.[column] ?? 0;
          next++;
          return value;
        },
      };
    }),
  };
}

/** {@link scriptedSensor} over a file's readings (see {@link parseSensorScript}). */
export function loadScriptedSensor(
  name: string,
  file: string,
  channelTypes?: readonly number[],
): SimulatedSensor {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SensorScriptError(
      file,
      `${file}: cannot read the sensor script: ${(error as Error).message}`,
      error,
    );
  }
  return scriptedSensor(name, parseSensorScript(text, file), channelTypes);
}

/**
 * The `ocre_sensors_*` calls over a list of sensors, by id (= handle = index) or by name, with
 * Ocre's results: a bad id, handle or channel index is -EINVAL, an unknown name -ENOENT, a
 * channel type the sensor lacks -EINVAL (read returns it as a double, as Ocre does).
 */
export class SensorBoard {
  /** @param sensors - the system's sensors, in discovery order */
  constructor(readonly sensors: readonly SimulatedSensor[]) {}

  /** `ocre_sensors_discover`: how many sensors there are. */
  discover(): number {
    return this.sensors.length;
  }

  /** `ocre_sensors_open` / `ocre_sensors_get_handle`: 0 / the handle, or -EINVAL. */
  open(handle: number): number {
    return this.sensors[handle] === undefined || !Number.isInteger(handle) ? fail('EINVAL') : 0;
  }

  /** The id of the sensor called `name`, or -ENOENT. */
  idOf(name: string): number {
    const id = this.sensors.findIndex((sensor) => sensor.name === name);
    return id < 0 ? fail('ENOENT') : id;
  }

  /** `ocre_sensors_get_handle`. */
  handle(id: number): number {
    return this.open(id) === 0 ? id : fail('EINVAL');
  }

  /** `ocre_sensors_get_channel_count`. */
  channelCount(id: number): number {
    return this.sensors[id]?.channels.length ?? fail('EINVAL');
  }

  /** `ocre_sensors_get_channel_type`. */
  channelType(id: number, index: number): number {
    return this.sensors[id]?.channels[index]?.type ?? fail('EINVAL');
  }

  /** `ocre_sensors_read`: the reading of the sensor's channel of type `channelType`. */
  read(id: number, channelType: number): number {
    const channel = this.sensors[id]?.channels.find((candidate) => candidate.type === channelType);
    return channel === undefined ? fail('EINVAL') : channel.read();
  }
}
