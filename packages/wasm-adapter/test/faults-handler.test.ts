// Tests faults inside handlers, each contained, in both isolation modes: traps, stack overflow and proc_exit restart the container without a new thread, a hang takes a new one (a replaced worker, or pooled, quarantine; its handler timer alone decides it), memory bombs fail inside the guest only.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { wasmContainer } from '../src/container/wasm-container.ts';
import type { WasmContainerOptions } from '../src/container/wasm-container.ts';
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
import type { RecordedSystem } from './helpers.ts';

const running: RecordedSystem[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(({ system }) => system.stop({ timeoutMs: 100 })));
});

describe.each(isolations)('isolation: %s', (isolation) => {
  /** One container subscribed to "fault/in", started and ready, with short timeouts. */
  async function faultContainer(name: string, options: Partial<WasmContainerOptions> = {}) {
    const { spec, runtime } = exposeRuntime(
      wasmContainer({
        name: 'victim',
        wasm: fixture(name),
        handlerTimeoutMs: 300,
        startTimeoutMs: 2000,
        isolation,
        ...options,
      }),
    );
    const recorded = recordSystem({ containers: [spec], supervisor: quickSupervisor });
    running.push(recorded);
    await recorded.system.start();
    await vi.waitFor(
      () => expect(recorded.lines('victim').includes('ready'), `${name} to be ready`).toBe(true),
      realTime,
    );
    return { ...recorded, runtime };
  }

  const readyCount = (recorded: RecordedSystem) =>
    recorded.lines('victim').filter((line) => line === 'ready').length;

  describe('a handler that traps or exits', () => {
    it.each([
      [
        'trap-unreachable',
        'WasmTrapError: handler "fault_handler" trapped: RuntimeError: unreachable',
      ],
      [
        'trap-div-zero',
        'WasmTrapError: handler "fault_handler" trapped: RuntimeError: divide by zero',
      ],
      [
        'trap-oob',
        'WasmTrapError: handler "fault_handler" trapped: RuntimeError: memory access out of bounds',
      ],
      [
        'trap-bad-indirect-call',
        'WasmTrapError: handler "fault_handler" trapped: RuntimeError: null function or function signature mismatch',
      ],
      // The C stack sits first in linear memory: overflowing it runs below address 0.
      [
        'stack-overflow',
        'WasmTrapError: handler "fault_handler" trapped: RuntimeError: memory access out of bounds',
      ],
      ['proc-exit-handler', 'WasmExitError: handler "fault_handler" exited with code 3'],
    ])(
      '%s: dead-letters the message and restarts the container without a new thread',
      async (name, error) => {
        const recorded = await faultContainer(name);
        const published = recorded.system.publish('fault/in', 'text/plain', 'boom\0');
        expect(published).toEqual({ ok: true, value: 0n });
        await vi.waitFor(
          () => expect(readyCount(recorded) === 2, 'the restarted instance').toBe(true),
          realTime,
        );

        expect(recorded.deadLetters).toEqual([
          expect.objectContaining({
            reason: 'handler-fault',
            container: 'victim',
            handler: 'fault_handler',
            error,
          }),
        ]);
        expect(recorded.deadLetters[0]?.message).toMatchObject({ mid: 0n, topic: 'fault/in' });
        expect(recorded.eventsOf('container.faulted')).toEqual([
          expect.objectContaining({ container: 'victim', phase: 'handler', error, mid: 0n }),
        ]);
        expect(recorded.eventsOf('container.restarting')).toHaveLength(1);
        expect(extraWorkers(recorded.runtime())).toBe(0);
        // The fresh instance re-ran main, re-subscribed, and takes mail again.
        await vi.waitFor(
          () =>
            expect(recorded.system.container('victim').state === 'running', 'running again').toBe(
              true,
            ),
          realTime,
        );
        expect(recorded.system.publish('fault/in', 'text/plain', 'again\0').ok).toBe(true);
        await vi.waitFor(
          () => expect(recorded.deadLetters.length === 2, 'the second fault').toBe(true),
          realTime,
        );
      },
    );
  });

  describe('onFault: resume after a trap', () => {
    it('still restarts: a trapped instance is never re-entered', async () => {
      const recorded = await faultContainer('trap-unreachable', { onFault: 'resume' });
      recorded.system.publish('fault/in', 'text/plain', 'first\0');
      recorded.system.publish('fault/in', 'text/plain', 'second\0');
      await vi.waitFor(
        () => expect(readyCount(recorded) === 2, 'the restarted instance').toBe(true),
        realTime,
      );
      await vi.waitFor(
        () =>
          expect(recorded.deadLetters.length === 2, 'both messages to be accounted for').toBe(true),
        realTime,
      );
      expect(recorded.eventsOf('container.faulted')).toContainEqual(
        expect.objectContaining({
          phase: 'runtime',
          error:
            'WasmWorkerError: container "victim" has no live instance (it trapped or exited); it must be restarted, not resumed',
        }),
      );
      expect(recorded.eventsOf('container.unresponsive')).toEqual([]);
      expect(extraWorkers(recorded.runtime())).toBe(0);
    });
  });

  describe('a handler that never returns', () => {
    it('is unresponsive: the message is dead-lettered, the worker terminated, a new thread takes the restart', async () => {
      const recorded = await faultContainer('hang-handler');
      recorded.system.publish('fault/in', 'text/plain', 'spin\0');
      await vi.waitFor(
        () => expect(readyCount(recorded) === 2, 'the restarted instance').toBe(true),
        realTime,
      );
      expect(recorded.lines('victim')).toEqual(['ready', 'hanging in handler', 'ready']);
      expect(recorded.eventsOf('container.unresponsive')).toEqual([
        expect.objectContaining({ container: 'victim', afterMs: 300 }),
      ]);
      expect(recorded.deadLetters).toEqual([
        expect.objectContaining({
          reason: 'handler-fault',
          error: 'handler "fault_handler" did not settle within 300 ms',
        }),
      ]);
      expect(extraWorkers(recorded.runtime())).toBe(1);
    });
  });

  describe('a worker terminated while it publishes', () => {
    it('leaves the shared queue usable: a lock it died holding is freed, its last records drained', async () => {
      const recorded = await faultContainer('publish-loop-handler');
      for (let round = 1; round <= 3; round++) {
        // The handler publishes in a tight loop until its worker is terminated for the hang,
        // often in the middle of a push, holding the queue's lock.
        expect(recorded.system.publish('fault/in', 'text/plain', 'go\0').ok).toBe(true);
        await vi.waitFor(
          () => expect(readyCount(recorded) === round + 1, `restart ${round}`).toBe(true),
          realTime,
        );
        // Nobody is publishing now (the fresh instance waits for mail, and this topic is not its
        // own), so only a lock left held by the dead thread, or a router never woken for the
        // records it committed just before it died, could refuse this.
        const after = recorded.system.publish('elsewhere', 'text/plain', 'still works\0');
        expect(after.ok ? 'accepted' : after.error.code).toBe('accepted');
      }
      expect(extraWorkers(recorded.runtime())).toBeGreaterThanOrEqual(1);
    });
  });

  describe('memory exhaustion inside the guest', () => {
    it('memory.grow past memoryMaxPages returns -1 and the container carries on', async () => {
      const recorded = await faultContainer('memory-bomb', { memoryMaxPages: 32 });
      recorded.system.publish('fault/in', 'text/plain', 'grow\0');
      recorded.system.publish('fault/in', 'text/plain', 'grow again\0');
      await vi.waitFor(
        () => expect(recorded.lines('victim').length === 3, 'both bombs').toBe(true),
        realTime,
      );
      expect(recorded.lines('victim').slice(1)).toEqual([
        // 2 pages of its own, 2 reserved by the host for messages (pooled: 1 more for the
        // suspended main), the rest grown: the cap is 32.
        `memory-bomb: grew ${isolation === 'pooled' ? 27 : 28} pages, memory is now 32 pages`,
        'memory-bomb: grew 0 pages, memory is now 32 pages',
      ]);
      expect(recorded.eventsOf('container.faulted')).toEqual([]);
      // Pooled, a completion is counted when the main thread collects it, just after the output.
      await vi.waitFor(() => expect(recorded.system.counters().delivered).toBe(2), realTime);
    });

    it('malloc returns NULL at the cap; later messages still arrive in the reserved region', async () => {
      const recorded = await faultContainer('malloc-bomb');
      recorded.system.publish('fault/in', 'text/plain', 'alloc\0');
      recorded.system.publish('fault/in', 'text/plain', 'alloc again\0');
      await vi.waitFor(
        () => expect(recorded.lines('victim').length === 3, 'both bombs').toBe(true),
        realTime,
      );
      expect(recorded.lines('victim').slice(1)).toEqual([
        'malloc-bomb: got 15 MiB before malloc failed',
        'malloc-bomb: got 0 MiB before malloc failed',
      ]);
      expect(recorded.eventsOf('container.faulted')).toEqual([]);
    });
  });
});

