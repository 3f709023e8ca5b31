// Tests the pool of shared workers: many containers per worker, main suspended at ocre_sleep, and faults in one instance that leave its siblings alone.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WasmLoadError } from '../src/errors.ts';
import type { PooledRuntime } from '../src/pool/pooled-runtime.ts';
import { wasmContainer } from '../src/container/wasm-container.ts';
import { WasmPool } from '../src/pool/wasm-pool.ts';
import { exposeRuntime, fixture, recordSystem, realTime } from './helpers.ts';
import { createFakeHost } from './fake-host.ts';
import type { RecordedSystem } from './helpers.ts';

const running: RecordedSystem[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(({ system }) => system.stop({ timeoutMs: 100 })));
});

/** Restarts at once, and never gives up within a test. */
const patientSupervisor = {
  maxRestarts: 1000,
  withinMs: 60_000,
  backoff: { minMs: 1, maxMs: 1, jitter: 0 },
} as const;

const counts = (recorded: RecordedSystem, name: string): number[] =>
  recorded
    .lines(name)
    .filter((line) => line.startsWith('count='))
    .map((line) => Number.parseInt(line.slice('count='.length), 10));

const readies = (recorded: RecordedSystem, name: string): number =>
  recorded.lines(name).filter((line) => line === 'ready').length;

describe('a pool of one worker', () => {
  it('runs the seed publisher and three subscribers on one thread: main sleeps without blocking it', async () => {
    const pool = new WasmPool({ size: 1 });
    const subscribers = ['a', 'b', 'c'].map((name) =>
      exposeRuntime(wasmContainer({ name, wasm: fixture('seed-subscriber'), pool })),
    );
    const publisher = wasmContainer({ name: 'publisher', wasm: fixture('seed-publisher'), pool });
    const recorded = recordSystem({
      containers: [...subscribers.map(({ spec }) => spec), publisher],
    });
    running.push(recorded);
    await recorded.system.start();
    // The publisher publishes every 500 ms: rounds reach all three subscribers.
    const received = (name: string) =>
      recorded.lines(name).filter((line) => line.includes('temperature')).length;
    await vi.waitFor(
      () =>
        expect(
          ['a', 'b', 'c'].every((name) => received(name) >= 2),
          'two rounds of temperature data at every subscriber',
        ).toBe(true),
      realTime,
    );
    const workers = subscribers.map(({ runtime }) => (runtime() as PooledRuntime).workerName);
    expect(workers[0]).toBeDefined();
    expect(new Set(workers).size).toBe(1);
    expect(pool.workerCount).toBe(1);
    expect(recorded.deadLetters.filter((letter) => letter.reason !== 'no-subscriber')).toEqual([]);
    expect(recorded.eventsOf('container.faulted')).toEqual([]);
  });
});

