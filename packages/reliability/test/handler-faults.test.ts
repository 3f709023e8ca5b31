// Catalogue, handler faults: traps, an infinite loop, unbounded recursion, memory bombs, proc_exit, a host call that throws, and a missing or non-function handler — each contained, the container restarted or carrying on, the history sound.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineContainer } from '@ocre-ts/actors';
import type { ContainerSpec } from '@ocre-ts/actors';
import { checkHistory } from '@ocre-ts/actors/testing';
import type { WasmContainerOptions } from '@ocre-ts/wasm-adapter';
import { quickSupervisor, runSystem, stopAll, realTime, wasmFixture } from './helpers.ts';
import type { Run } from './helpers.ts';
import { isolationModes, wasmContainerIn } from './helpers.ts';
describe.each(isolationModes)('isolation: %s', (isolation) => {
  const wasmContainer = wasmContainerIn(isolation);

  afterEach(stopAll);

  /** One WASM container (`fault_handler` on "fault/in"), started and ready. */
  async function victim(name: string, options: Partial<WasmContainerOptions> = {}): Promise<Run> {
    const run = runSystem({
      containers: [
        wasmContainer({
          name: 'victim',
          wasm: wasmFixture(name),
          handlerTimeoutMs: 500,
          startTimeoutMs: 5000,
          ...options,
        }),
      ],
      supervisor: quickSupervisor,
    });
    await run.system.start();
    await vi.waitFor(
      () => expect(run.lines('victim').includes('ready'), `${name} to be ready`).toBe(true),
      realTime,
    );
    return run;
  }

  const readyCount = (run: Run) => run.lines('victim').filter((line) => line === 'ready').length;

  async function soundAfterStop(run: Run): Promise<void> {
    await run.stop();
    expect(checkHistory(run.history)).toEqual([]);
  }

  describe('a WASM handler that traps, recurses without bound, or calls proc_exit', () => {
    it.each([
      ['trap-unreachable', 'trapped: RuntimeError: unreachable'],
      ['trap-div-zero', 'trapped: RuntimeError: divide by zero'],
      ['trap-oob', 'trapped: RuntimeError: memory access out of bounds'],
      [
        'trap-bad-indirect-call',
        'trapped: RuntimeError: null function or function signature mismatch',
      ],
      ['stack-overflow', 'trapped: RuntimeError: memory access out of bounds'],
      ['proc-exit-handler', 'exited with code 3'],
    ])(
      '%s: a handler-fault dead letter, then a fresh instance that takes mail',
      async (name, what) => {
        const run = await victim(name);
        expect(run.system.publish('fault/in', 'text/plain', 'boom\0').ok).toBe(true);
        await vi.waitFor(
          () => expect(readyCount(run) === 2, 'the restarted instance').toBe(true),
          realTime,
        );
        expect(run.deadLetters).toEqual([
          expect.objectContaining({ reason: 'handler-fault', container: 'victim' }),
        ]);
        expect(run.deadLetters[0]?.error).toContain(`handler "fault_handler" ${what}`);
        expect(run.eventsOf('container.restarting')).toHaveLength(1);
        await vi.waitFor(
          () =>
            expect(run.system.container('victim').state === 'running', 'running again').toBe(true),
          realTime,
        );
        run.system.publish('fault/in', 'text/plain', 'again\0');
        await vi.waitFor(
          () => expect(run.deadLetters.length === 2, 'the second message accounted for').toBe(true),
          realTime,
        );
        await soundAfterStop(run);
      },
    );
  });

  describe('a WASM handler that never returns', () => {
    it('hang-handler: unresponsive after handlerTimeoutMs; its worker is replaced', async () => {
      const run = await victim('hang-handler');
      run.system.publish('fault/in', 'text/plain', 'spin\0');
      await vi.waitFor(
        () => expect(readyCount(run) === 2, 'the restarted instance').toBe(true),
        realTime,
      );
      expect(run.eventsOf('container.unresponsive')).toEqual([
        expect.objectContaining({ container: 'victim', afterMs: 500 }),
      ]);
      expect(run.deadLetters.map((l) => l.error)).toEqual([
        'handler "fault_handler" did not settle within 500 ms',
      ]);
      await soundAfterStop(run);
    });
  });

  describe('memory exhaustion inside a WASM handler', () => {
    it('memory-bomb (memoryMaxPages: 32): memory.grow fails at the cap; no fault', async () => {
      const run = await victim('memory-bomb', { memoryMaxPages: 32 });
      run.system.publish('fault/in', 'text/plain', 'grow\0');
      run.system.publish('fault/in', 'text/plain', 'grow again\0');
      await vi.waitFor(
        () => expect(run.lines('victim').length === 3, 'both bombs').toBe(true),
        realTime,
      );
      expect(run.lines('victim').slice(1)).toEqual([
        `memory-bomb: grew ${isolation === 'pooled' ? 27 : 28} pages, memory is now 32 pages`,
        'memory-bomb: grew 0 pages, memory is now 32 pages',
      ]);
      expect(run.eventsOf('container.faulted')).toEqual([]);
      await soundAfterStop(run);
    });

    it('malloc-bomb: malloc returns NULL at the cap; later mail still arrives; no fault', async () => {
      const run = await victim('malloc-bomb');
      run.system.publish('fault/in', 'text/plain', 'alloc\0');
      run.system.publish('fault/in', 'text/plain', 'alloc again\0');
      await vi.waitFor(
        () => expect(run.lines('victim').length === 3, 'both bombs').toBe(true),
        realTime,
      );
      expect(run.lines('victim')[2]).toBe('malloc-bomb: got 0 MiB before malloc failed');
      expect(run.eventsOf('container.faulted')).toEqual([]);
      await soundAfterStop(run);
    });
  });

  describe('a host call that throws', () => {
    it('the output hook throws on every line a WASM container prints: reported, the container carries on', async () => {
      const reported: string[] = [];
      const run = runSystem({
        containers: [wasmContainer({ name: 'echo', wasm: wasmFixture('echo-subscriber') })],
        onOutput: () => {
          throw new Error('the terminal went away');
        },
        reportError: (error, where) => reported.push(`${where}: ${(error as Error).message}`),
      });
      await run.system.start();
      await vi.waitFor(
        () => expect(reported.length === 1, 'the subscribe line to be reported').toBe(true),
        realTime,
      );
      run.system.publish('test/in', 'text/plain', 'hello');
      await vi.waitFor(
        () => expect(run.system.counters().delivered === 1, 'the delivery').toBe(true),
        realTime,
      );
      await vi.waitFor(
        () => expect(reported.length === 2, 'the echo line to be reported').toBe(true),
        realTime,
      );
      expect(reported[0]).toBe('the onOutput hook: the terminal went away');
      expect(run.system.container('echo').state).toBe('running');
      expect(run.eventsOf('container.faulted')).toEqual([]);
      await soundAfterStop(run);
    });

    it('in a TypeScript handler: the host call is contained, the message handled', async () => {
      const reported: string[] = [];
      const logger = defineContainer({
        name: 'logger',
        init(api) {
          api.ocre_msg_system_init();
          api.ocre_subscribe_message('in', 'on_in');
        },
        handlers: { on_in: (message, ctx) => ctx.log(`got ${message.mid}`) },
      });
      const run = runSystem({
        containers: [logger],
        onOutput: () => {
          throw new Error('the terminal went away');
        },
        reportError: (_error, where) => reported.push(where),
      });
      await run.system.start();
      run.system.publish('in', 'text/plain', 'x');
      await vi.waitFor(
        () => expect(run.system.counters().delivered === 1, 'the delivery').toBe(true),
        realTime,
      );
      expect(reported).toEqual(['the onOutput hook']);
      await soundAfterStop(run);
    });

    // The runtime answers a worker's subscribe on the main thread through host.api: a host call
    // that throws there fails like any other call (-1 to the guest, a reason on its stderr).
    it('a WASM subscribe answered on the main thread whose host call throws: -1 to the guest, the host carries on', async () => {
      const run = runSystem({
        containers: [
          throwingSubscribe(
            wasmContainer({ name: 'victim', wasm: wasmFixture('trap-unreachable') }),
          ),
        ],
      });
      await run.system.start();
      await vi.waitFor(
        () =>
          expect(run.lines('victim').includes('subscribe failed'), 'the refused subscribe').toBe(
            true,
          ),
        realTime,
      );
      expect(run.lines('victim', 'stderr')).toContain(
        'ocre: ocre_subscribe_message: the host failed to answer: host bug in subscribe (HOST_ERROR)',
      );
      await soundAfterStop(run);
    });
  });

  /** The spec with a host whose `subscribe` throws (a host bug on the main thread). */
  function throwingSubscribe(spec: ContainerSpec): ContainerSpec {
    return {
      ...spec,
      runtime: () => {
        const inner = spec.runtime();
        return {
          start: (host) =>
            inner.start({
              ...host,
              api: new Proxy(host.api, {
                get: (target, key, receiver): unknown =>
                  key === 'subscribe'
                    ? () => {
                        throw new Error('host bug in subscribe');
                      }
                    : Reflect.get(target, key, receiver),
              }),
            }),
          deliver: (message, handler) => inner.deliver(message, handler),
          hasHandler: (handler) => inner.hasHandler(handler),
          stop: () => inner.stop(),
          kill: () => inner.kill(),
        };
      },
    };
  }

  describe('a handler export missing or not a function', () => {
    it('WASM: subscribing a name the module does not export, or exports as memory or a global: -1', async () => {
      const run = runSystem({
        containers: [wasmContainer({ name: 'hostile', wasm: wasmFixture('hostile-abi') })],
      });
      await run.system.start();
      await vi.waitFor(
        () => expect(run.lines('hostile').includes('done'), 'the hostile calls').toBe(true),
        realTime,
      );
      expect(run.lines('hostile').filter((line) => line.includes('subscribe-handler-'))).toEqual([
        'case subscribe-handler-null: -1',
        'case subscribe-handler-empty: -1',
        'case subscribe-handler-oob: -1',
        'case subscribe-handler-2gib: -1',
        'case subscribe-handler-unterminated-at-end: -1',
        'case subscribe-handler-not-exported: -1',
        'case subscribe-handler-is-memory: -1',
        'case subscribe-handler-is-global: -1',
      ]);
      expect(run.system.container('hostile').subscriptions).toEqual([
        { pattern: 'hostile/in', handler: 'hostile_handler' },
      ]);
      await soundAfterStop(run);
    });

    it('TypeScript: a missing handler cannot be subscribed; one that is not a function faults when called', async () => {
      const results: number[] = [];
      const broken = defineContainer({
        name: 'broken',
        init(api) {
          api.ocre_msg_system_init();
          results.push(api.ocre_subscribe_message('in', 'missing'));
          results.push(api.ocre_subscribe_message('in', 'not_a_function'));
        },
        handlers: { not_a_function: 42 as never },
      });
      const run = runSystem({ containers: [broken], supervisor: quickSupervisor });
      await run.system.start();
      expect(results).toEqual([-1, 0]);
      run.system.publish('in', 'text/plain', 'x');
      await vi.waitFor(
        () => expect(run.eventsOf('container.restarting').length === 1, 'the restart').toBe(true),
        realTime,
      );
      expect(run.deadLetters[0]).toMatchObject({ reason: 'handler-fault', container: 'broken' });
      expect(run.deadLetters[0]?.error).toMatch(/^TypeError: .* is not a function$/);
      await soundAfterStop(run);
    });
  });
});
