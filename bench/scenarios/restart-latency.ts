// Owns the restart-latency scenario: from a container's fault to its restarted instance running, on the real clock with zero backoff.
import { createOcreSystem, defineContainer } from '@ocre-ts/actors';
import type { ContainerSpec } from '@ocre-ts/actors';
import { median, nextTurn, percentile } from '../harness.ts';
import type { RunOptions, Scenario, ScenarioOutcome } from '../harness.ts';
import { scenarioResult } from '../report.ts';
import type { ScenarioResult } from '../report.ts';
import { loadWasmRuntime, wasmModule, wasmPending } from '../wasm.ts';

const faultTopic = 'bench/fault';

/** A TypeScript container whose handler throws on every message. */
const faultyTs = defineContainer({
  name: 'victim',
  init(api) {
    api.ocre_msg_system_init();
    api.ocre_subscribe_message(faultTopic, 'fault_handler');
  },
  handlers: {
    fault_handler() {
      throw new Error('injected fault');
    },
  },
});

/** Times of `samples` restarts of `victim`: `container.faulted` to the next `container.running`, in ms. */
async function measureRestarts(victim: ContainerSpec, samples: number): Promise<number[]> {
  const system = createOcreSystem({
    supervisor: {
      // Restart at once, every time: the scenario measures the machinery, not the policy.
      backoff: { minMs: 0, maxMs: 0, jitter: 0 },
      maxRestarts: samples * 10,
      withinMs: 1,
    },
    messaging: { topicMatching: 'exact' },
    containers: [victim],
    onOutput: () => {},
  });
  const times: number[] = [];
  let faultedAt: number | undefined;
  let restarted: (() => void) | undefined;
  const subscription = system.events$.subscribe((event) => {
    if (!('container' in event) || event.container !== victim.name) return;
    if (event.type === 'container.faulted') faultedAt = performance.now();
    else if (event.type === 'container.running' && faultedAt !== undefined) {
      times.push(performance.now() - faultedAt);
      faultedAt = undefined;
      restarted?.();
    }
  });
  await system.start();
  for (let i = 0; i < samples; i++) {
    const running = new Promise<void>((resolve) => (restarted = resolve));
    const verdict = system.publish(faultTopic, 'text/plain', 'boom');
    if (!verdict.ok) throw verdict.error;
    await running;
    await nextTurn();
  }
  subscription.unsubscribe();
  const { failed, reason } = await system.stop();
  if (failed) throw new Error(`restart-latency: the system failed: ${reason}`);
  if (times.length !== samples) throw new Error(`restart-latency: ${times.length} of ${samples}`);
  return times;
}

/** The floor the current design pays: one `setTimeout(0)` (Node clamps it to 1 ms). */
async function measureTimeout(samples: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    times.push(performance.now() - start);
  }
  return times;
}

function summary(times: readonly number[]): { median: number; p99: number } {
  return {
    median: median(times),
    p99: percentile(
      [...times].sort((a, b) => a - b),
      99,
    ),
  };
}

/** Fault → restarted and running, TypeScript and (once it exists) WebAssembly. */
export const restartLatency: Scenario = {
  name: 'restart-latency',
  async run({ quick, log }: RunOptions): Promise<ScenarioOutcome> {
    const samples = quick ? 50 : 300;
    await measureRestarts(faultyTs, 20); // warm-up
    const ts = summary(await measureRestarts(faultyTs, samples));
    const timer = summary(await measureTimeout(samples));
    log(`  TypeScript: median ${ts.median.toFixed(3)} ms, p99 ${ts.p99.toFixed(3)} ms`);
    const results: ScenarioResult[] = [
      scenarioResult({
        name: 'restart-latency',
        variant: 'TypeScript',
        unit: 'ms (median)',
        ours: ts.median,
        baselines: { 'setTimeout(0)': timer.median },
        goals: [{ text: 'TS container running again within 1 ms (median)', met: ts.median <= 1 }],
      }),
    ];
    const notes = [
      `${samples} restarts per container kind after 20 warm-up restarts; backoff minMs = maxMs = 0, jitter 0; time from the container.faulted event to the following container.running event, real clock; TypeScript p99 ${ts.p99.toFixed(3)} ms; setTimeout(0) is a reference for one timer turn, not a peer`,
    ];
    const wasm = await loadWasmRuntime();
    if (wasm === undefined) {
      notes.push(`WebAssembly: ${wasmPending}`);
    } else {
      const victim = wasm.wasmContainer({ name: 'victim', wasm: wasmModule('trap-on-message') });
      await measureRestarts(victim, 10);
      const result = summary(await measureRestarts(victim, quick ? 20 : 100));
      log(`  WebAssembly: median ${result.median.toFixed(3)} ms, p99 ${result.p99.toFixed(3)} ms`);
      results.push(
        scenarioResult({
          name: 'restart-latency',
          variant: 'WebAssembly (trap)',
          unit: 'ms (median)',
          ours: result.median,
          baselines: { 'setTimeout(0)': timer.median },
          goals: [
            {
              text: 'trapped WASM container running again within 5 ms (median)',
              met: result.median <= 5,
            },
          ],
        }),
      );
      notes.push(`WebAssembly p99 ${result.p99.toFixed(3)} ms (worker reused after a trap)`);
    }
    return { results, notes };
  },
};
