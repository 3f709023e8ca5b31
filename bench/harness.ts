// Owns the measuring rules of the benchmark suite: interleaved rounds, medians, percentiles, forced GC and the machine description.
import { cpus, totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ScenarioResult } from './report.ts';

/** What every scenario is told about the run. */
export interface RunOptions {
  /** Smoke mode: fewer messages and rounds, numbers only indicative. */
  readonly quick: boolean;
  /** Print progress lines (to stderr). */
  readonly log: (line: string) => void;
}

/** What a scenario hands back: rows for the report, and lines worth reading beside them. */
export interface ScenarioOutcome {
  readonly results: readonly ScenarioResult[];
  /** Context a reader needs (settings, checks, pending parts); printed under the table. */
  readonly notes: readonly string[];
}

/** One benchmark scenario. */
export interface Scenario {
  /** The name `--only` selects it by, also the name of its rows. */
  readonly name: string;
  run(options: RunOptions): Promise<ScenarioOutcome>;
}

/** Prefix of the stdout line on which a scenario process hands back its outcome as JSON. */
export const outcomePrefix = '@@bench-outcome ';

/** The machine a run happened on. */
export interface BenchEnvironment {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly platform: string;
  readonly date: string;
}

/** Describe this machine and process. */
export function environment(): BenchEnvironment {
  const cores = cpus();
  return {
    node: process.version,
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  };
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The `p`-th percentile (0..100) of an ascending list, nearest-rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of an empty list');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

setFlagsFromString('--expose-gc');
const gcFunction = runInNewContext('gc') as (() => void) | undefined;

/** Run a full garbage collection, so one contender's garbage is not collected on another's clock. */
function collectGarbage(): void {
  gcFunction?.();
}

/** Let the event loop run one full turn (timers, I/O, immediates). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Something measured once per round; returns the round's value (a rate, a time…). */
export interface Contender {
  readonly name: string;
  measure(): number | Promise<number>;
}

/** Settings of {@link compare}. */
export interface CompareOptions {
  /** Measured rounds; the median is kept. */
  readonly rounds: number;
  /** Unmeasured rounds first, to warm the JIT. Default 1. */
  readonly warmup?: number;
  readonly log?: (line: string) => void;
}

/**
 * Measure every contender once per round, rotating the order each round so slow drift of a busy
 * machine spreads over all of them, with a GC before each measurement. Returns each contender's
 * median and its round values.
 */
export async function compare(
  contenders: readonly Contender[],
  options: CompareOptions,
): Promise<Map<string, { median: number; rounds: number[] }>> {
  const values = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  const warmup = options.warmup ?? 1;
  for (let round = 0; round < warmup + options.rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(round + k) % contenders.length] as Contender;
      collectGarbage();
      await nextTurn();
      const value = await contender.measure();
      if (round >= warmup) values.get(contender.name)?.push(value);
    }
    if (round >= warmup) options.log?.(`  round ${round - warmup + 1}/${options.rounds} done`);
  }
  return new Map(
    [...values].map(([name, rounds]) => [name, { median: median(rounds), rounds }] as const),
  );
}

/** Operations per second for `count` operations taking `ms` milliseconds. */
export function perSecond(count: number, ms: number): number {
  return count / (ms / 1000);
}
