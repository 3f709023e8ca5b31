// Every fault kind of a plan, on TypeScript containers in virtual time: what it does, what it records, and that the run's history stays sound.
import { describe, expect, it } from 'vitest';
import { createOcreSystem, VirtualClock } from '../../src/index.ts';
import type { ChildSpec } from '../../src/index.ts';
import {
  createTestSystem,
  FaultPlanError,
  injectFaults,
  recordHistory,
  checkHistory,
} from '../../src/testing/index.ts';
import type { Fault, TestSystem } from '../../src/testing/index.ts';
import { scripted } from '../fixtures.ts';

/** Two subscribers of `t` that log what they handle, under a quick one-for-one root. */
function twoSubscribers(faults: readonly Fault[], options: { mailboxCapacity?: number } = {}) {
  const log: string[] = [];
  const t = createTestSystem({
    messaging: { mailboxCapacity: options.mailboxCapacity ?? 100 },
    supervisor: { maxRestarts: 10, backoff: { minMs: 10, jitter: 0 } },
    containers: [
      scripted('a', { handlerTimeoutMs: 100 }, { topics: ['t'], log }),
      scripted('b', { handlerTimeoutMs: 100 }, { topics: ['t'], log }),
    ],
    faults: { seed: 42, faults },
  });
  return { t, log };
}

async function publishAll(t: TestSystem, count: number): Promise<void> {
  for (let i = 0; i < count; i++) t.publish('t', `m${i}`);
  await t.settle();
}

const reasons = (t: TestSystem) =>
  t.deadLetters.map((l) => `${l.message.mid} ${l.reason} ${l.container ?? '-'}`);

