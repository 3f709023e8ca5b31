// Tests the simulated devices of Ocre's current API: random and scripted sensors, virtual GPIO pins whose changes reach watching containers, and their imports on real linear memory.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CurrentEventQueue,
  SensorBoard,
  VirtualGpio,
  createDeviceImports,
  errno,
  loadScriptedSensor,
  parseSensorScript,
  randomSensor,
  resourceType,
  rngChannelType,
  scriptedSensor,
} from '../../src/current-api/index.ts';
import type { GpioChange } from '../../src/current-api/index.ts';
import { SensorScriptError } from '../../src/errors.ts';
import { GuestMemory } from '../../src/guest/guest-memory.ts';

const EINVAL = -errno.EINVAL;
const ENOENT = -errno.ENOENT;

describe('simulated sensors', () => {
  it('reads a random sensor like Ocre’s RNG sensor: one channel, whole numbers 0..65535', () => {
    const values = [0, 0.5, 0.999999];
    const board = new SensorBoard([randomSensor('RNG Sensor', () => values.shift() ?? 0)]);
    expect([board.discover(), board.open(0), board.handle(0), board.channelCount(0)]).toEqual([
      1, 0, 0, 1,
    ]);
    expect(board.channelType(0, 0)).toBe(rngChannelType);
    expect([0, 1, 2].map(() => board.read(0, rngChannelType))).toEqual([0, 32768, 65535]);
  });

  it('answers Ocre’s codes for a bad id, handle, channel or name', () => {
    const board = new SensorBoard([randomSensor()]);
    expect([board.open(1), board.open(-1), board.handle(7), board.channelCount(2)]).toEqual(
      Array(4).fill(EINVAL),
    );
    expect([board.channelType(0, 1), board.read(0, 12345), board.read(3, rngChannelType)]).toEqual(
      Array(3).fill(EINVAL),
    );
    expect([board.idOf('RNG Sensor'), board.idOf('Nope')]).toEqual([0, ENOENT]);
  });

  it('replays a script per channel, starting over after the last reading', () => {
    const rows = parseSensorScript('# temperature, humidity\n21.5, 40\n\n22 41 # second\n');
    expect(rows).toEqual([
      [21.5, 40],
      [22, 41],
    ]);
    const board = new SensorBoard([scriptedSensor('climate', rows, [13, 16])]);
    expect([board.read(0, 13), board.read(0, 13), board.read(0, 13)]).toEqual([21.5, 22, 21.5]);
    expect(board.read(0, 16)).toBe(40);
  });

  it('refuses a script that is not readings, naming the line', () => {
    const refusal = (text: string) => {
      try {
        parseSensorScript(text, 'climate.txt');
      } catch (error) {
        if (error instanceof SensorScriptError) return `${error.code}: ${error.message}`;
      }
      return 'accepted';
    };
    expect(refusal('1, 2\nwarm, 3\n')).toMatchInlineSnapshot(
      `"SENSOR_SCRIPT: climate.txt:2: "warm, 3" is not a list of numbers"`,
    );
    expect(refusal('1, 2\n3\n')).toMatchInlineSnapshot(
      `"SENSOR_SCRIPT: climate.txt:2: has 1 values, but the first reading has 2 (one per channel)"`,
    );
    expect(refusal('# nothing\n')).toMatchInlineSnapshot(
      `"SENSOR_SCRIPT: climate.txt: holds no readings"`,
    );
  });

  it('loads a scripted sensor from a file, and names a missing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ocre-sensor-'));
    try {
      await writeFile(join(dir, 'levels.txt'), '1\n2\n3\n');
      const board = new SensorBoard([loadScriptedSensor('level', join(dir, 'levels.txt'))]);
      expect([0, 1, 2, 3].map(() => board.read(0, 0))).toEqual([1, 2, 3, 1]);
      expect(() => loadScriptedSensor('x', join(dir, 'missing.txt'))).toThrow(
        /missing\.txt: cannot read the sensor script/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('VirtualGpio', () => {
  it('sets and toggles configured output pins, telling watchers and the system of each change', () => {
    const changes: GpioChange[] = [];
    const gpio = new VirtualGpio({ onChange: (change) => changes.push(change) });
    const seen: GpioChange[] = [];
    expect(gpio.set(0, 5, 1, 'a')).toBe(EINVAL); // not configured
    expect(gpio.configure(0, 5, 1)).toBe(0);
    expect(gpio.watch(0, 5, 'b', (change) => seen.push(change))).toBe(0);
    expect(gpio.set(0, 5, 7, 'a')).toBe(0);
    expect(gpio.set(0, 5, 1, 'a')).toBe(0); // no change, no event
    expect(gpio.toggle(0, 5, 'a')).toBe(0);
    expect(gpio.get(0, 5)).toBe(0);
    expect(changes).toEqual([
      { port: 0, pin: 5, state: 1, by: 'a' },
      { port: 0, pin: 5, state: 0, by: 'a' },
    ]);
    expect(seen).toEqual(changes);
    expect(gpio.unwatch(0, 5, 'b')).toBe(0);
    expect(gpio.unwatch(0, 5, 'b')).toBe(EINVAL);
  });

  it('refuses ports, pins and directions out of range, and a container setting an input pin', () => {
    const gpio = new VirtualGpio({ maxPorts: 2, pinsPerPort: 4 });
    expect([
      gpio.configure(2, 0, 0),
      gpio.configure(0, 4, 0),
      gpio.configure(-1, 0, 0),
      gpio.configure(0, 0, 2),
    ]).toEqual(Array(4).fill(EINVAL));
    gpio.configure(1, 3, 0);
    expect([gpio.set(1, 3, 1, 'a'), gpio.toggle(1, 3, 'a'), gpio.get(0, 0)]).toEqual(
      Array(3).fill(EINVAL),
    );
    expect(gpio.drive(1, 3, 1)).toBe(0);
    expect(gpio.get(1, 3)).toBe(1);
  });
});

describe('device imports', () => {
  function setup(capacity = 4) {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const bytes = new Uint8Array(memory.buffer);
    const string = (at: number, text: string) => (
      bytes.set([...new TextEncoder().encode(text), 0], at),
      at
    );
    const gpio = new VirtualGpio({
      names: { button: { port: 1, pin: 2 }, led: { port: 0, pin: 0 } },
    });
    const events = new CurrentEventQueue(capacity);
    const dropped: unknown[] = [];
    const env = createDeviceImports({
      container: 'app',
      memory: () => new GuestMemory(memory),
      sensors: new SensorBoard([randomSensor('RNG Sensor', () => 0.25)]),
      gpio,
      events,
      onEventDropped: (event) => dropped.push(event),
    });
    return { env, string, gpio, events, dropped, bytes };
  }

  it('reads sensors by name, -ENOENT for an unknown name, -EINVAL for a bad pointer', () => {
    const { env, string, bytes } = setup();
    const rng = string(16, 'RNG Sensor');
    expect(env['ocre_sensors_read_by_name']?.(rng, rngChannelType)).toBe(16384);
    expect(env['ocre_sensors_get_channel_count_by_name']?.(rng)).toBe(1);
    expect(env['ocre_sensors_open_by_name']?.(string(64, 'Thermometer'))).toBe(ENOENT);
    bytes.fill(0x41, 65536 - 8);
    for (const pointer of [0, 65536 - 8, 70000, -4]) {
      expect(env['ocre_sensors_open_by_name']?.(pointer), String(pointer)).toBe(EINVAL);
    }
  });

  it('turns a watched pin’s changes into GPIO events for the container, dropping past its bound', () => {
    const { env, string, gpio, events, dropped } = setup(1);
    const button = string(16, 'button');
    expect(env['ocre_gpio_configure_by_name']?.(button, 0)).toBe(0);
    expect(env['ocre_gpio_register_callback_by_name']?.(button)).toBe(0);
    gpio.drive(1, 2, 1);
    gpio.drive(1, 2, 0);
    expect(events.take()).toEqual({ type: resourceType.GPIO, pin: 2, port: 1, state: 1 });
    expect(dropped).toEqual([{ type: resourceType.GPIO, pin: 2, port: 1, state: 0 }]);
    expect(env['ocre_gpio_set_by_name']?.(string(32, 'nowhere'), 1)).toBe(ENOENT);
    expect(env['ocre_gpio_pin_get']?.(1, 2)).toBe(0);
  });
});
