// Tests exports larger than the broker's maximum packet size (its CONNACK): counted as unexportable and said, never sent, and the connection and later exports unharmed.
import { describe, expect, it, vi } from 'vitest';
import { brokerPerTest, bridgedSystem, collect, rawClient } from './systems.ts';

const env = brokerPerTest({ config: ['max_packet_size 300'] });

describe('an export over the broker maximum packet size', () => {
  it.each([0, 1] as const)(
    'at QoS %i is counted and said, and the exports around it arrive',
    async (qos) => {
      const watcher = await rawClient(env.broker.url);
      const packets = await collect(watcher, 'ocre/big/#', qos);
      const a = env.track(
        await bridgedSystem({
          bridge: { url: env.broker.url, systemId: 'a', export: ['big/#'], qos },
        }),
      );
      await vi.waitFor(() => expect(a.bridge.status().state).toBe('connected'));
      a.publish('big/x', 'before');
      a.publish('big/x', 'y'.repeat(400));
      a.publish('big/x', 'after');
      await vi.waitFor(() => expect(packets).toHaveLength(2));
      expect(packets.map((p) => p.payload.toString())).toEqual(['before', 'after']);
      expect(a.bridge.status().counters).toMatchObject({
        exported: 2,
        unexportable: 1,
        outboxed: 0,
        connects: 1,
      });
      expect(a.output.join('\n')).toContain(
        "larger than the broker's maximum packet size (300 bytes)",
      );
      watcher.end(true);
    },
  );
});
