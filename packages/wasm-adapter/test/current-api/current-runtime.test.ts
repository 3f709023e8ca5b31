// Tests Ocre's current API through the real worker runtimes: prefix subscriptions through the router, events into each container's own queue, its own timers, and the 2025 API beside it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { wasmContainer } from '../../src/container/wasm-container.ts';
import { WasmPool } from '../../src/pool/wasm-pool.ts';
import { fixture, isolations, realTime, recordSystem } from '../helpers.ts';
import type { RecordedSystem } from '../helpers.ts';

const running: RecordedSystem[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(({ system }) => system.stop({ timeoutMs: 200 })));
});

const received = (recorded: RecordedSystem, name: string): string[] =>
  recorded.lines(name).filter((line) => line.startsWith('received: '));

describe.each(isolations)('Ocre current API, isolation %s', (isolation) => {
  const container = (name: string, wasm: string) => {
    if (isolation === 'worker') return wasmContainer({ name, wasm: fixture(wasm), isolation });
    const pool = new WasmPool({ size: 1 });
    return wasmContainer({ name, wasm: fixture(wasm), pool });
  };

  it('a timer-driven publisher reaches a prefix subscriber through the router', async () => {
    const recorded = recordSystem({
      containers: [
        container('subscriber', 'current-subscriber'),
        container('publisher', 'current-publisher'),
      ],
    });
    running.push(recorded);
    await recorded.system.start();
    await vi.waitFor(
      () => expect(received(recorded, 'subscriber').length).toBeGreaterThanOrEqual(3),
      realTime,
    );
    expect(received(recorded, 'subscriber').slice(0, 3)).toEqual([
      'received: topic=test/topic content_type=text/plain payload=message 0 len=10',
      'received: topic=test/topic content_type=text/plain payload=message 1 len=10',
      'received: topic=test/topic content_type=text/plain payload=message 2 len=10',
    ]);
    expect(recorded.eventsOf('container.faulted')).toEqual([]);
  });
});
