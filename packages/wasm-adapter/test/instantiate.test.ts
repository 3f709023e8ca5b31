// Covers instantiating a guest as a container sees it: node:wasi's functions, linked through the wrappers in instantiate.ts, get the guest's arguments unchanged (argv, environment, clock, random bytes) in both isolation modes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { wasmContainer } from '../src/container/wasm-container.ts';
import { fixture, isolations, realTime, recordSystem } from './helpers.ts';
import type { RecordedSystem } from './helpers.ts';

const running: RecordedSystem[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(({ system }) => system.stop({ timeoutMs: 100 })));
});

describe.each(isolations)('WASI inside a container (isolation: %s)', (isolation) => {
  it('gives main its argv and environment, a moving clock and random bytes', async () => {
    const recorded = recordSystem({
      containers: [
        wasmContainer({
          name: 'env-reader',
          wasm: fixture('wasi-environment'),
          isolation,
          args: ['first-argument'],
          env: { OCRE_GREETING: 'hello from the host' },
        }),
      ],
    });
    running.push(recorded);
    await recorded.system.start();
    await vi.waitFor(() => expect(recorded.lines('env-reader')).toHaveLength(4), realTime);
    expect(recorded.lines('env-reader')).toEqual([
      'argc=2 argv0=env-reader argv1=first-argument',
      'OCRE_GREETING=hello from the host',
      'clock moves',
      'random=ok',
    ]);
    expect(recorded.system.containers()[0]?.state).toBe('running');
  });
});
