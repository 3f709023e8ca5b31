// Tests the bridge when the broker goes away: the bounded outbox, draining in order, outbox-full dead letters, and back-pressure from a full local queue.
import { describe, expect, it, vi } from 'vitest';
import type { BridgedSystem } from './systems.ts';
import { brokerPerTest } from './systems.ts';
import { bridgeStates, bridgedSystem, rawClient } from './systems.ts';

const env = brokerPerTest({ config: ['max_queued_messages 100000'] });
const { track } = env;

const state = (s: BridgedSystem, expected: string) =>
  vi.waitFor(() => expect(s.bridge.status().state).toBe(expected), { timeout: 5000 });
const numbers = (n: number, topic = 'sensors/n') =>
  Array.from({ length: n }, (_, i) => `${topic} ${i}`);

describe('broker away', () => {
  it('holds exports in the outbox while the broker is down at start, then drains them in order', async () => {
    const b = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'b', import: ['sensors/#'] },
        record: ['sensors/#'],
      }),
    );
    await state(b, 'connected'); // B's session (and subscription) now lives in the broker
    await env.broker.stop();
    const a = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'a', export: ['sensors/#'] },
      }),
    );
    for (const line of numbers(20)) a.publish('sensors/n', line.split(' ')[1] as string);
    await vi.waitFor(() => expect(a.system.counters().delivered).toBe(20)); // the bridge took them
    expect(a.bridge.status()).toMatchObject({
      state: 'reconnecting',
      counters: { outboxed: 20, exported: 0 },
    });
    expect(a.system.state).toBe('running'); // the local system runs on

    await env.broker.restart();
    await vi.waitFor(() => expect(b.received).toEqual(numbers(20)), { timeout: 10_000 });
    // B can hold all 20 before A has read the broker's last PUBACKs: wait for those too.
    await vi.waitFor(() =>
      expect(a.bridge.status().counters).toMatchObject({ outboxed: 0, exported: 20 }),
    );
    expect(bridgeStates(a.events)).toEqual(['connecting', 'reconnecting', 'connected']);
    expect(a.system.container('bridge:uplink').status?.state).toBe('connected');
  });

  it('turns exports beyond outboxCapacity into bridge-outbox-full dead letters, counted', async () => {
    await env.broker.stop();
    const a = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'a', export: ['sensors/#'], outboxCapacity: 5 },
      }),
    );
    for (let i = 0; i < 8; i++) a.publish('sensors/n', String(i));
    await vi.waitFor(() => expect(a.letters).toHaveLength(3));
    expect(a.letters.map((l) => [l.reason, l.container, l.message.mid])).toEqual([
      ['bridge-outbox-full', 'bridge:uplink', 5n],
      ['bridge-outbox-full', 'bridge:uplink', 6n],
      ['bridge-outbox-full', 'bridge:uplink', 7n],
    ]);
    expect(a.bridge.status().counters).toMatchObject({ outboxed: 5, outboxFull: 3 });
    await env.broker.restart();
    // The outbox drains once the bridge reconnects; its five are all that reach the env.broker.
    await vi.waitFor(() => expect(a.bridge.status().counters.exported).toBe(5), {
      timeout: 10_000,
    });
    const { counters } = await a.system.stop();
    expect(counters.published).toBe(counters.delivered + counters.deadLettered); // nothing lost silently
  });

  it('drains the outbox before a stop closes the connection', async () => {
    const b = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'b', import: ['s/#'] },
        record: ['s/#'],
      }),
    );
    // One export in flight at a time: at the stop nearly all 60 still wait in the outbox.
    const a = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'a', export: ['s/#'], maxInflight: 1 },
      }),
    );
    await Promise.all([state(a, 'connected'), state(b, 'connected')]);
    for (let i = 0; i < 60; i++) a.publish('s/n', String(i));
    await a.system.stop();
    expect(a.bridge.status().counters).toMatchObject({ exported: 60, outboxed: 0 });
    await vi.waitFor(() => expect(b.received).toEqual(numbers(60, 's/n')));
  });

  it('stops within stopDrainMs + closeTimeoutMs when the broker hangs, keeping what it never acknowledged', async () => {
    const a = track(
      await bridgedSystem({ bridge: { url: env.broker.url, systemId: 'a', export: ['s/#'] } }),
    );
    await state(a, 'connected');
    env.broker.pause(); // the connection stays open; no PUBACK will come
    for (let i = 0; i < 3; i++) a.publish('s/n', String(i));
    await a.system.settle();
    const { counters } = await a.system.stop();
    // Stopped by the bridge itself (not killed by the 5 s shutdown timeout), nothing lost.
    const stops = a.events.flatMap((e) => (e.type === 'container.stopped' ? [e.reason] : []));
    expect(stops).toEqual(['stop requested', 'stop requested']); // bridge and recorder
    expect(a.output.join('\n')).toContain('did not answer the close within 1000 ms');
    expect(a.bridge.status().counters).toMatchObject({ exported: 0, outboxed: 3 });
    expect(counters.deadLettered).toBe(0);
    env.broker.resume();
  });

  it('waits on a full local queue (QUEUE_FULL) without dropping: every message arrives, in order', async () => {
    const b = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'b', import: ['burst/#'] },
        record: ['burst/#'],
        queueCapacity: 2,
      }),
    );
    await state(b, 'connected');
    const raw = await rawClient(env.broker.url);
    // One burst, many packets per TCP read: the bridge publishes faster than the router drains.
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        raw.publishAsync('ocre/burst/x', String(i), { qos: 1 }),
      ),
    );
    await vi.waitFor(() => expect(b.received).toHaveLength(200), { timeout: 10_000 });
    expect(b.received).toEqual(numbers(200, 'burst/x'));
    expect(b.bridge.status().counters.backpressured).toBeGreaterThan(0);
    expect(b.letters).toEqual([]);
    expect(b.events.some((e) => e.type === 'queue.full' && e.publisher === 'bridge:uplink')).toBe(
      true,
    );
    raw.end(true);
  });
});
