// Tests exports at QoS 0: an outbox several write batches deep drains to the broker complete and in order, each export counted once written.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bridgeDefaults } from '../src/defaults.ts';
import { startMosquitto } from '../src/testing/index.ts';
import type { Mosquitto } from '../src/testing/index.ts';
import { bridgedSystem } from './systems.ts';
import type { BridgedSystem } from './systems.ts';

let broker: Mosquitto;
const systems: BridgedSystem[] = [];

beforeEach(async () => {
  // The importer's session keeps QoS 0 messages while it is away, and a queue long enough for them.
  broker = await startMosquitto({
    config: ['queue_qos0_messages true', 'max_queued_messages 100000'],
  });
});
afterEach(async () => {
  for (const s of systems.splice(0)) if (s.system.state === 'running') await s.system.stop();
  await broker.dispose();
});

describe('exports at QoS 0', () => {
  it('drains an outbox of several write batches in order once the broker is back, counting each export once written', async () => {
    const total = bridgeDefaults.qos0Batch * 3 + 7;
    const b = await bridgedSystem({
      bridge: { url: broker.url, systemId: 'b', import: ['q0/#'], qos: 0 },
      record: ['q0/#'],
    });
    systems.push(b);
    await vi.waitFor(() => expect(b.bridge.status().state).toBe('connected'));
    await broker.stop(); // B's session (a QoS 0 subscription) is saved
    const a = await bridgedSystem({
      bridge: { url: broker.url, systemId: 'a', export: ['q0/#'], qos: 0 },
    });
    systems.push(a);
    // Paced by the bridge's mailbox (100): a full mailbox dead-letters, by design.
    for (let i = 0; i < total; i++) {
      a.publish('q0/n', String(i));
      if (i % 50 === 49) await a.system.settle();
    }
    await a.system.settle();
    expect(a.bridge.status().counters).toMatchObject({ outboxed: total, exported: 0 });

    await broker.restart();
    await vi.waitFor(() => expect(b.received).toHaveLength(total), { timeout: 15_000 });
    expect(b.received).toEqual(Array.from({ length: total }, (_, i) => `q0/n ${i}`));
    expect(a.bridge.status().counters).toMatchObject({ exported: total, outboxed: 0 });
    expect(a.letters).toEqual([]);
  });
});
