// The fault kit on WebAssembly containers: the same plans that run on TypeScript containers act on a real worker-backed module, and the history stays sound.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkHistory } from '@ocre-ts/actors/testing';
import type { Fault } from '@ocre-ts/actors/testing';
import { quickSupervisor, runSystem, stopAll, realTime, wasmFixture } from './helpers.ts';
import type { Run } from './helpers.ts';
import { isolationModes, wasmContainerIn } from './helpers.ts';
describe.each(isolationModes)('isolation: %s', (isolation) => {
  const wasmContainer = wasmContainerIn(isolation);

  afterEach(stopAll);

  /** The WASM echo container (test/in → test/out) under `faults`, started. */
  async function echoUnder(faults: readonly Fault[]): Promise<Run> {
    const run = runSystem(
      {
        containers: [
          wasmContainer({
            name: 'echo',
            wasm: wasmFixture('echo-subscriber'),
            handlerTimeoutMs: 300,
          }),
        ],
        supervisor: quickSupervisor,
      },
      { seed: 21, faults },
    );
    await run.system.start();
    return run;
  }

  const subscribed = (run: Run) =>
    run.lines('echo').filter((line) => line.startsWith('echo-subscriber subscribed')).length;
  const echoed = (run: Run) => run.lines('echo').filter((line) => line.startsWith('echo mid='));

  async function publishSpaced(run: Run, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      await vi.waitFor(
        () => expect(run.system.container('echo').state === 'running', 'echo running').toBe(true),
        realTime,
      );
      run.system.publish('test/in', 'text/plain', `m${i}`);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  }

  async function sound(run: Run): Promise<void> {
    await run.stop();
    expect(checkHistory(run.history)).toEqual([]);
  }

  describe('fault plans on a WASM container', () => {
    it('throw on the 2nd message, hang on the 4th: both dead-lettered, the container restarted twice', async () => {
      const run = await echoUnder([
        { kind: 'throw', container: 'echo', nth: 2 },
        { kind: 'hang', container: 'echo', nth: 4 },
      ]);
      await publishSpaced(run, 5);
      await vi.waitFor(() => expect(echoed(run).length === 3, 'three echoes').toBe(true), realTime);
      await vi.waitFor(
        () => expect(subscribed(run) === 3, 'the restart after the hang').toBe(true),
        realTime,
      );
      // Ids are global (the echoes take some): compare with what the plan says it hit.
      const hit = run.injection?.fired.map((f) => f.mid);
      expect(run.injection?.fired.map((f) => f.kind)).toEqual(['throw', 'hang']);
      expect(
        run.deadLetters.filter((l) => l.container === 'echo').map((l) => l.message.mid),
      ).toEqual(hit);
      expect(run.eventsOf('container.unresponsive')).toHaveLength(1);
      expect(subscribed(run)).toBe(3);
      await sound(run);
    });

    it('kill on a message, twice: the worker-backed instance crashes holding it and comes back', async () => {
      // A message a fault fires on goes no further: the second kill sees the next one as its first.
      const run = await echoUnder([
        { kind: 'kill', container: 'echo', nth: 1 },
        { kind: 'kill', container: 'echo', nth: 1 },
      ]);
      await publishSpaced(run, 3);
      await vi.waitFor(() => expect(subscribed(run) === 3, 'two restarts').toBe(true), realTime);
      await vi.waitFor(
        () => expect(echoed(run).length === 1, 'the third message echoed').toBe(true),
        realTime,
      );
      expect(run.injection?.fired.map((f) => `${f.fault}: ${f.detail}`)).toEqual([
        '0: on message 0',
        '1: on message 1',
      ]);
      expect(run.eventsOf('container.faulted').map((e) => e.phase)).toEqual(['runtime', 'runtime']);
      expect(run.deadLetters.filter((l) => l.container === 'echo').map((l) => l.reason)).toEqual([
        'handler-fault',
        'handler-fault',
      ]);
      await sound(run);
    });

    it('fail-start twice, then drop and delay between router and mailbox', async () => {
      const run = await echoUnder([
        { kind: 'fail-start', container: 'echo', times: 2 },
        { kind: 'drop', container: 'echo', nth: 2 },
        { kind: 'delay', container: 'echo', ms: 100, nth: 3 },
      ]);
      await vi.waitFor(() => expect(subscribed(run) === 1, 'the third start').toBe(true), realTime);
      expect(run.eventsOf('container.faulted').map((e) => e.phase)).toEqual(['start', 'start']);
      for (let i = 0; i < 4; i++) run.system.publish('test/in', 'text/plain', `m${i}`);
      await vi.waitFor(() => expect(echoed(run).length === 3, 'three echoes').toBe(true), realTime);
      expect(echoed(run).map((line) => line.split(' ')[1])).toEqual(['mid=0', 'mid=2', 'mid=3']);
      expect(run.deadLetters.filter((l) => l.container === 'echo')).toEqual([
        expect.objectContaining({ reason: 'dropped' }),
      ]);
      await sound(run);
    });
  });
});
