// Tests Ocre's current API through the real worker runtimes: prefix subscriptions through the router, events into each container's own queue, its own timers, and the 2025 API beside it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readText } from '@ocre-ts/core';
import { wasmContainer } from '../../src/container/wasm-container.ts';
import { errno } from '../../src/current-api/errno.ts';
import { WasmPool } from '../../src/pool/wasm-pool.ts';
import { fixture, isolations, quickSupervisor, realTime, recordSystem } from '../helpers.ts';
import type { RecordedSystem } from '../helpers.ts';

const running: RecordedSystem[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(({ system }) => system.stop({ timeoutMs: 200 })));
});

const received = (recorded: RecordedSystem, name: string): string[] =>
  recorded.lines(name).filter((line) => line.startsWith('received: '));

describe.each(isolations)('Ocre current API, isolation %s', (isolation) => {
  // Pooled containers of one test share one worker, so a stuck one would hold up its siblings
  // if anything did.
  let pool = new WasmPool({ size: 1 });
  beforeEach(() => {
    pool = new WasmPool({ size: 1 });
  });
  const container = (
    name: string,
    wasm: string,
    options: { args?: string[]; mailboxCapacity?: number } = {},
  ) =>
    isolation === 'worker'
      ? wasmContainer({ name, wasm: fixture(wasm), isolation, ...options })
      : wasmContainer({ name, wasm: fixture(wasm), pool, ...options });

  it('a timer-driven publisher reaches a prefix subscriber through the router', async () => {
    const recorded = recordSystem({
      containers: [
        container('subscriber', 'current-subscriber'),
        container('publisher', 'current-publisher'),
      ],
    });
    running.push(recorded);
    await recorded.system.start();
    await vi.waitFor(
      () => expect(received(recorded, 'subscriber').length).toBeGreaterThanOrEqual(3),
      realTime,
    );
    expect(received(recorded, 'subscriber').slice(0, 3)).toEqual([
      'received: topic=test/topic content_type=text/plain payload=message 0 len=10',
      'received: topic=test/topic content_type=text/plain payload=message 1 len=10',
      'received: topic=test/topic content_type=text/plain payload=message 2 len=10',
    ]);
    expect(recorded.eventsOf('container.faulted')).toEqual([]);
  });

  it('a container that never polls holds up nobody: its own queue, then its mailbox, fill; the others get every message', async () => {
    const recorded = recordSystem({
      containers: [
        container('stuck', 'current-never-polls', { args: ['load/'], mailboxCapacity: 10 }),
        container('listener', 'current-prefix-subscriber', { args: ['load/'] }),
      ],
    });
    running.push(recorded);
    await recorded.system.start();
    const total = 200;
    for (let n = 0; n < total; n++) {
      expect(recorded.system.publish(`load/${n}`, 'text/plain', `${n}`).ok).toBe(true);
      // Bursts of 20: the listener's queue and mailbox never hold them all at once.
      if (n % 20 === 19)
        await vi.waitFor(
          () => expect(received(recorded, 'listener')).toHaveLength(n + 1),
          realTime,
        );
    }
    expect(received(recorded, 'listener')).toEqual(
      Array.from({ length: total }, (_, n) => `received: topic=load/${n} payload=${n}`),
    );
    // 64 wait in the stuck container's event queue, 10 in its mailbox; the rest are dead letters.
    const stuck = recorded.deadLetters.filter((letter) => letter.container === 'stuck');
    expect(stuck).toHaveLength(total - 64 - 10);
    expect(new Set(stuck.map((letter) => letter.reason))).toEqual(new Set(['mailbox-full']));
    expect(recorded.system.container('stuck').counters.delivered).toBe(0);
    // The count follows the lines: the taken report and the output travel separately.
    await vi.waitFor(
      () => expect(recorded.system.container('listener').counters.delivered).toBe(total),
      realTime,
    );
    expect(recorded.lines('stuck')).toEqual(['subscribe=0']);
    expect(recorded.eventsOf('container.faulted')).toEqual([]);
    await recorded.system.stop({ timeoutMs: 500 });
    // Stopping the stuck container ends the 74 it never took: nothing accepted disappears.
    const final = recorded.deadLetters.filter((letter) => letter.container === 'stuck');
    expect(final).toHaveLength(total);
  });

  it('timer ids belong to their container: timer 1 runs in two publishers at once', async () => {
    const recorded = recordSystem({
      containers: [
        container('listener', 'current-prefix-subscriber', { args: ['test/'] }),
        container('p1', 'current-publisher'),
        container('p2', 'current-publisher'),
      ],
    });
    running.push(recorded);
    await recorded.system.start();
    const published = (name: string) =>
      recorded.lines(name).filter((line) => line.startsWith('published: '));
    await vi.waitFor(() => {
      expect(published('p1').length).toBeGreaterThanOrEqual(3);
      expect(published('p2').length).toBeGreaterThanOrEqual(3);
    }, realTime);
    for (const name of ['p1', 'p2']) {
      expect(recorded.lines(name)[0]).toBe('publisher ready: timer 1 publishes to test/topic');
      expect(published(name).slice(0, 3)).toEqual([
        'published: message 0',
        'published: message 1',
        'published: message 2',
      ]);
    }
    // Each publisher's counter reaches the listener: two of every message.
    await vi.waitFor(
      () =>
        expect(
          received(recorded, 'listener').filter((line) => line.endsWith('payload=message 0')),
        ).toHaveLength(2),
      realTime,
    );
  });

  it('both APIs in one system: one router, one id sequence, prefix and exact subscriptions side by side', async () => {
    const recorded = recordSystem({
      containers: [
        // Ocre's current API: a prefix subscriber to what the 2025 publisher sends.
        container('current-sub', 'current-prefix-subscriber', { args: ['sensors/'] }),
        // The 2025 API: an exact subscriber to what the current publisher sends.
        container('seed-sub', 'exact-subscriber', { args: ['test/topic'] }),
        container('current-pub', 'current-publisher'),
        container('seed-pub', 'seed-publisher'),
      ],
    });
    running.push(recorded);
    await recorded.system.start();
    await vi.waitFor(() => {
      expect(received(recorded, 'current-sub').length).toBeGreaterThanOrEqual(2);
      expect(
        recorded.lines('seed-sub').filter((line) => line.startsWith('mid=')).length,
      ).toBeGreaterThanOrEqual(3);
    }, realTime);
    expect(received(recorded, 'current-sub')[0]).toMatch(
      /^received: topic=sensors\/temperature payload=\{.*\}/,
    );
    const seedLines = recorded.lines('seed-sub').filter((line) => line.startsWith('mid='));
    expect(seedLines[0]).toMatch(/^mid=\d+ topic=test\/topic payload=message 0$/);
    // One sequence: ids the 2025 subscriber saw are the system's, shared with the other publisher.
    const mids = seedLines.map((line) => Number(/^mid=(\d+)/.exec(line)?.[1]));
    expect(mids).toEqual([...mids].sort((a, b) => a - b));
    const counters = recorded.system.counters();
    const pubs = ['current-pub', 'seed-pub'].map(
      (name) => recorded.system.container(name).counters.published,
    );
    expect(counters.published).toBeGreaterThanOrEqual(pubs[0]! + pubs[1]!);
    expect(Math.max(...mids)).toBeLessThanOrEqual(counters.published);
    expect(recorded.system.container('current-sub').subscriptions).toEqual([
      { pattern: 'sensors/', handler: 'ocre_process_events' },
    ]);
    expect(recorded.eventsOf('container.faulted')).toEqual([]);
  });

  it('ocre_publish_message returns 0 once the queue accepted a message nothing matches: it becomes a no-subscriber dead letter', async () => {
    const recorded = recordSystem({
      containers: [container('hostile', 'current-hostile-abi')],
    });
    running.push(recorded);
    await recorded.system.start();
    await vi.waitFor(
      () => expect(recorded.lines('hostile')).toContain('publish_no_match=0'),
      realTime,
    );
    await vi.waitFor(
      () =>
        expect(recorded.deadLetters.map((letter) => [letter.message.topic, letter.reason])).toEqual(
          [['t', 'no-subscriber']],
        ),
      realTime,
    );
  });
});

