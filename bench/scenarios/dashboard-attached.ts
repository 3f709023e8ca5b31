// Owns the dashboard-attached scenario: the fanout-1x1 system measured bare and with a live dashboard (live fault injection, batched feed, a real SSE client in another process), each in processes of its own.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunOptions, Scenario, ScenarioOutcome } from '../harness.ts';
import { scenarioResult } from '../report.ts';
import { sizeFor } from './fanout.ts';

const execFileAsync = promisify(execFile);
const loader = fileURLToPath(new URL('../loader/run.mjs', import.meta.url));
const child = fileURLToPath(new URL('../workers/dashboard-child.ts', import.meta.url));

/** What one measuring process reports. */
interface ChildReport {
  readonly rates: number[];
  readonly cpuNsPerMessage: number[];
  readonly batchesPerSecond: number[];
}

/** Run `rounds` rounds (after a warm-up) in a fresh process, all with or all without the dashboard. */
async function measureIn(
  mode: 'with' | 'without',
  messages: number,
  rounds: number,
): Promise<ChildReport> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--expose-gc', loader, child, mode, String(messages), String(rounds)],
    { maxBuffer: 1 << 20, timeout: 600_000 },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as ChildReport;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? NaN;
}

/** fanout-1x1 with and without a dashboard attached. */
export const dashboardAttached: Scenario = {
  name: 'dashboard-attached',
  async run({ quick, log }: RunOptions): Promise<ScenarioOutcome> {
    // Rounds three times fanout-1x1's: the feed's work comes every 100 ms, so a round of about
    // half a second held only four or five batches and its rate swung with each one.
    const messages = sizeFor(quick, 1).messages * 3;
    const processes = quick ? 1 : 8;
    const roundsEach = quick ? 2 : 4;
    const reports = { with: [] as ChildReport[], without: [] as ChildReport[] };
    // Each contender in processes of its own, alternating: a system either has a dashboard or
    // not, and rounds of both in one process share JIT and heap state that swung either by ±10%.
    for (let p = 0; p < processes; p++) {
      for (const mode of p % 2 === 0
        ? (['with', 'without'] as const)
        : (['without', 'with'] as const)) {
        reports[mode].push(await measureIn(mode, messages, roundsEach));
        log(`  process ${p + 1}/${processes} ${mode} the dashboard done`);
      }
    }
    const all = (mode: 'with' | 'without', key: keyof ChildReport) =>
      reports[mode].flatMap((report) => report[key]);
    const ours = median(all('with', 'rates'));
    const without = median(all('without', 'rates'));
    const baseline = 'fanout-1x1 without dashboard';
    const most = Math.max(...all('with', 'batchesPerSecond'));
    return {
      results: [
        scenarioResult({
          name: 'dashboard-attached',
          unit: 'msgs/s',
          ours,
          baselines: { [baseline]: without },
          goals: [{ text: `≥ 0.95× ${baseline}`, against: baseline, met: ours / without >= 0.95 }],
        }),
      ],
      notes: [
        `fanout-1x1 (${messages} messages per round) with a live dashboard attached: live fault injection on every container (controlled in place, nothing on the message path until a fault is armed; the system has start and stop hooks), the feed batching every 100 ms, and one SSE client reading the stream in another process (started once per measuring process, like an open tab; each round is timed from the client's first batch)`,
        `each contender measured in ${processes} fresh processes of its own, alternating, each a warm-up round and ${roundsEach} measured rounds; median of the ${processes * roundsEach} rounds`,
        `the client saw at most ${most} batches within any one second (bound: about 10, one per 100 ms, and the last one of a stopping system); cost of the dashboard: ${((1 - ours / without) * 100).toFixed(1)}% of the bare rate`,
        `CPU time of the measuring process per message (median): with the dashboard ${median(all('with', 'cpuNsPerMessage')).toFixed(0)} ns, without ${median(all('without', 'cpuNsPerMessage')).toFixed(0)} ns`,
      ],
    };
  },
};
