// Tests faults in main, each contained: a trap crash-loops until the root supervisor gives up and stops the system, a main that never yields is unresponsive (its start timer alone decides a start) and its worker replaced.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { wasmContainer } from '../src/container/wasm-container.ts';
import { WasmPool } from '../src/pool/wasm-pool.ts';
import {
  exposeRuntime,
  extraWorkers,
  fixture,
  isolations,
  quickSupervisor,
  recordSystem,
  realTime,
} from './helpers.ts';
import type { AnyWasmRuntime, RecordedSystem } from './helpers.ts';
import { createFakeHost } from './fake-host.ts';

const running: RecordedSystem[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(({ system }) => system.stop({ timeoutMs: 100 })));
});

describe.each(isolations)('isolation: %s', (isolation) => {
  describe('a main that traps', () => {
    it('crash-loops until restart intensity is exceeded; the root gives up and the system stops, failed', async () => {
      const { spec, runtime } = exposeRuntime(
        // The default start timeout (5 s): a tighter one only races the thread's spawn under
        // load (a start fault 'did not become ready' instead of the trap this row is about).
        wasmContainer({ name: 'crasher', wasm: fixture('trap-in-main'), isolation }),
      );
      const recorded = recordSystem({ containers: [spec], supervisor: quickSupervisor });
      running.push(recorded);
      await recorded.system.start();
      const stopped = await recorded.system.whenStopped;

      expect(stopped.failed).toBe(true);
      expect(stopped.reason).toMatch(/restart intensity exceeded/);
      expect(stopped.reason).toMatch(/main trapped: RuntimeError: unreachable/);
      const faults = recorded.eventsOf('container.faulted');
      expect(faults).toHaveLength(quickSupervisor.maxRestarts + 1);
      for (const fault of faults) {
        expect(fault).toMatchObject({
          container: 'crasher',
          phase: 'start',
          error: 'WasmTrapError: main trapped: RuntimeError: unreachable',
        });
      }
      expect(recorded.eventsOf('supervisor.escalated')).toHaveLength(1);
      expect(recorded.eventsOf('system.stopped')).toEqual([
        expect.objectContaining({ failed: true }),
      ]);
      // Every restart reused the one worker: a trap leaves it healthy.
      expect(extraWorkers(runtime())).toBe(0);
    });
  });

  describe('a main that never yields', () => {
    it('is unresponsive at each start; the system stops failed and its mail is dead-lettered', async () => {
      const spec = wasmContainer({
        name: 'spinner',
        wasm: fixture('loop-in-main'),
        startTimeoutMs: 1500,
        isolation,
      });
      const recorded = recordSystem({
        containers: [spec],
        supervisor: { ...quickSupervisor, maxRestarts: 1 },
      });
      running.push(recorded);
      await recorded.system.start();
      // Mail for it waits in its mailbox; it is never delivered, and ends as a dead letter.
      expect(recorded.system.publish('fault/in', 'text/plain', 'never\0').ok).toBe(true);
      const stopped = await recorded.system.whenStopped;

      expect(stopped.failed).toBe(true);
      expect(recorded.eventsOf('container.unresponsive')).toEqual([
        expect.objectContaining({ container: 'spinner', afterMs: 1500 }),
        expect.objectContaining({ container: 'spinner', afterMs: 1500 }),
      ]);
      // Whether each start had begun its guest code when its 1500 ms ran out depends on how fast
      // its thread was spawned: a start cancelled before it ran needs no new worker. That a
      // spinning instance takes its worker down is the next test's, deterministically.
      await vi.waitFor(
        () => expect(recorded.deadLetters.length === 1, 'the undelivered message').toBe(true),
        realTime,
      );
      expect(recorded.deadLetters[0]).toMatchObject({
        container: 'spinner',
        handler: 'fault_handler',
      });
    });

    it('killed while it spins: its worker is terminated and the next start gets a new one', async () => {
      // Far beyond the test: the kill, not a timeout, ends each instance.
      const runtime = wasmContainer({
        name: 'spinner',
        wasm: fixture('loop-in-main'),
        startTimeoutMs: 60_000,
        isolation,
      }).runtime() as AnyWasmRuntime;
      for (let attempt = 1; attempt <= 2; attempt++) {
        const fake = createFakeHost('spinner', (handler) => runtime.hasHandler(handler));
        void runtime.start(fake.host);
        // Its guest code runs now: it printed, then spins without ever yielding.
        await vi.waitFor(() => expect(fake.stdout).toContain('spinning'), realTime);
        runtime.kill();
      }
      // The second instance ran on a worker of its own (worker: a new thread; pooled: quarantine).
      expect(extraWorkers(runtime)).toBe(1);
    });
  });
});

describe('a pooled start that outlives its startTimeoutMs (the start timer decides, not the watchdog)', () => {
  it('is unresponsive even when a stalled event loop lets the watchdog look first', async () => {
    // The watchdog looks every 10 ms, so it has seen the start's turn long before the stall.
    const pool = new WasmPool({ watchdogMs: 10 });
    const { spec, runtime } = exposeRuntime(
      wasmContainer({ name: 'spinner', wasm: fixture('loop-in-main'), startTimeoutMs: 1500, pool }),
    );
    const recorded = recordSystem({
      containers: [spec],
      supervisor: { ...quickSupervisor, maxRestarts: 0 },
    });
    running.push(recorded);
    const started = recorded.system.start();
    // Its start's guest code runs (it spins without ever yielding), and the watchdog has seen it.
    await vi.waitFor(() => expect(recorded.lines('spinner')).toContain('spinning'), realTime);
    const spinning = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Stall the event loop past the start's deadline, as a loaded machine does. When it turns
    // again, the start timer and a watchdog look are both due, and the watchdog's (due earlier)
    // runs first: the order that once made this start a plain start fault (no unresponsive).
    const stall = spinning + 1500 + 200 - performance.now();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, stall));
    await started;
    const stopped = await recorded.system.whenStopped;

    expect(stopped.failed).toBe(true);
    expect(recorded.eventsOf('container.unresponsive')).toEqual([
      expect.objectContaining({ container: 'spinner', afterMs: 1500 }),
    ]);
    expect(recorded.eventsOf('container.faulted')).toEqual([
      expect.objectContaining({ phase: 'start', error: 'did not become ready within 1500 ms' }),
    ]);
    // The start timer's kill took the spinning start's worker down with it.
    expect(extraWorkers(runtime())).toBe(1);
  });
});
