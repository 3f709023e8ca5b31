// Catalogue, load: a publish storm against a full queue, a slow subscriber behind a small mailbox, a restart storm across many containers, publishing during shutdown, subscribing twice — nothing blocks, nothing is lost, the history is sound.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineContainer } from '@ocre-ts/actors';
import type { ChildSpec } from '@ocre-ts/actors';
import { checkHistory, createTestSystem } from '@ocre-ts/actors/testing';
import type { Fault } from '@ocre-ts/actors/testing';
import {
  buildFixture,
  quickSupervisor,
  runSystem,
  stopAll,
  wasmFixture,
  realTime,
} from './helpers.ts';
import { isolationModes, wasmContainerIn } from './helpers.ts';
describe.each(isolationModes)('isolation: %s', (isolation) => {
  const wasmContainer = wasmContainerIn(isolation);

  afterEach(stopAll);

  /** A TypeScript container subscribed to `topic` that counts what it handles. */
  function counter(name: string, topic: string, seen: string[] = []) {
    return defineContainer({
      name,
      init(api) {
        api.ocre_msg_system_init();
        api.ocre_subscribe_message(topic, 'on_message');
      },
      handlers: { on_message: (message) => void seen.push(`${name}:${message.mid}`) },
    });
  }

  describe('a publish storm against a full queue', () => {
    it('WASM publish-storm (queue of 4): -1 at once, never blocking, only 0 or -1, refusals counted', async () => {
      const run = runSystem({
        messaging: { queueCapacity: 4 },
        containers: [wasmContainer({ name: 'storm', wasm: wasmFixture('publish-storm') })],
      });
      await run.system.start();
      await vi.waitFor(
        () => expect(run.lines('storm').length >= 3, 'three storm reports').toBe(true),
        realTime,
      );
      const report = /^storm attempts=(\d+) accepted=(\d+) refused=(\d+) other=(\d+)$/.exec(
        run.lines('storm')[2] ?? '',
      );
      expect(report?.slice(1).map(Number)).toEqual([
        30000,
        expect.any(Number),
        expect.any(Number),
        0,
      ]);
      expect(Number(report?.[3])).toBeGreaterThan(0);
      await vi.waitFor(
        () =>
          expect(run.system.counters().rejected > 0, 'refusals reported to the router').toBe(true),
        realTime,
      );
      const stopped = await run.stop(100);
      expect(stopped.counters.published).toBeGreaterThan(0);
      expect(checkHistory(run.history)).toEqual([]);
    });

    it('TypeScript: 1000 publishes into a queue of 16 from one init: 16 accepted, the rest refused at once', async () => {
      const verdicts: number[] = [];
      const storm = defineContainer({
        name: 'storm',
        init(api) {
          api.ocre_msg_system_init();
          for (let i = 0; i < 1000; i++)
            verdicts.push(api.ocre_publish_message('storm/out', 'text/plain', 'x', 1));
        },
      });
      const seen: string[] = [];
      const run = runSystem({
        messaging: { queueCapacity: 16 },
        containers: [counter('sink', 'storm/out', seen), storm],
      });
      await run.system.start();
      expect(verdicts.filter((v) => v === 0)).toHaveLength(16);
      expect(verdicts.filter((v) => v === -1)).toHaveLength(984);
      await vi.waitFor(
        () => expect(seen.length === 16, 'the accepted ones delivered').toBe(true),
        realTime,
      );
      expect(run.eventsOf('queue.full')).toHaveLength(984);
      const stopped = await run.stop();
      expect(stopped.counters.rejected).toBe(984);
      expect(checkHistory(run.history)).toEqual([]);
    });
  });

  describe('a slow subscriber behind a small mailbox', () => {
    it('TypeScript, virtual time: its mail overflows as mailbox-full dead letters; a fast sibling misses nothing', async () => {
      const t = createTestSystem({
        containers: [counter('fast', 'readings'), counter('slow', 'readings')],
        messaging: { mailboxCapacity: 4 },
        faults: { seed: 11, faults: [{ kind: 'slow', container: 'slow', ms: 20 }] },
      });
      await t.start();
      for (let i = 0; i < 100; i++) {
        t.publish('readings', `${i}`);
        await t.advance(1);
      }
      await t.advance(500);
      const { counters } = await t.stop();
      expect(counters.containers['fast']).toMatchObject({ delivered: 100, deadLettered: 0 });
      const slow = counters.containers['slow'];
      expect(slow?.deadLettered).toBeGreaterThan(50);
      expect((slow?.delivered ?? 0) + (slow?.deadLettered ?? 0)).toBe(100);
      expect(new Set(t.deadLetters.map((l) => l.reason))).toEqual(new Set(['mailbox-full']));
      t.assertHistory();
    });

    it('WASM, real time: the same plan slows a WebAssembly echo container; mail overflows, nothing is lost', async () => {
      const run = runSystem(
        {
          containers: [
            wasmContainer({
              name: 'echo',
              wasm: wasmFixture('echo-subscriber'),
              mailboxCapacity: 2,
            }),
          ],
        },
        { seed: 12, faults: [{ kind: 'slow', container: 'echo', ms: 100 }] },
      );
      await run.system.start();
      // The first message is held up in the slow handler; nine more arrive meanwhile.
      run.system.publish('test/in', 'text/plain', 'm0');
      await vi.waitFor(
        () => expect(run.injection?.fired.length === 1, 'the first message slowed').toBe(true),
        realTime,
      );
      for (let i = 1; i < 10; i++) run.system.publish('test/in', 'text/plain', `m${i}`);
      const echo = () => run.system.counters().containers['echo'];
      await vi.waitFor(
        () =>
          expect((echo()?.delivered ?? 0) + (echo()?.deadLettered ?? 0) === 10, 'all ten').toBe(
            true,
          ),
        realTime,
      );
      expect(echo()).toMatchObject({ delivered: 3, deadLettered: 7 }); // m0, then a mailbox of 2
      const letters = run.deadLetters.filter((l) => l.container === 'echo'); // not its echoes
      expect(letters.length).toBeGreaterThan(0);
      expect(new Set(letters.map((l) => l.reason))).toEqual(new Set(['mailbox-full']));
      await run.stop();
      expect(checkHistory(run.history)).toEqual([]);
    });
  });

  describe('a restart storm across many containers', () => {
    it('TypeScript, virtual time: 40 containers under 4 supervisors, each faulting at random', async () => {
      const names = Array.from({ length: 40 }, (_, i) => `c${i}`);
      const strategies = ['one-for-one', 'one-for-all', 'rest-for-one', 'one-for-one'] as const;
      const groups: ChildSpec[] = strategies.map((strategy, g) => ({
        kind: 'supervisor',
        name: `group${g}`,
        strategy,
        maxRestarts: 20,
        withinMs: 1000,
        backoff: { minMs: 5, maxMs: 40 },
        children: names.slice(g * 10, g * 10 + 10).map((name) => counter(name, 'storm')),
      }));
      const faults: Fault[] = names.map((container) => ({
        kind: 'throw',
        container,
        probability: 0.15,
      }));
      const t = createTestSystem({
        containers: groups,
        supervisor: { maxRestarts: 10, withinMs: 1000 },
        faults: { seed: 13, faults },
      });
      await t.start();
      for (let i = 0; i < 60; i++) {
        t.publish('storm', `${i}`);
        await t.advance(10);
      }
      await t.advance(1000);
      await t.stop();
      expect(t.eventsOf('container.restarting').length).toBeGreaterThan(100);
      t.assertHistory();
    });

    it('WASM: four trapping containers, three faults each, all restarted in their own workers', async () => {
      const names = ['t0', 't1', 't2', 't3'];
      const run = runSystem({
        containers: names.map((name) =>
          wasmContainer({ name, wasm: wasmFixture('trap-unreachable'), handlerTimeoutMs: 2000 }),
        ),
        supervisor: { ...quickSupervisor, maxRestarts: 20 },
      });
      const ready = () => names.map((name) => run.lines(name).filter((l) => l === 'ready').length);
      await run.system.start();
      for (let round = 1; round <= 3; round++) {
        await vi.waitFor(
          () =>
            expect(
              ready().every((n) => n === round),
              `all ready (round ${round})`,
            ).toBe(true),
          realTime,
        );
        await vi.waitFor(
          () =>
            expect(
              run.system.containers().every((c) => c.state === 'running'),
              'all running',
            ).toBe(true),
          realTime,
        );
        run.system.publish('fault/in', 'text/plain', `boom ${round}\0`);
      }
      await vi.waitFor(
        () =>
          expect(
            ready().every((n) => n === 4),
            'the last restarts',
          ).toBe(true),
        realTime,
      );
      expect(run.eventsOf('container.faulted')).toHaveLength(12);
      expect(run.deadLetters.map((l) => l.reason)).toEqual(Array(12).fill('handler-fault'));
      await run.stop();
      expect(checkHistory(run.history)).toEqual([]);
    });
  });

  describe('publishing during shutdown', () => {
    it('TypeScript: publishes from outside and from handlers are refused once the stop begins; queued mail drains or becomes shutdown dead letters', async () => {
      const verdicts: number[] = [];
      const relay = defineContainer({
        name: 'relay',
        init(api) {
          api.ocre_msg_system_init();
          api.ocre_subscribe_message('in', 'on_in');
        },
        handlers: {
          on_in: (_message, ctx) =>
            void verdicts.push(ctx.api.ocre_publish_message('out', 'text/plain', 'r', 1)),
        },
      });
      const t = createTestSystem({
        containers: [relay, counter('sink', 'out')],
        faults: { seed: 14, faults: [{ kind: 'slow', container: 'relay', ms: 10 }] },
      });
      await t.start();
      for (let i = 0; i < 10; i++) t.publish('in', `${i}`);
      await t.advance(25); // two handled, the rest waiting
      const stopping = t.stop({ timeoutMs: 30 });
      expect(t.publish('in', 'late')).toBe('SHUTTING_DOWN');
      const stopped = await stopping;
      expect(verdicts.slice(0, 2)).toEqual([0, 0]);
      expect(verdicts.slice(2).every((v) => v === -1)).toBe(true);
      expect(t.deadLetters.some((l) => l.reason === 'shutdown')).toBe(true);
      expect(stopped.counters.inFlight + stopped.counters.queued).toBe(0);
      t.assertHistory();
    });

    it('WASM: a storm still publishing while the system stops is cut off, and all it got accepted is accounted for', async () => {
      const run = runSystem({
        messaging: { queueCapacity: 64 },
        containers: [
          counter('sink', 'storm/out'),
          wasmContainer({ name: 'storm', wasm: wasmFixture('publish-storm') }),
        ],
      });
      await run.system.start();
      await vi.waitFor(
        () => expect(run.lines('storm').length >= 1, 'the storm').toBe(true),
        realTime,
      );
      const stopped = await run.stop(50);
      expect(run.system.publish('storm/out', 'text/plain', 'late').ok).toBe(false);
      expect(stopped.counters.queued + stopped.counters.inFlight).toBe(0);
      expect(checkHistory(run.history)).toEqual([]);
    });
  });

  describe('subscribing twice', () => {
    it('WASM: both calls return 0 and each message arrives once', async () => {
      const run = runSystem({
        containers: [wasmContainer({ name: 'twice', wasm: await buildFixture('subscribe-twice') })],
      });
      await run.system.start();
      await vi.waitFor(
        () => expect(run.lines('twice').includes('ready'), 'the subscriptions').toBe(true),
        realTime,
      );
      for (let i = 0; i < 3; i++) run.system.publish('twice/in', 'text/plain', `${i}`);
      await vi.waitFor(
        () => expect(run.system.counters().delivered === 3, 'three deliveries').toBe(true),
        realTime,
      );
      expect(run.lines('twice')).toEqual([
        'first: 0',
        'second: 0',
        'ready',
        'got 0',
        'got 1',
        'got 2',
      ]);
      expect(run.system.container('twice').subscriptions).toHaveLength(1);
      await run.stop();
      expect(checkHistory(run.history)).toEqual([]);
    });

    it('TypeScript: both calls return 0 and each message arrives once', async () => {
      const results: number[] = [];
      const seen: string[] = [];
      const twice = defineContainer({
        name: 'twice',
        init(api) {
          api.ocre_msg_system_init();
          results.push(
            api.ocre_subscribe_message('in', 'on_in'),
            api.ocre_subscribe_message('in', 'on_in'),
          );
        },
        handlers: { on_in: (message) => void seen.push(`${message.mid}`) },
      });
      const t = createTestSystem({ containers: [twice], seed: 15 });
      await t.start();
      for (let i = 0; i < 3; i++) t.publish('in', `${i}`);
      await t.settle();
      expect(results).toEqual([0, 0]);
      expect(seen).toEqual(['0', '1', '2']);
      await t.stop();
      t.assertHistory();
    });
  });
});
