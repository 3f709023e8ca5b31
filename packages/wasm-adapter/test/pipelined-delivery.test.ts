// Tests pipelined delivery to pooled instances through the workers' shared-memory rings: many messages in flight, FIFO per container, a trap or a runaway neighbour with mail in flight (none lost, none run twice), and back-pressure when a ring is full.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readText } from '@ocre-ts/core';
import type { PooledRuntime } from '../src/pool/pooled-runtime.ts';
import { wasmContainer } from '../src/container/wasm-container.ts';
import { WasmPool } from '../src/pool/wasm-pool.ts';
import { exposeRuntime, fixture, quickSupervisor, recordSystem, realTime } from './helpers.ts';
import type { RecordedSystem } from './helpers.ts';

const running: RecordedSystem[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(({ system }) => system.stop({ timeoutMs: 100 })));
});

/** An ordered subscriber (`got <text>` per message on order/in) alone on a pool of one worker. */
async function orderedOnPool(pool: WasmPool, extra: { name?: string } = {}) {
  const subscriber = exposeRuntime(
    wasmContainer({ name: extra.name ?? 'ordered', wasm: fixture('ordered-subscriber'), pool }),
  );
  return subscriber;
}

const got = (recorded: RecordedSystem, name: string): string[] =>
  recorded.lines(name).filter((line) => line.startsWith('got '));

/** Publish NUL-terminated `text` (plus `filler` bytes after the NUL) on order/in. */
function publish(recorded: RecordedSystem, text: string, filler = 0): void {
  const payload = new Uint8Array(text.length + 1 + filler);
  payload.set(new TextEncoder().encode(text));
  const result = recorded.system.publish('order/in', 'text/plain', payload);
  expect(result.ok, `publish ${text}`).toBe(true);
}

