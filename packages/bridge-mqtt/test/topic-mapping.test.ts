// Tests how export patterns map onto each topic matching mode, and that a system in each mode exports exactly what the MQTT filter matches.
import { afterEach, beforeAll, afterAll, describe, expect, it, vi } from 'vitest';
import { coveringSubscription, isBridgeError } from '../src/index.ts';
import { startMosquitto } from '../src/testing/index.ts';
import type { Mosquitto } from '../src/testing/index.ts';
import type { BridgedSystem } from './systems.ts';
import { bridgedSystem, collect, rawClient } from './systems.ts';

describe('coveringSubscription', () => {
  it.each([
    ['wildcard', 'sensors/#', 'sensors/#'],
    ['wildcard', '+/temperature', '+/temperature'],
    ['prefix', 'sensors/#', 'sensors'],
    ['prefix', 'a/+/c', 'a/'],
    ['prefix', '/#', '/'],
    ['prefix', 'sensors/temperature', 'sensors/temperature'],
    ['exact', 'sensors/temperature', 'sensors/temperature'],
  ] as const)('%s mode covers %s with %s', (mode, pattern, cover) => {
    expect(coveringSubscription(mode, pattern)).toBe(cover);
  });

  it.each([
    ['exact', 'sensors/#'],
    ['prefix', '#'],
    ['prefix', '+/temperature'],
  ] as const)('%s mode cannot cover %s and says what to do', (mode, pattern) => {
    let error: unknown;
    try {
      coveringSubscription(mode, pattern);
    } catch (caught) {
      error = caught;
    }
    expect(isBridgeError(error, 'EXPORT_PATTERN_UNSUPPORTED')).toBe(true);
    expect((error as Error).message).toContain('Set messaging.topicMatching to "wildcard"');
  });
});

describe('exports in every matching mode', () => {
  let broker: Mosquitto;
  const systems: BridgedSystem[] = [];
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterEach(async () => {
    for (const s of systems.splice(0)) if (s.system.state === 'running') await s.system.stop();
  });
  afterAll(async () => {
    await broker.dispose();
  });

  it.each(['exact', 'prefix', 'wildcard'] as const)(
    'a %s-mode system exports exactly the topics its MQTT filters match',
    async (mode) => {
      const filter = mode === 'exact' ? 'sensors/temperature' : 'sensors/#';
      const raw = await rawClient(broker.url);
      const seen = await collect(raw, `${mode}/#`);
      const a = await bridgedSystem({
        topicMatching: mode,
        bridge: { url: broker.url, systemId: mode, prefix: `${mode}/`, export: [filter] },
      });
      systems.push(a);
      await vi.waitFor(() => expect(a.bridge.status().state).toBe('connected'));
      for (const topic of ['sensors/temperature', 'sensors', 'sensorsX', 'sensors/a/b', 'other'])
        a.publish(topic, topic);
      const expected =
        mode === 'exact'
          ? ['sensors/temperature']
          : ['sensors/temperature', 'sensors', 'sensors/a/b'];
      await vi.waitFor(() => expect(seen.map((p) => p.payload.toString())).toEqual(expected));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toHaveLength(expected.length);
      raw.end(true);
    },
  );

  it('fails the bridge for good (not a restart loop) when its pattern cannot be covered', async () => {
    const a = await bridgedSystem({
      topicMatching: 'exact',
      bridge: { url: broker.url, systemId: 'x', export: ['sensors/#'] },
    });
    systems.push(a);
    await vi.waitFor(() => expect(a.system.container('bridge:uplink').state).toBe('failed'));
    expect(a.system.container('bridge:uplink').lastError).toContain('cannot subscribe to');
    expect(a.system.state).toBe('running'); // the rest of the system runs on
  });
});
