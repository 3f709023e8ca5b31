// Owns the memory-idle scenario: heap per idle supervised TypeScript container at 10k and 100k against a bare idle xstate actor, and RSS per idle WASM container.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median } from '../harness.ts';
import type { RunOptions, Scenario, ScenarioOutcome } from '../harness.ts';
import { scenarioResult } from '../report.ts';
import type { ScenarioResult } from '../report.ts';
import { loadWasmRuntime, wasmPending } from '../wasm.ts';

const execFileAsync = promisify(execFile);
const loader = fileURLToPath(new URL('../loader/run.mjs', import.meta.url));
const child = fileURLToPath(new URL('../workers/memory-idle-child.ts', import.meta.url));

/** What a child measures (see workers/memory-idle-child.ts). */
export type Kind =
  'ours' | 'ours-bare' | 'xstate' | 'wasm' | 'wasm-seed' | 'worker' | 'pool-worker';

interface Measurement {
  readonly heapBytesPerItem: number;
  readonly rssBytesPerItem: number;
  readonly startMs: number;
}

/** One measurement in a fresh process, so nothing else lives in the heap it measures. */
async function measure(kind: Kind, count: number): Promise<Measurement> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=4096', loader, child, kind, String(count)],
    { maxBuffer: 1 << 20, timeout: 300_000 },
  );
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Measurement;
}

/** Median of `rounds` fresh-process measurements of `kind`. */
export async function measured(kind: Kind, count: number, rounds: number): Promise<Measurement> {
  const runs: Measurement[] = [];
  for (let i = 0; i < rounds; i++) runs.push(await measure(kind, count));
  return {
    heapBytesPerItem: median(runs.map((r) => r.heapBytesPerItem)),
    rssBytesPerItem: median(runs.map((r) => r.rssBytesPerItem)),
    startMs: median(runs.map((r) => r.startMs)),
  };
}

/** Idle containers, measured in child processes with --expose-gc. */
export const memoryIdle: Scenario = {
  name: 'memory-idle',
  async run({ quick, log }: RunOptions): Promise<ScenarioOutcome> {
    const counts = quick ? [1_000, 10_000] : [10_000, 100_000];
    const rounds = quick ? 1 : 3;
    const results: ScenarioResult[] = [];
    const notes: string[] = [];
    for (const count of counts) {
      // 100k containers take ~20 s to start on 2 cores: one round there keeps the suite short.
      const large = count === counts[counts.length - 1] && !quick;
      const ours = await measured('ours', count, large ? 1 : rounds);
      const xstate = await measured('xstate', count, large ? 1 : rounds);
      const label = `${count / 1000}k containers`;
      log(
        `  ${label}: ours ${ours.heapBytesPerItem.toFixed(0)} B, xstate ${xstate.heapBytesPerItem.toFixed(0)} B`,
      );
      results.push(
        scenarioResult({
          name: 'memory-idle',
          variant: `TypeScript, ${label}`,
          unit: 'heap bytes/container',
          ours: ours.heapBytesPerItem,
          baselines: { 'xstate actor': xstate.heapBytesPerItem },
          goals: [
            {
              text: '≤ 1.25× a bare idle xstate actor',
              met: ours.heapBytesPerItem <= 1.25 * xstate.heapBytesPerItem,
              against: 'xstate actor',
            },
          ],
        }),
      );
      let bareNote = '';
      if (!large) {
        const bare = await measured('ours-bare', count, rounds);
        bareNote = `without its one subscription a container costs ${bare.heapBytesPerItem.toFixed(0)} B; `;
      }
      notes.push(
        `${label}: ${bareNote}starting ${count} containers took ${(ours.startMs / 1000).toFixed(1)} s (${((ours.startMs * 1000) / count).toFixed(0)} µs each), ${count} bare xstate actors ${(xstate.startMs / 1000).toFixed(2)} s`,
      );
    }
    notes.push(
      `heapUsed delta / count after forced GCs, one fresh process per measurement (median of ${rounds}, one round at the largest count), after a warm-up of 100; a container is a defineContainer whose init calls ocre_msg_system_init and subscribes one handler to its own topic, all under the root supervisor with default settings; the xstate actor is a started two-state machine`,
    );
    if ((await loadWasmRuntime()) === undefined) {
      notes.push(`WebAssembly: ${wasmPending}`);
    } else {
      const count = quick ? 2 : 8;
      const wasm = await measured('wasm', count, rounds);
      const worker = await measured('worker', count, rounds);
      results.push(
        scenarioResult({
          name: 'memory-idle',
          variant: `WebAssembly, ${count} containers`,
          unit: 'RSS bytes/container',
          ours: wasm.rssBytesPerItem,
          baselines: { 'idle Worker': worker.rssBytesPerItem },
        }),
      );
      const poolWorker = await measured('pool-worker', count, rounds);
      results.push(
        scenarioResult({
          name: 'memory-idle',
          variant: 'WebAssembly, one pool worker with no instance',
          unit: 'RSS bytes/worker',
          ours: poolWorker.rssBytesPerItem,
          baselines: { 'idle Worker': worker.rssBytesPerItem },
        }),
      );
      notes.push(
        `WebAssembly, pool worker: RSS delta / count of ${count} pool workers (one WasmPool of size 1 each) running their built pool-worker script with no instance (its 1 MiB delivery ring untouched), against the same count of bare idle Workers`,
      );
      notes.push(
        `WebAssembly: RSS delta / count for ${count} idle bench/c/idle.c containers (pooled, the default), started in ${(wasm.startMs / 1000).toFixed(1)} s; the baseline is a bare worker_threads Worker doing nothing, the floor of one-worker-per-container`,
      );
      for (const [seeds, perContainer] of quick
        ? ([[100, 1 << 20]] as const)
        : ([
            [1_000, 1 << 20],
            [10_000, 300 * 1024],
          ] as const)) {
        const seed = await measured('wasm-seed', seeds, 1);
        results.push(
          scenarioResult({
            name: 'memory-idle',
            variant: `WebAssembly, ${seeds} seed subscribers`,
            unit: 'RSS bytes/container',
            ours: seed.rssBytesPerItem,
            baselines: { 'idle Worker': worker.rssBytesPerItem },
            goals: [
              {
                text: `≤ ${perContainer >= 1 << 20 ? '1 MB' : '300 KB'} RSS per container, all started`,
                met: seed.rssBytesPerItem <= perContainer,
              },
            ],
          }),
        );
        notes.push(
          `WebAssembly, ${seeds} seed subscribers (packages/wasm-adapter/test/wasm/seed-subscriber.wasm, pooled on the default pool): all running in ${(seed.startMs / 1000).toFixed(1)} s, one round`,
        );
      }
    }
    return { results, notes };
  },
};
