// Catalogue, module faults: malformed bytes, an unknown import and no memory export are refused at composition; a start function that loops and a main that traps at once crash-loop into restart intensity and escalation, and the system stops failed, cleanly.
import { afterEach, describe, expect, it } from 'vitest';
import { checkHistory } from '@ocre-ts/actors/testing';
import {
  loopingStartModule,
  noMemoryExportModule,
  quickSupervisor,
  runSystem,
  stopAll,
  wasmFixture,
} from './helpers.ts';
import { isolationModes, wasmContainerIn } from './helpers.ts';
import { WasmPool } from '@ocre-ts/wasm-adapter';
describe.each(isolationModes)('isolation: %s', (isolation) => {
  const wasmContainer = wasmContainerIn(isolation);

  afterEach(stopAll);

  /** The `code` of what `compose` throws. */
  function codeOf(compose: () => unknown): unknown {
    try {
      compose();
    } catch (error) {
      return (error as { code?: unknown }).code;
    }
    return 'nothing thrown';
  }

  describe('modules refused at composition, before anything starts', () => {
    it('malformed bytes: MALFORMED_MODULE', () => {
      expect(codeOf(() => wasmContainer({ name: 'm', wasm: wasmFixture('malformed') }))).toBe(
        'MALFORMED_MODULE',
      );
    });

    it('an import the host does not provide: UNKNOWN_IMPORT', () => {
      expect(codeOf(() => wasmContainer({ name: 'u', wasm: wasmFixture('unknown-import') }))).toBe(
        'UNKNOWN_IMPORT',
      );
    });

    it('no memory export (a hand-assembled module): NO_MEMORY_EXPORT', () => {
      expect(codeOf(() => wasmContainer({ name: 'n', wasm: noMemoryExportModule }))).toBe(
        'NO_MEMORY_EXPORT',
      );
    });
  });

  describe('modules that crash-loop until their supervisor gives up', () => {
    it('a start function that loops (hand-assembled): unresponsive at each start, then escalation; the system stops failed', async () => {
      const run = runSystem({
        containers: [
          wasmContainer({ name: 'looper', wasm: loopingStartModule, startTimeoutMs: 300 }),
        ],
        supervisor: { ...quickSupervisor, maxRestarts: 1 },
      });
      await run.system.start();
      const stopped = await run.system.whenStopped;
      expect(stopped.failed).toBe(true);
      expect(stopped.reason).toMatch(/restart intensity exceeded: more than 1 restarts/);
      expect(stopped.reason).toMatch(/"looper", start fault: did not become ready within 300 ms/);
      expect(run.eventsOf('container.unresponsive')).toHaveLength(2);
      expect(run.eventsOf('supervisor.escalated')).toEqual([
        expect.objectContaining({ supervisor: 'root', child: 'looper' }),
      ]);
      expect(checkHistory(run.history)).toEqual([]);
    });

    it('a main that traps at once, under a nested supervisor: it escalates, the root restarts it, then gives up itself', async () => {
      const run = runSystem({
        containers: [
          {
            kind: 'supervisor',
            name: 'inner',
            ...quickSupervisor,
            maxRestarts: 2,
            children: [wasmContainer({ name: 'crasher', wasm: wasmFixture('trap-in-main') })],
          },
        ],
        supervisor: { ...quickSupervisor, maxRestarts: 1 },
      });
      await run.system.start();
      const stopped = await run.system.whenStopped;
      expect(stopped.failed).toBe(true);
      expect(run.eventsOf('supervisor.escalated').map((e) => e.supervisor)).toEqual([
        'inner',
        'inner',
        'root',
      ]);
      // inner: 2 restarts allowed, the 3rd fault escalates; twice, as the root restarts it once.
      const faults = run.eventsOf('container.faulted');
      expect(faults).toHaveLength(6);
      expect(new Set(faults.map((f) => f.error))).toEqual(
        new Set(['WasmTrapError: main trapped: RuntimeError: unreachable']),
      );
      expect(checkHistory(run.history)).toEqual([]);
    });

    it('a main that never yields: unresponsive at start, its worker terminated', async () => {
      const run = runSystem({
        containers: [
          wasmContainer({
            name: 'spinner',
            wasm: wasmFixture('loop-in-main'),
            startTimeoutMs: 300,
          }),
        ],
        supervisor: { ...quickSupervisor, maxRestarts: 0 },
      });
      await run.system.start();
      const stopped = await run.system.whenStopped;
      expect(stopped.failed).toBe(true);
      expect(run.eventsOf('container.unresponsive')).toEqual([
        expect.objectContaining({ container: 'spinner', afterMs: 300 }),
      ]);
      expect(checkHistory(run.history)).toEqual([]);
    });
  });
});

describe('a pooled start killed before its worker ran it', () => {
  afterEach(stopAll);

  // Under load a start can time out before the new worker thread has even run it: the start was
  // still queued there. It must be dropped, or a start function that never yields would hang that
  // worker for good, and every later instance placed on it would time out in turn (a system that
  // never stops).
  it('is dropped: the next system on the same pool crash-loops and stops as it should', async () => {
    const pool = new WasmPool();
    const wasmContainer = wasmContainerIn('pooled');
    const looper = runSystem({
      containers: [
        wasmContainer({ name: 'looper', wasm: loopingStartModule, pool, startTimeoutMs: 1 }),
      ],
      supervisor: { ...quickSupervisor, maxRestarts: 1 },
    });
    await looper.system.start();
    expect((await looper.system.whenStopped).failed).toBe(true);

    const run = runSystem({
      containers: [wasmContainer({ name: 'crasher', wasm: wasmFixture('trap-in-main'), pool })],
      supervisor: { ...quickSupervisor, maxRestarts: 2 },
    });
    await run.system.start();
    expect((await run.system.whenStopped).failed).toBe(true);
    // Every start ran and trapped: none waited behind a hung worker until it timed out.
    expect(run.eventsOf('container.unresponsive')).toEqual([]);
    expect(run.eventsOf('container.faulted')).toHaveLength(3);
  });
});
