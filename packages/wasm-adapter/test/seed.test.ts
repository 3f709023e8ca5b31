// Acceptance: the seed's publisher and subscriber, compiled from its text unchanged, run as supervised containers and print the seed's lines; the documented call shape runs too.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { wasmContainer } from '../src/container/wasm-container.ts';
import { fixture, recordSystem, startAfter, realTime } from './helpers.ts';
import type { RecordedSystem } from './helpers.ts';

const running: RecordedSystem[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(({ system }) => system.stop({ timeoutMs: 100 })));
});

function received(mid: number, temperature: string): string[] {
  return [
    'Received message on topic: sensors/temperature',
    'Content type: application/json',
    `Payload: {"temperature": ${temperature}, "unit": "celsius"}`,
    `Message ID: ${mid}`,
  ];
}

describe('the seed programs', () => {
  it('exchange messages through the router and print the seed’s lines, ids dense from 0', async () => {
    // The publisher starts once the subscriber has subscribed, as in the seed's walkthrough,
    // so that message 0 has a subscriber.
    let subscriberUp!: () => void;
    const subscribed = new Promise<void>((resolve) => (subscriberUp = resolve));
    const recorded = recordSystem({
      containers: [
        wasmContainer({ name: 'subscriber', wasm: fixture('seed-subscriber') }),
        startAfter(
          wasmContainer({ name: 'publisher', wasm: fixture('seed-publisher') }),
          subscribed,
        ),
      ],
    });
    running.push(recorded);
    const { system } = recorded;
    system.events$.subscribe((event) => {
      if (event.type === 'container.running' && event.container === 'subscriber') subscriberUp();
    });
    const mids: bigint[] = [];
    system.topic$('sensors/temperature').subscribe((message) => mids.push(message.mid));

    await system.start();
    // Each side's output comes from its own worker: wait for both, not only the subscriber's.
    await vi.waitFor(
      () => {
        expect(recorded.lines('subscriber').includes('Message ID: 1'), 'two messages').toBe(true);
        expect(recorded.lines('publisher').length, 'two publishes printed').toBeGreaterThanOrEqual(
          3,
        );
      },
      { timeout: 2500, interval: 5 },
    );

    expect(recorded.lines('subscriber').slice(0, 10)).toEqual([
      'Messaging system initialized',
      'Subscribed to sensors/temperature',
      ...received(0, '22.5'),
      ...received(1, '22.6'),
    ]);
    expect(recorded.lines('publisher').slice(0, 3)).toEqual([
      'Messaging system initialized',
      'Published temperature data to sensors/temperature',
      'Published temperature data to sensors/temperature',
    ]);
    expect(mids.slice(0, 2)).toEqual([0n, 1n]);
    expect(mids).toEqual(mids.map((_, index) => BigInt(index)));
    expect(recorded.deadLetters).toEqual([]);
    expect(recorded.eventsOf('container.faulted')).toEqual([]);
    expect(system.counters().containers['publisher']?.published).toBeGreaterThanOrEqual(2);
  });

  it('run in the documented call shape too (no exec_env argument)', async () => {
    const recorded = recordSystem({
      containers: [wasmContainer({ name: 'shape', wasm: fixture('documented-shape') })],
    });
    running.push(recorded);
    await recorded.system.start();
    await vi.waitFor(
      () =>
        expect(recorded.lines('shape').includes('received 3 messages'), 'three messages').toBe(
          true,
        ),
      realTime,
    );
    expect(recorded.lines('shape')).toEqual([
      'subscribe: 0',
      'publish 0: 0',
      'publish 1: 0',
      'publish 2: 0',
      'shape_handler: mid=0 topic=shape/echo content_type=text/plain payload=hello 0',
      'shape_handler: mid=1 topic=shape/echo content_type=text/plain payload=hello 1',
      'shape_handler: mid=2 topic=shape/echo content_type=text/plain payload=hello 2',
      'received 3 messages',
    ]);
    // main returned 0: the container reports it and stays up, serving mail.
    await vi.waitFor(
      () => expect(recorded.eventsOf('container.exited').length === 1, 'the exit event').toBe(true),
      realTime,
    );
    expect(recorded.eventsOf('container.exited')[0]).toMatchObject({ container: 'shape', code: 0 });
    expect(recorded.system.publish('shape/echo', 'text/plain', 'late\0').ok).toBe(true);
    await vi.waitFor(
      () =>
        expect(recorded.lines('shape').length === 9, 'a delivery after main returned').toBe(true),
      realTime,
    );
    expect(recorded.lines('shape').at(-1)).toBe(
      'shape_handler: mid=3 topic=shape/echo content_type=text/plain payload=late',
    );
    expect(recorded.system.container('shape').state).toBe('running');
  });
});