describe('isolation per instance', () => {
  it("keeps siblings counting across a neighbour's 100 traps", async () => {
    const pool = new WasmPool({ size: 1 });
    const siblings = ['s1', 's2'].map((name) =>
      wasmContainer({ name, wasm: fixture('counting-subscriber'), pool }),
    );
    const neighbour = wasmContainer({ name: 'trapper', wasm: fixture('trap-unreachable'), pool });
    const recorded = recordSystem({
      containers: [...siblings, neighbour],
      supervisor: patientSupervisor,
    });
    running.push(recorded);
    await recorded.system.start();
    const traps = () => recorded.eventsOf('container.faulted').length;
    for (let round = 1; round <= 100; round++) {
      expect(recorded.system.publish('fault/in', 'text/plain', 'boom\0').ok).toBe(true);
      expect(recorded.system.publish('count/in', 'text/plain', 'one\0').ok).toBe(true);
      await vi.waitFor(() => expect(traps() === round, `trap ${round}`).toBe(true), realTime);
      await vi.waitFor(
        () =>
          expect(readies(recorded, 'trapper') === round + 1, `trapper back ${round}`).toBe(true),
        realTime,
      );
    }
    await vi.waitFor(
      () => expect(counts(recorded, 's2').length === 100, 'every count at s2').toBe(true),
      realTime,
    );
    // State kept: each sibling counted 1..100 without a reset, and was never restarted.
    for (const name of ['s1', 's2']) {
      expect(counts(recorded, name)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(readies(recorded, name)).toBe(1);
    }
    expect(recorded.eventsOf('container.faulted').map((event) => event.container)).toEqual(
      Array.from({ length: 100 }, () => 'trapper'),
    );
    expect(recorded.eventsOf('container.restarting')).toHaveLength(100);
  }, 60_000);

  it('a handler that never returns: its worker is terminated, siblings restart, the offender moves to a worker of its own', async () => {
    const pool = new WasmPool({ size: 1 });
    const sibling = exposeRuntime(
      wasmContainer({ name: 'sibling', wasm: fixture('counting-subscriber'), pool }),
    );
    const offender = exposeRuntime(
      wasmContainer({ name: 'hanger', wasm: fixture('hang-handler'), pool, handlerTimeoutMs: 300 }),
    );
    const recorded = recordSystem({
      containers: [sibling.spec, offender.spec],
      supervisor: patientSupervisor,
    });
    running.push(recorded);
    await recorded.system.start();
    recorded.system.publish('count/in', 'text/plain', 'before\0');
    await vi.waitFor(
      () => expect(counts(recorded, 'sibling').length === 1, 'the first count').toBe(true),
      realTime,
    );
    const shared = (offender.runtime() as PooledRuntime).workerName;
    expect((sibling.runtime() as PooledRuntime).workerName).toBe(shared);

    recorded.system.publish('fault/in', 'text/plain', 'spin\0');
    await vi.waitFor(
      () => expect(readies(recorded, 'hanger') === 2, 'the offender restarted').toBe(true),
      realTime,
    );
    await vi.waitFor(
      () => expect(readies(recorded, 'sibling') === 2, 'the sibling restarted').toBe(true),
      realTime,
    );
    // What the sibling observes: a runtime fault naming its lost worker, and a fresh instance.
    expect(recorded.eventsOf('container.faulted')).toContainEqual(
      expect.objectContaining({
        container: 'sibling',
        phase: 'runtime',
        error: expect.stringMatching(
          /was terminated because a sibling container did not yield/,
        ) as unknown,
      }),
    );
    expect(recorded.eventsOf('container.unresponsive')).toEqual([
      expect.objectContaining({ container: 'hanger' }),
    ]);
    const moved = offender.runtime() as PooledRuntime;
    expect(moved.quarantined).toBe(true);
    expect(moved.workerName).toMatch(/^ocre:quarantine:hanger/);
    expect((sibling.runtime() as PooledRuntime).workerName).not.toBe(moved.workerName);
    await vi.waitFor(
      () =>
        expect(recorded.system.container('sibling').state === 'running', 'sibling up').toBe(true),
      realTime,
    );
    recorded.system.publish('count/in', 'text/plain', 'after\0');
    await vi.waitFor(
      () =>
        expect(counts(recorded, 'sibling').length === 2, 'a count after the restart').toBe(true),
      realTime,
    );
    // The restart reset its state: it counts from 1 again.
    expect(counts(recorded, 'sibling')).toEqual([1, 1]);
  });
});

/** One section of a hand-assembled module: its id, its length, its content. */
const section = (id: number, ...content: number[]) => [id, content.length, ...content];
const text = (name: string) => [name.length, ...Buffer.from(name)];

/** A WASI command whose start function (run while instantiating) loops forever, no host call in it. */
const loopingStart = Uint8Array.from([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, 1, 0x60, 0, 0), // types: () -> ()
  ...section(3, 2, 0, 0), // two functions of type 0
  ...section(5, 1, 0x00, 2), // one memory, at least 2 pages
  ...section(7, 2, ...text('_start'), 0x00, 0, ...text('memory'), 0x02, 0),
  ...section(8, 1), // start section: function 1
  ...section(10, 2, 2, 0, 0x0b, 7, 0, 0x03, 0x40, 0x0c, 0, 0x0b, 0x0b), // _start: empty; 1: loop { br 0 }
]);

describe('an instance killed before its worker ran its start', () => {
  it('never runs: guest code that would never yield does not hang the worker for the next instance', async () => {
    const pool = new WasmPool({ size: 1 });
    // A budget far beyond the test's: only dropping the start, not the watchdog, can save it.
    const pooled = (name: string, wasm: string | Uint8Array) =>
      wasmContainer({ name, wasm, pool, startTimeoutMs: 60_000 }).runtime() as PooledRuntime;
    const looper = pooled('looper', loopingStart);
    const looperHost = createFakeHost('looper', (handler) => looper.hasHandler(handler));
    void looper.start(looperHost.host);
    // At once, as a supervisor does when a start times out under load or its group restarts:
    // the start command is still queued for the worker (it is not even online yet).
    looper.kill();

    const next = pooled('next', fixture('seed-subscriber'));
    const nextHost = createFakeHost('next', (handler) => next.hasHandler(handler));
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(resolve, 5000, 'hung')));
    // The worker takes commands in order: the next start is answered only after the looper's.
    const outcome = await Promise.race([next.start(nextHost.host).then(() => 'ready'), hung]);
    clearTimeout(timer);
    expect(outcome).toBe('ready');
    expect(next.workerName).toBe('ocre:pool-1');
    expect(looperHost.faults).toEqual([]);
    await next.stop();
    expect(pool.workerCount).toBe(1);
  });
});

describe('WasmPool options', () => {
  it('refuses a size that is not an integer from 1 to 256', () => {
    for (const size of [0, -1, 1.5, 257, Number.NaN]) {
      expect(() => new WasmPool({ size })).toThrow(WasmLoadError);
    }
    expect(new WasmPool({ size: 3 }).size).toBe(3);
  });

  it('refuses an unknown isolation mode when the container is composed', () => {
    expect(() =>
      wasmContainer({
        name: 'x',
        wasm: fixture('seed-subscriber'),
        isolation: 'shared' as 'pooled',
      }),
    ).toThrow(/isolation must be 'pooled' or 'worker'/);
  });
});
