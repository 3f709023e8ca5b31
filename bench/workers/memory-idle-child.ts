// Owns one memory measurement in a fresh process (run with --expose-gc): heap bytes per idle supervised TypeScript container, or per bare idle xstate actor.
//
//   node --expose-gc bench/loader/run.mjs bench/workers/memory-idle-child.ts <kind> <count>
//
// kind: `ours` (TypeScript container: init + one subscription), `ours-bare` (no subscription),
// `xstate` (a bare idle xstate actor) or `wasm` (bench/c/idle.c as a WASM container, each in its
// own worker: RSS is the number that matters there) or `worker` (a bare idle worker_threads
// Worker, the floor of one worker per container) or `pool-worker` (a WASM pool's worker thread
// with no instance: what a pool costs before its first container).
// Prints one JSON line: { kind, count, heapBytesPerItem, rssBytesPerItem, startMs, stopMs } (stopMs for `ours` and `xstate` only).
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createOcreSystem, defineContainer } from '@ocre-ts/actors';
import type { OcreSystem } from '@ocre-ts/actors';
import { createActor, createMachine } from 'xstate';
import { loadWasmRuntime, wasmModule } from '../wasm.ts';

const [kind = 'ours', countText = '1000'] = process.argv.slice(2);
const count = Number(countText);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

/** Collect until the heap stops shrinking, so what remains is what is retained. */
async function settledHeap(): Promise<{ heap: number; rss: number }> {
  let previous = Infinity;
  for (let i = 0; i < 10; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    gc!();
    const heap = process.memoryUsage().heapUsed;
    if (heap >= previous - 1024) break;
    previous = heap;
  }
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, rss: usage.rss };
}

/** A bare idle xstate actor: a two-state machine, started, waiting for an event. */
const idleMachine = createMachine({
  id: 'idle',
  initial: 'idle',
  context: { pings: 0 },
  states: { idle: { on: { ping: 'busy' } }, busy: { on: { pong: 'idle' } } },
});

/** Handlers shared by every container, as when one definition is instantiated many times. */
const handlers = {
  on_message() {},
};

/**
 * An idle Ocre container as a C author writes one: init, one subscription, then waiting.
 * `ours-bare` skips the subscription, to show what the subscription itself costs.
 */
function containers(n: number, prefix: string, subscribe: boolean) {
  return Array.from({ length: n }, (_, i) =>
    defineContainer({
      name: `${prefix}${i}`,
      init(api) {
        api.ocre_msg_system_init();
        if (subscribe) api.ocre_subscribe_message(`idle/${i}`, 'on_message');
      },
      handlers,
    }),
  );
}

const wasmKind = kind === 'wasm' || kind === 'wasm-seed';
const wasm = wasmKind ? await loadWasmRuntime() : undefined;
if (wasmKind && wasm === undefined) throw new Error('WASM runtime not available');
/** `wasm`: bench/c/idle.c; `wasm-seed`: the Ocre seed's subscriber, as users run it. */
const wasmFile =
  kind === 'wasm-seed'
    ? fileURLToPath(
        new URL('../../packages/wasm-adapter/test/wasm/seed-subscriber.wasm', import.meta.url),
      )
    : wasmModule('idle');

async function createItems(n: number, prefix: string): Promise<unknown> {
  if (kind === 'xstate') {
    return Array.from({ length: n }, () => createActor(idleMachine).start());
  }
  if (kind === 'pool-worker') {
    const { WasmPool } = await import('@ocre-ts/wasm-adapter');
    // A pool's workers with no instance do not keep the process alive; this does, until the end.
    setInterval(() => undefined, 1 << 30);
    const links = Array.from({ length: n }, () => new WasmPool({ size: 1 }).assign());
    await Promise.all(links.map((link) => link.online));
    // Past 'online' the worker still evaluates its script: let it settle into its event loop.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return links;
  }
  if (kind === 'worker') {
    const workers = Array.from(
      { length: n },
      () => new Worker('setInterval(() => {}, 1 << 30);', { eval: true }),
    );
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once('online', resolve))));
    return workers;
  }
  const specs =
    wasm === undefined
      ? containers(n, prefix, kind === 'ours')
      : Array.from({ length: n }, (_, i) =>
          wasm.wasmContainer({
            name: `${prefix}${i}`,
            wasm: wasmFile,
            // Workers boot concurrently on few cores; the default 5 s may not be enough.
            startTimeoutMs: 120_000,
          }),
        );
  const system: OcreSystem = createOcreSystem({
    containers: specs,
    onOutput: () => {},
  });
  await system.start();
  if (system.containers().some((c) => c.state !== 'running')) throw new Error('not all running');
  return system;
}

// Warm up: load and compile every code path once, so code and shared structures are not counted.
const warm = await createItems(
  wasmKind || kind === 'worker' || kind === 'pool-worker' ? 1 : 100,
  'warm-',
);
if (kind === 'worker') await Promise.all((warm as Worker[]).map((w) => w.terminate()));
else if (kind === 'pool-worker') {
  for (const link of warm as { close(): void; ended: Promise<void> }[]) {
    link.close();
    await link.ended;
  }
} else if (kind !== 'xstate') await (warm as OcreSystem).stop();

const before = await settledHeap();
const started = performance.now();
const items = await createItems(count, 'idle-');
const startMs = performance.now() - started;
const after = await settledHeap();
/** Stop what was started, as a shutdown does (TypeScript containers and xstate actors); ms. */
async function stopItems(): Promise<number | undefined> {
  const stopping = performance.now();
  if (kind === 'xstate') for (const actor of items as { stop(): void }[]) actor.stop();
  else if (kind === 'ours') await (items as OcreSystem).stop();
  else return undefined;
  return performance.now() - stopping;
}
const stopMs = await stopItems();
process.stdout.write(
  `${JSON.stringify({
    kind,
    count,
    heapBytesPerItem: (after.heap - before.heap) / count,
    rssBytesPerItem: (after.rss - before.rss) / count,
    startMs,
    stopMs,
  })}\n`,
);
// The items stay alive until measured; then end, whatever threads they hold.
if (items === undefined) process.exitCode = 1;
process.exit();
