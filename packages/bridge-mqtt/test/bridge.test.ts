// Tests the bridge between two systems through a real Mosquitto: mapping, no loops, origin checks and the states it reports.
import { describe, expect, it, vi } from 'vitest';
import type { BridgedSystem } from './systems.ts';
import { brokerPerTest } from './systems.ts';
import { bridgeStates, bridgedSystem, collect, rawClient } from './systems.ts';

const env = brokerPerTest();
const { track } = env;

const connected = (s: BridgedSystem) =>
  vi.waitFor(() => expect(s.bridge.status().state).toBe('connected'), { timeout: 5000 });

describe('bridge between two systems', () => {
  it('carries payload bytes, content type, QoS and origin to the broker and into the other system', async () => {
    const raw = await rawClient(env.broker.url);
    const seen = await collect(raw, 'ocre/#');
    const a = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'a', export: ['sensors/#'] },
      }),
    );
    const b = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'b', import: ['sensors/#'] },
        record: ['sensors/#'],
      }),
    );
    await Promise.all([connected(a), connected(b)]);
    const mid = a.publish('sensors/kitchen/temperature', '{"celsius":21.5}', 'application/json');
    a.publish('other/topic', 'not exported');

    await vi.waitFor(() =>
      expect(b.received).toEqual(['sensors/kitchen/temperature {"celsius":21.5}']),
    );
    expect(b.messages[0]?.contentType).toBe('application/json');
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    const packet = seen[0];
    expect(packet?.topic).toBe('ocre/sensors/kitchen/temperature');
    expect(packet?.qos).toBe(1);
    expect(packet?.retain).toBe(false);
    expect(packet?.properties?.contentType).toBe('application/json');
    // One user property: `<mid> <run> <system id>`.
    expect(packet?.properties?.userProperties).toEqual({
      'ocre-origin': expect.stringMatching(new RegExp(`^${mid} [A-Za-z0-9_-]{12} a$`)) as string,
    });
    expect(b.system.counters().containers['bridge:uplink']?.published).toBe(1); // publisher bridge:<name>
    // B can have it before A has read the broker's PUBACK.
    await vi.waitFor(() =>
      expect(a.bridge.status().counters).toMatchObject({ exported: 1, outboxed: 0 }),
    );
    expect(b.bridge.status().counters).toMatchObject({ imported: 1, duplicates: 0 });
    expect(bridgeStates(a.events)).toEqual(['connecting', 'connected']);
    raw.end(true);
  });

  it("never loops: two systems exporting and importing the same topics each see the other's messages once", async () => {
    const both = { export: ['chat/#'], import: ['chat/#'] };
    const a = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'a', ...both },
        record: ['chat/#'],
      }),
    );
    const b = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'b', ...both },
        record: ['chat/#'],
      }),
    );
    await Promise.all([connected(a), connected(b)]);
    const raw = await rawClient(env.broker.url);
    const onBroker = await collect(raw, 'ocre/#');
    for (let i = 0; i < 5; i++) {
      a.publish('chat/a', `a${i}`);
      b.publish('chat/b', `b${i}`);
    }
    const fromA = [0, 1, 2, 3, 4].map((i) => `chat/a a${i}`);
    const fromB = [0, 1, 2, 3, 4].map((i) => `chat/b b${i}`);
    await vi.waitFor(() => expect(a.received.filter((r) => r.startsWith('chat/b'))).toEqual(fromB));
    await vi.waitFor(() => expect(b.received.filter((r) => r.startsWith('chat/a'))).toEqual(fromA));
    // Let any echo travel: a loop would show up as more broker traffic and repeated deliveries.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(onBroker).toHaveLength(10);
    expect(a.received.filter((r) => r.startsWith('chat/a'))).toEqual(fromA); // its own, once, locally
    expect(a.received).toHaveLength(10);
    expect(b.received).toHaveLength(10);
    expect(a.bridge.status().counters).toMatchObject({ exported: 5, imported: 5, loops: 0 });
    raw.end(true);
  });

  it('drops a message that comes back carrying its own origin, counted as a loop', async () => {
    const a = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'a', import: ['in/#'] },
        record: ['in/#'],
      }),
    );
    await connected(a);
    const raw = await rawClient(env.broker.url);
    // Another bridge relaying A's own message back (no-local cannot see through a second client).
    await raw.publishAsync('ocre/in/x', 'echo', {
      qos: 1,
      properties: { userProperties: { 'ocre-origin': '7 r a' } },
    });
    await raw.publishAsync('ocre/in/x', 'foreign', { qos: 1 });
    await vi.waitFor(() => expect(a.received).toEqual(['in/x foreign']));
    expect(a.bridge.status().counters).toMatchObject({ loops: 1, imported: 1 });
    raw.end(true);
  });
});