describe.each(isolations)('a trap in a current-API callback, isolation %s', (isolation) => {
  it('ends the instance: messages it had not taken are container-down dead letters; the restart subscribes again and receives', async () => {
    const recorded = recordSystem({
      containers: [
        wasmContainer({
          name: 'worker',
          wasm: fixture('current-trap-on-message'),
          isolation,
          ...(isolation === 'pooled' ? { pool: new WasmPool({ size: 1 }) } : {}),
        }),
      ],
      supervisor: quickSupervisor,
    });
    running.push(recorded);
    await recorded.system.start();
    // One burst: "boom" traps while "after-1" and "after-2" wait in the instance's queue.
    for (const payload of ['before', 'boom', 'after-1', 'after-2'])
      expect(recorded.system.publish('work/x', 'text/plain', payload).ok).toBe(true);
    await vi.waitFor(
      () => expect(recorded.eventsOf('container.running')).toHaveLength(2),
      realTime,
    );
    expect(recorded.eventsOf('container.faulted')).toHaveLength(1);
    expect(recorded.lines('worker')).toEqual(['subscribe=0', 'handled before', 'subscribe=0']);
    // "boom" was taken (delivered) before it trapped; what the instance had not taken is a dead letter.
    const lost = recorded.deadLetters.map((letter) => [readText(letter.message), letter.reason]);
    expect(lost).toEqual([
      ['after-1', 'container-down'],
      ['after-2', 'container-down'],
    ]);
    expect(recorded.system.publish('work/x', 'text/plain', 'again').ok).toBe(true);
    await vi.waitFor(() => expect(recorded.lines('worker')).toContain('handled again'), realTime);
    expect(recorded.system.container('worker').subscriptions).toEqual([
      { pattern: 'work/', handler: 'ocre_process_events' },
    ]);
  });
});