describe('pipelined delivery to a pooled container', () => {
  it('has many messages in flight at once and runs them in mailbox order, each once', async () => {
    const pool = new WasmPool({ size: 1 });
    const subscriber = await orderedOnPool(pool);
    const recorded = recordSystem({ containers: [subscriber.spec] });
    running.push(recorded);
    await recorded.system.start();
    const texts = ['slow', ...Array.from({ length: 30 }, (_, index) => `m${index + 1}`)];
    for (const text of texts) publish(recorded, text);
    // While the first handler spins, the rest are already in the worker's ring.
    await vi.waitFor(
      () => expect((subscriber.runtime() as PooledRuntime).deliveriesInFlight).toBeGreaterThan(1),
      { timeout: 5000, interval: 1 },
    );
    await vi.waitFor(() => expect(got(recorded, 'ordered')).toHaveLength(texts.length), realTime);
    expect(got(recorded, 'ordered')).toEqual(texts.map((text) => `got ${text}`));
    expect(recorded.deadLetters).toEqual([]);
    // Completions are counted when the main thread collects them, a moment after the output.
    await vi.waitFor(
      () =>
        expect(recorded.system.counters()).toMatchObject({
          delivered: texts.length,
          deadLettered: 0,
        }),
      realTime,
    );
  });

  it('a trap with messages in flight: those before it handled, it a handler-fault, those after it run once by the restarted instance', async () => {
    const pool = new WasmPool({ size: 1 });
    const subscriber = await orderedOnPool(pool);
    const recorded = recordSystem({ containers: [subscriber.spec], supervisor: quickSupervisor });
    running.push(recorded);
    await recorded.system.start();
    const texts = ['slow', 'm1', 'm2', 'm3', 'trap', 'm4', 'm5', 'm6'];
    for (const text of texts) publish(recorded, text);
    await vi.waitFor(() => expect(got(recorded, 'ordered').at(-1)).toBe('got m6'), realTime);
    expect(recorded.lines('ordered')).toEqual([
      'ready',
      'got slow',
      'got m1',
      'got m2',
      'got m3',
      'ready',
      'got m4',
      'got m5',
      'got m6',
    ]);
    expect(
      recorded.deadLetters.map((letter) => `${letter.reason} ${readText(letter.message)}`),
    ).toEqual(['handler-fault trap']);
    await vi.waitFor(
      () =>
        expect(recorded.system.counters()).toMatchObject({
          published: 8,
          delivered: 7,
          deadLettered: 1,
        }),
      realTime,
    );
  });

  it('a full ring is back-pressure: deliveries wait on the main thread, in order, and none is dropped', async () => {
    // 4 KiB ring, ~1 KiB messages: three fit at a time.
    const pool = new WasmPool({ size: 1, ringBytes: 4096 });
    const subscriber = await orderedOnPool(pool);
    const recorded = recordSystem({ containers: [subscriber.spec] });
    running.push(recorded);
    await recorded.system.start();
    const texts = ['slow', ...Array.from({ length: 40 }, (_, index) => `m${index + 1}`)];
    for (const text of texts) publish(recorded, text, 1000);
    await vi.waitFor(
      () => expect((subscriber.runtime() as PooledRuntime).deliveriesInFlight).toBeGreaterThan(10),
      { timeout: 5000, interval: 1 },
    );
    await vi.waitFor(() => expect(got(recorded, 'ordered')).toHaveLength(texts.length), realTime);
    expect(got(recorded, 'ordered')).toEqual(texts.map((text) => `got ${text}`));
    expect(recorded.deadLetters).toEqual([]);
  });

  it('a message too large for the ring fails in its place: a handler-fault naming ringBytes, the mail around it handled once', async () => {
    const pool = new WasmPool({ size: 1, ringBytes: 4096 });
    const subscriber = await orderedOnPool(pool);
    const recorded = recordSystem({ containers: [subscriber.spec], supervisor: quickSupervisor });
    running.push(recorded);
    await recorded.system.start();
    publish(recorded, 'slow');
    publish(recorded, 'm1');
    publish(recorded, 'big', 3000);
    publish(recorded, 'm2');
    await vi.waitFor(() => expect(got(recorded, 'ordered').at(-1)).toBe('got m2'), realTime);
    expect(got(recorded, 'ordered')).toEqual(['got slow', 'got m1', 'got m2']);
    expect(
      recorded.deadLetters.map(
        (letter) => `${letter.reason} ${readText(letter.message).split('\0')[0] ?? ''}`,
      ),
    ).toEqual(['handler-fault big']);
    expect(recorded.deadLetters[0]?.error).toMatch(
      /does not fit the pool's delivery ring \(4096 bytes.*raise WasmPool\(\{ ringBytes \}\)/,
    );
  });

  it('a runaway neighbour: the sibling’s mail in flight never ran, stays in its mailbox and reaches its restarted instance once', async () => {
    const pool = new WasmPool({ size: 1 });
    const sibling = await orderedOnPool(pool, { name: 'sibling' });
    const offender = wasmContainer({
      name: 'hanger',
      wasm: fixture('hang-handler'),
      pool,
      handlerTimeoutMs: 300,
    });
    const recorded = recordSystem({
      containers: [sibling.spec, offender],
      supervisor: quickSupervisor,
    });
    running.push(recorded);
    await recorded.system.start();
    recorded.system.publish('fault/in', 'text/plain', 'spin\0');
    await vi.waitFor(
      () => expect(recorded.lines('hanger')).toContain('hanging in handler'),
      realTime,
    );
    const texts = ['m1', 'm2', 'm3', 'm4', 'm5'];
    for (const text of texts) publish(recorded, text);
    await vi.waitFor(() => expect(got(recorded, 'sibling')).toHaveLength(texts.length), realTime);
    expect(got(recorded, 'sibling')).toEqual(texts.map((text) => `got ${text}`));
    expect(recorded.lines('sibling').filter((line) => line === 'ready')).toHaveLength(2);
    expect(
      recorded.deadLetters.map((letter) => `${letter.reason} ${letter.container ?? ''}`),
    ).toEqual(['handler-fault hanger']);
  });

  it('refuses a ring size that is not a power of two, and a window out of range', () => {
    expect(() => new WasmPool({ ringBytes: 5000 })).toThrow(/ringBytes must be a power of two/);
    expect(() => new WasmPool({ maxInFlight: 0 })).toThrow(
      /maxInFlight must be an integer from 1 to 1024/,
    );
  });
});