describe('per-message container faults', () => {
  it('throw on the nth message: a handler fault, that message dead-lettered, the container restarted', async () => {
    const { t, log } = twoSubscribers([{ kind: 'throw', container: 'a', nth: 2 }]);
    await t.start();
    await publishAll(t, 3);
    await t.advance(10);
    expect(log.filter((l) => l.startsWith('a:'))).toEqual(['a:m0', 'a:m2']);
    expect(reasons(t)).toEqual(['1 handler-fault a']);
    expect(t.eventsOf('container.faulted')[0]?.error).toBe(
      'InjectedFault: injected throw: a on message 1 (faults[0], seed 42)',
    );
    expect(t.injection?.fired).toEqual([
      { time: 0, fault: 0, kind: 'throw', target: 'a', mid: 1n, detail: 'on message 1' },
    ]);
    await t.stop();
    t.assertHistory();
  });

  it('hang: the handler never settles, the container is unresponsive after handlerTimeoutMs', async () => {
    const { t } = twoSubscribers([{ kind: 'hang', container: 'b', nth: 1 }]);
    await t.start();
    await publishAll(t, 2);
    await t.advance(100);
    expect(t.eventsOf('container.unresponsive')).toEqual([
      expect.objectContaining({ container: 'b', afterMs: 100 }),
    ]);
    await t.advance(10);
    expect(reasons(t)).toEqual(['0 handler-fault b']);
    await t.stop();
    t.assertHistory();
  });

  it('kill on a message: the instance crashes holding it (handler-fault), then restarts', async () => {
    const { t, log } = twoSubscribers([{ kind: 'kill', container: 'a', nth: 1 }]);
    await t.start();
    await publishAll(t, 2);
    await t.advance(10);
    expect(t.eventsOf('container.faulted')).toEqual([
      expect.objectContaining({ container: 'a', phase: 'runtime' }),
    ]);
    expect(reasons(t)).toEqual(['0 handler-fault a']);
    expect(log).toContain('a:m1'); // the restarted instance handles the mail that waited
    await t.stop();
    t.assertHistory();
  });

  it('slow subscriber behind a small mailbox: its mail overflows as mailbox-full dead letters', async () => {
    const { t, log } = twoSubscribers([{ kind: 'slow', container: 'b', ms: 50 }], {
      mailboxCapacity: 2,
    });
    await t.start();
    for (let i = 0; i < 8; i++) {
      t.publish('t', `m${i}`);
      await t.advance(10); // a keeps up; b takes 50 ms a message
    }
    await t.advance(500);
    expect(log.filter((l) => l.startsWith('a:'))).toHaveLength(8);
    expect(log.filter((l) => l.startsWith('b:'))).toEqual(['b:m0', 'b:m1', 'b:m2', 'b:m5']);
    expect(reasons(t)).toEqual([
      '3 mailbox-full b',
      '4 mailbox-full b',
      '6 mailbox-full b',
      '7 mailbox-full b',
    ]);
    await t.stop();
    t.assertHistory();
  });

  it('probability: the same seed fires on the same messages, another seed on others', async () => {
    const run = async (seed: number) => {
      const t = createTestSystem({
        containers: [scripted('a', {}, { topics: ['t'] })],
        supervisor: { maxRestarts: 100 },
        faults: { seed, faults: [{ kind: 'throw', container: 'a', probability: 0.3 }] },
      });
      await t.start();
      for (let i = 0; i < 20; i++) {
        t.publish('t', `m${i}`);
        await t.advance(50);
      }
      await t.stop();
      t.assertHistory();
      return t.injection?.fired.map((f) => f.mid);
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(await run(8)).not.toEqual(first);
    expect(first?.length).toBeGreaterThan(0);
  });
});

describe('faults between router and mailbox', () => {
  it('drop with a probability: each dropped delivery is a `dropped` dead letter', async () => {
    const { t, log } = twoSubscribers([{ kind: 'drop', container: 'b', probability: 0.5 }]);
    await t.start();
    await publishAll(t, 10);
    const dropped = t.injection?.fired.map((f) => f.mid) ?? [];
    expect(dropped.length).toBeGreaterThan(0);
    expect(t.deadLetters.map((l) => l.message.mid)).toEqual(dropped);
    expect(t.deadLetters.every((l) => l.reason === 'dropped' && l.container === 'b')).toBe(true);
    expect(log.filter((l) => l.startsWith('b:'))).toHaveLength(10 - dropped.length);
    await t.stop();
    t.assertHistory();
  });

  it('delay holds deliveries back without reordering them', async () => {
    const { t, log } = twoSubscribers([{ kind: 'delay', container: 'a', ms: 30, nth: 2 }]);
    await t.start();
    await publishAll(t, 3);
    expect(log.filter((l) => l.startsWith('a:'))).toEqual(['a:m0']);
    await t.advance(30);
    expect(log.filter((l) => l.startsWith('a:'))).toEqual(['a:m0', 'a:m1', 'a:m2']);
    await t.stop();
    t.assertHistory();
  });

  it('fill-queue: filler messages fill the router queue to the brim, then drain as dead letters', async () => {
    const t = createTestSystem({
      messaging: { queueCapacity: 8 },
      containers: [scripted('a', {}, { topics: ['t'] })],
      faults: { seed: 1, faults: [{ kind: 'fill-queue', atMs: 20 }] },
    });
    await t.start();
    await t.advance(20);
    expect(t.injection?.fired[0]?.detail).toBe(
      'published 8 filler messages; the router queue is full',
    );
    expect(t.eventsOf('queue.full')).toEqual([
      expect.objectContaining({ publisher: 'system', topic: 'chaos/fill', capacity: 8 }),
    ]);
    expect(reasons(t)).toHaveLength(8);
    expect(typeof t.publish('t', 'after')).toBe('bigint'); // drained: room again
    await t.stop();
    t.assertHistory();
  });
});

describe('lifecycle faults', () => {
  it('fail-start: the first K starts fail, then the container runs', async () => {
    const t = createTestSystem({
      supervisor: { maxRestarts: 5, backoff: { minMs: 10, jitter: 0 } },
      containers: [scripted('a')],
      faults: { seed: 1, faults: [{ kind: 'fail-start', container: 'a', times: 2 }] },
    });
    await t.start();
    await t.advance(100);
    expect(t.eventsOf('container.faulted').map((e) => e.error)).toEqual([
      'InjectedFault: injected fail-start: a start 1 of the first 2 fails (faults[0], seed 1)',
      'InjectedFault: injected fail-start: a start 2 of the first 2 fails (faults[0], seed 1)',
    ]);
    expect(t.system.container('a').state).toBe('running');
    await t.stop();
    t.assertHistory();
  });

  it('kill at a time: the running instance crashes and is restarted; nothing to kill while it is down', async () => {
    const t = createTestSystem({
      containers: [scripted('a')],
      supervisor: { backoff: { minMs: 100, jitter: 0 } },
      faults: {
        seed: 1,
        faults: [
          { kind: 'kill', container: 'a', atMs: 50 },
          { kind: 'kill', container: 'a', atMs: 60 },
        ],
      },
    });
    await t.start();
    await t.advance(200);
    expect(t.injection?.fired.map((f) => `${f.time} ${f.detail}`)).toEqual([
      '50 crashed at 50 ms',
      '60 not running: nothing to kill',
    ]);
    expect(t.system.container('a').counters.restarts).toBe(1);
    await t.stop();
    t.assertHistory();
  });

  it('crash-supervisor: a nested supervisor gives up and its parent restarts it', async () => {
    const t = createTestSystem({
      containers: [{ kind: 'supervisor', name: 'inner', children: [scripted('a'), scripted('b')] }],
      supervisor: { backoff: { minMs: 10, jitter: 0 } },
      faults: { seed: 1, faults: [{ kind: 'crash-supervisor', supervisor: 'inner', atMs: 5 }] },
    });
    await t.start();
    await t.advance(50);
    expect(t.eventsOf('supervisor.escalated')).toEqual([
      expect.objectContaining({ supervisor: 'inner' }),
    ]);
    expect(t.system.containers().map((c) => c.state)).toEqual(['running', 'running']);
    await t.stop();
    t.assertHistory();
    expect(t.history.filter((e) => e.kind === 'supervisor-started')).toHaveLength(3);
  });
});

describe('injectFaults', () => {
  it('wraps a spec list; its hooks go to any system, whose history stays sound', async () => {
    const log: string[] = [];
    const specs: ChildSpec[] = [scripted('a', {}, { topics: ['t'], log })];
    const injection = injectFaults(specs, {
      seed: 3,
      faults: [{ kind: 'throw', container: 'a', nth: 1 }],
    });
    const recorder = recordHistory();
    const clock = new VirtualClock();
    const system = createOcreSystem({
      clock,
      containers: injection.containers,
      hooks: { ...injection.hooks, ...recorder.hooks },
    });
    recorder.attach(system);
    await system.start();
    system.publish('t', 'text/plain', 'x');
    system.publish('t', 'text/plain', 'y');
    await clock.advance(100); // the restart's backoff
    await clock.drive(system.stop());
    expect(log).toEqual(['a:y']);
    expect(checkHistory(recorder.history)).toEqual([]);
    expect(injection.describe()).toBe(
      'fault plan seed 3: 1 faults fired (1 throw); replay with seed 3 (OCRE_SEED=3)',
    );
  });

  it('reports every problem of a plan at once, naming its path', () => {
    const bad = () =>
      injectFaults(
        { containers: [scripted('a')] },
        {
          seed: -1,
          faults: [
            { kind: 'throw', container: 'nope' },
            { kind: 'delay', ms: -5 },
            { kind: 'crash-supervisor', supervisor: 'root' },
            { kind: 'bogus' },
            { kind: 'drop', nth: 2, probability: 0.5 },
            { kind: 'kill', container: 'a', atMs: 3, nth: 1 },
          ] as never,
        },
      );
    expect(bad).toThrow(FaultPlanError);
    expect(() => bad()).toThrowErrorMatchingInlineSnapshot(`
      [FaultPlanError: invalid fault plan (7 problems):
        seed: expected a non-negative integer, got -1
        faults[0].container: no container named "nope"; known: a
        faults[1].ms: expected an integer of at least 0, got -5
        faults[2].atMs: missing; a crash-supervisor fault needs it
        faults[3].kind: expected one of throw, hang, kill, delay, drop, fill-queue, slow, fail-start, crash-supervisor, got "bogus"
        faults[4]: give nth or probability, not both
        faults[5]: a kill happens at atMs or on a message (nth, probability), not both]
    `);
  });
});
