// Tests the one-call assembly of a container's current-API host: deliveries and timer and GPIO events reach its queue and wake it, and dispose hands back what is pending.
import { VirtualClock } from '@ocre-ts/actors';
import { describe, expect, it } from 'vitest';
import {
  SensorBoard,
  VirtualGpio,
  createCurrentContainerHost,
  randomSensor,
  resourceType,
} from '../../src/current-api/index.ts';
import type { MessageEvent } from '../../src/current-api/index.ts';
import { GuestMemory } from '../../src/guest/guest-memory.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const message = (mid: number): MessageEvent => ({
  type: resourceType.MESSAGE,
  mid,
  topic: utf8('t'),
  contentType: utf8('c'),
  payload: utf8('p'),
});

function setup() {
  const clock = new VirtualClock();
  const memory = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
  const gpio = new VirtualGpio();
  let wakes = 0;
  const host = createCurrentContainerHost({
    name: 'app',
    clock,
    memory: () => memory,
    allocator: () => undefined,
    exportedFunctions: new Set(),
    messaging: { publish: () => 0, subscribe: () => 0 },
    sleep: () => 0,
    devices: { sensors: new SensorBoard([randomSensor()]), gpio },
    eventQueueCapacity: 2,
    onEvent: () => wakes++,
  });
  return { clock, gpio, host, wakes: () => wakes };
}

describe('createCurrentContainerHost', () => {
  it('links every current-API import, devices included', () => {
    const { host } = setup();
    expect(Object.keys(host.env)).toEqual(
      expect.arrayContaining([
        'ocre_get_event',
        'ocre_timer_start',
        'ocre_sensors_read',
        'ocre_gpio_pin_set',
        'uname',
      ]),
    );
    expect(Object.keys(host.env)).toHaveLength(37); // Ocre's 38 minus ocre_sensors_get_list, which its SDK does not declare
  });

  it('queues deliveries, timer firings and watched pin changes, waking the instance for each', async () => {
    const { clock, gpio, host, wakes } = setup();
    expect(host.deliver(message(0))).toBe(true);
    host.env['ocre_timer_create']?.(1);
    host.env['ocre_timer_start']?.(1, 10, 0);
    await clock.advance(10);
    gpio.configure(0, 1, 0);
    host.env['ocre_gpio_register_callback']?.(0, 1);
    gpio.drive(0, 1, 1);
    expect(wakes()).toBe(3);
    expect(host.deliver(message(1))).toBe(false); // two messages and GPIO events at most
    expect([host.events.take(), host.events.take(), host.events.take()]).toEqual([
      message(0),
      { type: resourceType.TIMER, timerId: 1 },
      { type: resourceType.GPIO, pin: 1, port: 0, state: 1 },
    ]);
  });

  it('hands back pending messages on dispose and stops its timers and watches', async () => {
    const { clock, gpio, host, wakes } = setup();
    host.deliver(message(4));
    host.env['ocre_timer_create']?.(1);
    host.env['ocre_timer_start']?.(1, 10, 1);
    gpio.configure(0, 1, 0);
    host.env['ocre_gpio_register_callback']?.(0, 1);
    expect(host.dispose()).toEqual([message(4)]);
    await clock.advance(100);
    gpio.drive(0, 1, 1);
    expect(host.events.size).toBe(0);
    expect(wakes()).toBe(1);
  });
});