describe('a pooled handler that outlives its handlerTimeoutMs (the handler timer decides, not the watchdog)', () => {
  it('is unresponsive, its message a handler-fault dead letter, even when a stalled event loop lets the watchdog look first', async () => {
    // The watchdog looks every 10 ms, so it has seen the handler's turn long before the stall.
    const pool = new WasmPool({ watchdogMs: 10 });
    const { spec, runtime } = exposeRuntime(
      wasmContainer({
        name: 'victim',
        wasm: fixture('hang-handler'),
        handlerTimeoutMs: 1000,
        pool,
      }),
    );
    const recorded = recordSystem({
      containers: [spec],
      supervisor: { ...quickSupervisor, maxRestarts: 0 },
    });
    running.push(recorded);
    await recorded.system.start();
    await vi.waitFor(() => expect(recorded.lines('victim')).toContain('ready'), realTime);
    expect(recorded.system.publish('fault/in', 'text/plain', 'spin\0').ok).toBe(true);
    await vi.waitFor(
      () => expect(recorded.lines('victim')).toContain('hanging in handler'),
      realTime,
    );
    const hanging = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Stall the event loop past the handler's deadline, as a loaded machine does. When it turns
    // again, the handler timer and a watchdog look are both due, and the watchdog's (due earlier)
    // runs first: the order that once made this hang a plain runtime fault instead.
    const stall = hanging + 1000 + 200 - performance.now();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, stall));
    const stopped = await recorded.system.whenStopped;

    expect(stopped.failed).toBe(true);
    expect(recorded.eventsOf('container.unresponsive')).toEqual([
      expect.objectContaining({ container: 'victim', afterMs: 1000 }),
    ]);
    expect(recorded.deadLetters).toEqual([
      expect.objectContaining({
        reason: 'handler-fault',
        error: 'handler "fault_handler" did not settle within 1000 ms',
      }),
    ]);
    // The handler timer's kill took the hanging handler's worker down with it.
    expect(extraWorkers(runtime())).toBe(1);
  });
});
