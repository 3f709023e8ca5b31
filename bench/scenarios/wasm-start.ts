// Owns the wasm-start scenario: how long 1,000 seed subscribers take to start until every one is running, in the default pool, against bare workers.
import type { RunOptions, Scenario, ScenarioOutcome } from '../harness.ts';
import { scenarioResult } from '../report.ts';
import { loadWasmRuntime, wasmPending } from '../wasm.ts';
import { measured } from './memory-idle.ts';

/** 1,000 seed subscribers (100 in quick mode) started from one system, until all are running. */
export const wasmStart: Scenario = {
  name: 'wasm-start',
  async run({ quick, log }: RunOptions): Promise<ScenarioOutcome> {
    if ((await loadWasmRuntime()) === undefined) return { results: [], notes: [wasmPending] };
    const count = quick ? 100 : 1_000;
    const seeds = await measured('wasm-seed', count, 1);
    // Starting a bare Worker per container is the floor of one worker per container.
    const workers = await measured('worker', 8, 1);
    const workersMs = (workers.startMs / 8) * count;
    log(`  ${count} seed subscribers running in ${(seeds.startMs / 1000).toFixed(2)} s`);
    return {
      results: [
        scenarioResult({
          name: 'wasm-start',
          variant: `${count} seed subscribers`,
          unit: 's until all running',
          ours: seeds.startMs / 1000,
          baselines: { [`${count} bare Workers (8 measured, scaled)`]: workersMs / 1000 },
          goals: [{ text: '≤ 3 s', met: seeds.startMs <= 3000 }],
        }),
      ],
      notes: [
        `wasm-start: system.start() of ${count} seed subscribers (one module, asyncified once, pooled on os.availableParallelism() workers) until every container is running, after a warm-up system of one; fresh process`,
      ],
    };
  },
};