describe.each(isolations)('simulated devices, isolation %s', (isolation) => {
  it('reads declared sensors and sets a named pin; each pin change is a container.gpio event', async () => {
    const recorded = recordSystem({
      containers: [
        wasmContainer({
          name: 'devices',
          wasm: fixture('current-devices'),
          isolation,
          ...(isolation === 'pooled' ? { pool: new WasmPool({ size: 1 }) } : {}),
          devices: {
            sensors: [
              { name: 'thermometer', kind: 'scripted', rows: [[21.5], [22]] },
              { name: 'RNG Sensor', kind: 'random' },
            ],
            gpioNames: { led: { port: 0, pin: 3 } },
          },
        }),
      ],
    });
    running.push(recorded);
    await recorded.system.start();
    await vi.waitFor(() => expect(recorded.lines('devices')).toContain('done'), realTime);
    expect(recorded.lines('devices')).toEqual([
      'sensors_init=0 discover=2',
      'open=0',
      'thermometer=21.5',
      'thermometer=22.0',
      'thermometer=21.5',
      'rng_in_range=1',
      `unknown=${-errno.ENOENT}`,
      'gpio_init=0',
      'configure=0',
      'set=0',
      'toggle=0',
      'get=0',
      'done',
    ]);
    await vi.waitFor(
      () =>
        expect(
          recorded
            .eventsOf('container.gpio')
            .map(({ container, port, pin, state }) => ({ container, port, pin, state })),
        ).toEqual([
          { container: 'devices', port: 0, pin: 3, state: 1 },
          { container: 'devices', port: 0, pin: 3, state: 0 },
        ]),
      realTime,
    );
  });
});
