// Owns turning a system file's `sensors:` and `gpio:` into the devices every current-API container sees, reading scripted sensors' files now (loaded only when a file declares devices).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSensorScript } from '@ocre-ts/wasm-adapter';
import type { DeviceDeclarations, SensorDeclaration } from '@ocre-ts/wasm-adapter';
import type { GpioEntry, SensorEntry } from './system-file/devices.ts';

/**
 * The devices the system file declares, read now (a scripted sensor's file is parsed here, so a
 * bad reading is reported before anything starts); undefined when it declares none.
 *
 * @param base - the system file's folder, which `script:` paths are relative to
 * @param problems - where each unreadable or malformed script is noted
 */
export function deviceDeclarations(
  sensors: readonly SensorEntry[] | undefined,
  gpio: GpioEntry | undefined,
  base: string,
  problems: string[],
): DeviceDeclarations | undefined {
  if (sensors === undefined && gpio?.names === undefined) return undefined;
  const declared: SensorDeclaration[] = [];
  (sensors ?? []).forEach((sensor, index) => {
    if (sensor.kind === 'random') {
      declared.push({ name: sensor.name, kind: 'random' });
      return;
    }
    const file = resolve(base, sensor.script ?? '');
    try {
      const rows = parseSensorScript(readFileSync(file, 'utf8'), sensor.script);
      declared.push({
        name: sensor.name,
        kind: 'scripted',
        rows,
        ...(sensor.channelTypes === undefined ? {} : { channelTypes: sensor.channelTypes }),
      });
    } catch (error) {
      problems.push(`sensors[${index}].script: ${(error as Error).message}`);
    }
  });
  return {
    sensors: declared,
    ...(gpio?.names === undefined ? {} : { gpioNames: gpio.names }),
  };
}
