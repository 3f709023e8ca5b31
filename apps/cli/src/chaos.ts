// Owns `ocre run --chaos`: applying a chaos plan (with --seed) to the composed system, and the lines that say what fired and how to replay it.
import type { OcreSystemOptions } from '@ocre-ts/actors';
import { FaultPlanError, injectFaults } from '@ocre-ts/actors/testing';
import type { FaultInjection, FaultRecord } from '@ocre-ts/actors/testing';
import { loadChaosPlan } from './chaos-file/load.ts';
import { systemFileError, usageError } from './errors.ts';

/** A system with a chaos plan applied. */
export interface ChaosRun {
  /** The system's options, containers wrapped and hooks set. */
  readonly options: OcreSystemOptions;
  /** What was applied, its seed, and what fired. */
  readonly injection: FaultInjection;
  /** `chaos plan <file>`. */
  readonly subject: string;
}

/**
 * Parse `--seed`: an integer from 0 to 2^32 − 1.
 *
 * @throws CliError `USAGE` for anything else
 */
export function parseSeed(given: string): number {
  const seed = Number(given);
  if (!/^\d+$/.test(given) || seed > 2 ** 32 - 1) {
    throw usageError(`--seed must be an integer from 0 to 4294967295, got "${given}"`, 'run');
  }
  return seed;
}

/**
 * Apply the chaos plan in `file` to `options`; `seed` (from `--seed`) overrides the plan's.
 *
 * @param onFired - told of each fault as it fires
 * @param live - let a dashboard inject faults into every container too
 * @throws CliError `INVALID_CHAOS_PLAN` for a bad file or a plan naming unknown containers
 */
export function applyChaos(
  options: OcreSystemOptions,
  file: string,
  seed: number | undefined,
  onFired: (record: FaultRecord) => void,
  live = false,
): ChaosRun {
  const { subject, plan } = loadChaosPlan(file);
  try {
    const injection = injectFaults(options, plan, {
      ...(seed === undefined ? {} : { seed }),
      onFired,
      live,
    });
    return { options: injection.options, injection, subject };
  } catch (error) {
    if (error instanceof FaultPlanError)
      throw systemFileError(subject, error.problems, 'INVALID_CHAOS_PLAN');
    throw error;
  }
}

/** One fired fault as a line: `chaos: 120 ms: kill converter: crashed` (`dashboard:` for a click). */
export function describeFired(
  record: FaultRecord,
  source: 'chaos' | 'dashboard' = 'chaos',
): string {
  return `${source}: ${Math.round(record.time)} ms: ${record.kind} ${record.target}: ${record.detail}`;
}
