// Tests WasmRuntime directly against a fake host: readiness, delivery while sleeping and after main returned, traps, hangs, kill, stop, worker reuse.
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WasmExitError, WasmTrapError } from '../src/errors.ts';
import { loadWasmModule } from '../src/module/module-loader.ts';
import { WasmRuntime } from '../src/dedicated/wasm-runtime.ts';
import { createFakeHost, textMessage } from './fake-host.ts';
import { fixture, realTime } from './helpers.ts';

const runtimes: WasmRuntime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop()));
});

function setup(name: string, options: { refuseSubscribe?: boolean; sharedQueue?: boolean } = {}) {
  const runtime = new WasmRuntime(loadWasmModule(fixture(name)));
  runtimes.push(runtime);
  const fake = createFakeHost(name, (handler) => runtime.hasHandler(handler), options);
  return { runtime, fake };
}

describe('WasmRuntime', () => {
  it('is ready at main’s first ocre_sleep and runs handlers inside it', async () => {
    const { runtime, fake } = setup('echo-subscriber');
    await runtime.start(fake.host);
    expect(fake.stdout).toEqual(['echo-subscriber subscribed to test/in: 0']);
    expect(fake.subscriptions).toEqual([{ topic: 'test/in', handler: 'echo_handler' }]);
    await runtime.deliver(textMessage(41n, 'test/in', 'hello'), 'echo_handler');
    expect(fake.stdout.at(-1)).toBe('echo mid=41 len=6 -> test/out: 0');
    // The echo went straight into the shared queue, credited to this producer.
    const records: { topic: string; payload: string; producerId: number }[] = [];
    fake.queue.drain(Infinity, (record) =>
      records.push({
        topic: record.topic,
        payload: new TextDecoder().decode(record.payload),
        producerId: record.producerId,
      }),
    );
    expect(records).toEqual([{ topic: 'test/out', payload: 'hello\0', producerId: 7 }]);
  });

  it('keeps serving mail after main has returned', async () => {
    const { runtime, fake } = setup('documented-shape');
    await runtime.start(fake.host);
    // main published three messages to itself and sleeps until it has received them.
    const published: bigint[] = [];
    fake.queue.drain(Infinity, (record) => published.push(record.sequence));
    expect(published).toEqual([0n, 1n, 2n]);
    for (const mid of published) {
      await runtime.deliver(textMessage(mid, 'shape/echo', `hello ${mid}`), 'shape_handler');
    }
    await vi.waitFor(() => expect(fake.exits.length > 0, 'main to return').toBe(true), realTime);
    expect(fake.exits).toEqual([0]);
    expect(fake.stdout.at(-1)).toBe('received 3 messages');
    await runtime.deliver(textMessage(9n, 'shape/echo', 'after main'), 'shape_handler');
    expect(fake.stdout.at(-1)).toBe(
      'shape_handler: mid=9 topic=shape/echo content_type=text/plain payload=after main',
    );
  });

  it('publishes by a round trip to the main thread when the system has no shared queue', async () => {
    const { runtime, fake } = setup('documented-shape', { sharedQueue: false });
    await runtime.start(fake.host);
    expect(fake.published).toEqual([
      { topic: 'shape/echo', payload: 'hello 0\0' },
      { topic: 'shape/echo', payload: 'hello 1\0' },
      { topic: 'shape/echo', payload: 'hello 2\0' },
    ]);
    expect(fake.stdout.slice(0, 4)).toEqual([
      'subscribe: 0',
      'publish 0: 0',
      'publish 1: 0',
      'publish 2: 0',
    ]);
  });

  it('places messages with the module’s own malloc and frees them after the handler', async () => {
    const { runtime, fake } = setup('allocator-subscriber');
    await runtime.start(fake.host);
    await runtime.deliver(textMessage(1n, 'alloc/in', 'one'), 'alloc_handler');
    await runtime.deliver(textMessage(2n, 'alloc/in', 'two'), 'alloc_handler');
    const addresses = fake.stdout.slice(1).map((line) => /at=(\d+)$/.exec(line)?.[1]);
    expect(fake.stdout[1]).toMatch(
      /^alloc_handler: mid=1 topic=alloc\/in content_type=text\/plain payload_len=4 payload=one/,
    );
    expect(addresses[0]).toBeDefined();
    expect(addresses[1]).toBe(addresses[0]);
  });

  it('rejects a delivery whose handler traps, then restarts in the same worker', async () => {
    const { runtime, fake } = setup('trap-unreachable');
    await runtime.start(fake.host);
    const trapped = runtime.deliver(textMessage(0n, 'fault/in', 'x'), 'fault_handler');
    await expect(trapped).rejects.toThrow(WasmTrapError);
    await expect(trapped).rejects.toThrow(
      'handler "fault_handler" trapped: RuntimeError: unreachable',
    );
    runtime.kill();
    await runtime.start(fake.host);
    expect(runtime.workersStarted).toBe(1);
    expect(fake.stdout.filter((line) => line === 'ready')).toHaveLength(2);
  });

  it('terminates a worker stuck in a handler on kill, and replaces it', async () => {
    const { runtime, fake } = setup('hang-handler');
    await runtime.start(fake.host);
    void runtime.deliver(textMessage(0n, 'fault/in', 'x'), 'fault_handler');
    await vi.waitFor(
      () => expect(fake.stdout.includes('hanging in handler'), 'the handler to start').toBe(true),
      realTime,
    );
    runtime.kill();
    await runtime.start(fake.host);
    expect(runtime.workersStarted).toBe(2);
    expect(fake.faults).toEqual([]);
  });

  it('reuses the worker when killed while main sleeps', async () => {
    const { runtime, fake } = setup('echo-subscriber');
    await runtime.start(fake.host);
    runtime.kill();
    await runtime.start(fake.host);
    expect(runtime.workersStarted).toBe(1);
    expect(fake.subscriptions).toHaveLength(2);
  });

  it('rejects start when main traps, and reports a non-zero exit', async () => {
    const trap = setup('trap-in-main');
    await expect(trap.runtime.start(trap.fake.host)).rejects.toThrow(
      'main trapped: RuntimeError: unreachable',
    );
    const exit = setup('echo-subscriber', { refuseSubscribe: true });
    await expect(exit.runtime.start(exit.fake.host)).rejects.toThrow(WasmExitError);
    expect(exit.fake.exits).toEqual([1]);
    expect(exit.fake.stderr).toEqual(['ocre: refused by the test (SHUTTING_DOWN)']);
  });

  it('rejects a delivery whose handler calls proc_exit with a non-zero status', async () => {
    const { runtime, fake } = setup('proc-exit-handler');
    await runtime.start(fake.host);
    await expect(
      runtime.deliver(textMessage(0n, 'fault/in', 'x'), 'fault_handler'),
    ).rejects.toThrow('handler "fault_handler" exited with code 3');
  });

  it('reports a worker that dies under it as a runtime fault, and replaces it', async () => {
    const { runtime, fake } = setup('echo-subscriber');
    await runtime.start(fake.host);
    // As if the thread died by itself (out of memory, say): end it behind the runtime's back.
    const { link } = runtime as unknown as { link: { worker: Worker } };
    await link.worker.terminate();
    await vi.waitFor(() => expect(fake.faults.length === 1, 'the fault').toBe(true), realTime);
    expect(fake.faults[0]?.phase).toBe('runtime');
    expect(String(fake.faults[0]?.error)).toMatch(
      /^WasmWorkerError: the worker of container "echo-subscriber" exited unexpectedly \(code 1\)$/,
    );
    runtime.kill();
    await runtime.start(fake.host);
    expect(runtime.workersStarted).toBe(2);
  });

  it('stops gracefully: the worker exits, and a later start gets a new one', async () => {
    const { runtime, fake } = setup('echo-subscriber');
    await runtime.start(fake.host);
    const stoppedAt = performance.now();
    await runtime.stop();
    // Well within the grace period: the worker exited by itself.
    expect(performance.now() - stoppedAt).toBeLessThan(1500);
    await runtime.start(fake.host);
    expect(runtime.workersStarted).toBe(2);
  });
});
