// createTestSystem: virtual time, recorders, probes, stopping through virtual time, seeds that replay a run exactly, and real time when asked.
import { describe, expect, it } from 'vitest';
import { defineContainer, realClock } from '../../src/index.ts';
import { createTestSystem, probe } from '../../src/testing/index.ts';
import { scripted } from '../fixtures.ts';

const echo = defineContainer({
  name: 'echo',
  init(api) {
    api.ocre_msg_system_init();
    api.ocre_subscribe_message('in', 'on_in');
  },
  handlers: {
    on_in(message, ctx) {
      ctx.log(`got #${message.mid}`);
      ctx.api.publish('out', 'text/plain', `echo ${message.mid}`);
    },
  },
});

describe('createTestSystem', () => {
  it('records events, dead letters, output and the message history; probes see topic traffic', async () => {
    const t = createTestSystem({ containers: [echo], seed: 5 });
    const out = t.probe('out');
    await t.start();
    expect(t.publish('in', 'a')).toBe(0n);
    expect(t.publish('', 'x')).toBe('INVALID_TOPIC');
    await t.settle();
    expect(t.output).toEqual(['[echo] got #0']);
    expect(out.texts()).toEqual(['echo 0']);
    expect(out.mids()).toEqual([1n]);
    expect(t.deadLetters.map((l) => `${l.message.mid} ${l.reason}`)).toEqual(['1 no-subscriber']);
    expect(t.history.filter((e) => e.kind === 'accepted')).toEqual([
      { kind: 'accepted', mid: 0n, topic: 'in', publisher: 'system' },
      { kind: 'accepted', mid: 1n, topic: 'out', publisher: 'echo' },
    ]);
    const stopped = await t.stop();
    expect(stopped.counters.published).toBe(2);
    expect(t.eventsOf('system.stopped')).toHaveLength(1);
    expect(t.check()).toEqual([]);
    expect(t.seed).toBe(5);
  });

  it('with record: false runs without hooks and refuses to check a history it never kept', async () => {
    const t = createTestSystem({ containers: [echo], seed: 5, record: false });
    await t.start();
    t.publish('in', 'a');
    await t.settle();
    expect(t.output).toEqual(['[echo] got #0']);
    expect(t.history).toEqual([]);
    expect(() => t.check()).toThrow(/record: false/);
    await t.stop();
  });

  it('stops through virtual time, even while a handler hangs', async () => {
    const t = createTestSystem({
      containers: [scripted('a', { handlerTimeoutMs: 1000 })],
      seed: 1,
    });
    await t.start();
    t.publish('a', 'hang');
    await t.settle();
    const stopped = await t.stop({ timeoutMs: 200 });
    expect(stopped.counters.deadLettered).toBe(1);
    expect(t.deadLetters[0]?.reason).toBe('shutdown');
    expect(t.clock.now()).toBe(200);
    t.assertHistory();
  });

  it('replays a run exactly from its seed: faults and backoff jitter alike', async () => {
    const run = async (seed: number) => {
      const t = createTestSystem({
        containers: [scripted('a', {}, { topics: ['t'] }), scripted('b', {}, { topics: ['t'] })],
        supervisor: { maxRestarts: 50, backoff: { minMs: 10, maxMs: 200, jitter: 1 } },
        faults: {
          faults: [
            { kind: 'throw', container: 'a', probability: 0.4 },
            { kind: 'drop', probability: 0.2 },
          ],
        },
        seed,
      });
      await t.start();
      for (let i = 0; i < 15; i++) {
        t.publish('t', `m${i}`);
        await t.advance(7);
      }
      await t.stop();
      t.assertHistory();
      return t.events.map((e) =>
        JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v)),
      );
    };
    expect(await run(99)).toEqual(await run(99));
    expect(await run(99)).not.toEqual(await run(100));
  });

  it('takes OCRE_SEED from the environment when no seed is given', () => {
    const before = process.env['OCRE_SEED'];
    process.env['OCRE_SEED'] = '314';
    try {
      expect(createTestSystem({ containers: [] }).seed).toBe(314);
      expect(createTestSystem({ containers: [], seed: 2 }).seed).toBe(2);
    } finally {
      if (before === undefined) delete process.env['OCRE_SEED'];
      else process.env['OCRE_SEED'] = before;
    }
  });

  it('runs on real time when given the real clock', async () => {
    const t = createTestSystem({ containers: [echo], clock: realClock, seed: 1 });
    const out = probe(t.system, 'out');
    await t.start();
    t.publish('in', 'a');
    await t.advance(5);
    expect(out.texts()).toEqual(['echo 0']);
    await t.stop();
    t.assertHistory();
  });
});
