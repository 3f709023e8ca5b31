// Owns the start-100k scenario: time until 100k supervised TypeScript containers are all running, and until they are all stopped again, against 100k bare xstate actors.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunOptions, Scenario, ScenarioOutcome } from '../harness.ts';
import { scenarioResult } from '../report.ts';

const execFileAsync = promisify(execFile);
const loader = fileURLToPath(new URL('../loader/run.mjs', import.meta.url));
const child = fileURLToPath(new URL('../workers/memory-idle-child.ts', import.meta.url));

/** Start `count` items of `kind` in a fresh process (memory-idle's child), then stop them; both times in ms. */
async function startAndStopMs(
  kind: 'ours' | 'xstate',
  count: number,
): Promise<{ startMs: number; stopMs: number }> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=4096', loader, child, kind, String(count)],
    { maxBuffer: 1 << 20, timeout: 600_000 },
  );
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as { startMs: number; stopMs: number };
}

/** The goal of issue 12: 100k containers running within 2 s. */
const goalMs = 2000;

/** 100k containers from `system.start()` until every one is running. */
export const start100k: Scenario = {
  name: 'start-100k',
  async run({ quick, log }: RunOptions): Promise<ScenarioOutcome> {
    const count = quick ? 10_000 : 100_000;
    const measured = await startAndStopMs('ours', count);
    const bare = await startAndStopMs('xstate', count);
    const ours = measured.startMs;
    const xstate = bare.startMs;
    log(
      `  ${count} containers: start ours ${ours.toFixed(0)} ms, xstate ${xstate.toFixed(0)} ms; stop ours ${measured.stopMs.toFixed(0)} ms, xstate ${bare.stopMs.toFixed(0)} ms`,
    );
    // The goal is for 100k; a quick run scales it to its count.
    const limit = (goalMs * count) / 100_000;
    return {
      results: [
        scenarioResult({
          name: 'start-100k',
          unit: 'ms',
          ours,
          baselines: { 'xstate actor': xstate },
          goals: [{ text: `≤ ${limit} ms until all ${count} are running`, met: ours <= limit }],
        }),
        scenarioResult({
          name: 'start-100k',
          variant: 'stop',
          unit: 'ms',
          ours: measured.stopMs,
          baselines: { 'xstate actor': bare.stopMs },
          goals: [
            {
              text: `≤ ${limit} ms until all ${count} are stopped`,
              met: measured.stopMs <= limit,
            },
          ],
        }),
      ],
      notes: [
        `${count} TypeScript containers (init + one subscription each, as in memory-idle) under the root supervisor, from createOcreSystem to system.start() resolved with every container running, one fresh process, after a warm-up system of 100; the baseline starts ${count} bare two-state xstate actors`,
        `stop: system.stop() of those ${count} running containers (each stopped in reverse start order, mailboxes closed, container.stopped said); the baseline calls stop() on each of the ${count} xstate actors`,
      ],
    };
  },
};
