// Owns assertHistory: checkHistory that throws one readable error naming each violation and the seed to replay the run with.
import { checkHistory } from './check-history.ts';
import type { CheckHistoryOptions, HistoryViolation } from './check-history.ts';
import type { HistoryEntry } from './history.ts';

/** Violations shown in an error message before the rest are only counted. */
const shown = 20;

/** A run broke the system's guarantees; `violations` lists how. */
export class HistoryError extends Error {
  override readonly name = 'HistoryError';
  /** Stable code. */
  readonly code = 'HISTORY_VIOLATED';

  /**
   * @param violations - what checkHistory found
   * @param seed - the run's seed, printed so the run can be replayed
   */
  constructor(
    readonly violations: readonly HistoryViolation[],
    readonly seed?: number,
  ) {
    const lines = violations.slice(0, shown).map((v) => `  ${v.rule}: ${v.message}`);
    if (violations.length > shown) lines.push(`  … and ${violations.length - shown} more`);
    const replay =
      seed === undefined ? '' : `\nReplay this run with seed ${seed} (OCRE_SEED=${seed}).`;
    const noun = violations.length === 1 ? 'guarantee' : 'guarantees';
    super(`the run broke ${violations.length} ${noun}:\n${lines.join('\n')}${replay}`);
  }
}

/**
 * {@link checkHistory}, throwing when anything is wrong.
 *
 * @param history - a recorded run
 * @param options - `complete`, and the `seed` to print for replaying the run
 * @throws HistoryError listing the violations and the seed
 */
export function assertHistory(
  history: readonly HistoryEntry[],
  options: CheckHistoryOptions & { readonly seed?: number } = {},
): void {
  const violations = checkHistory(history, options);
  if (violations.length > 0) throw new HistoryError(violations, options.seed);
}
