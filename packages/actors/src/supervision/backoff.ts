// Owns the restart backoff rule: exponential growth with jitter between a floor and a ceiling.
import { defaultBackoff } from '../defaults.ts';
import type { ResolvedBackoff } from '../defaults.ts';
import type { BackoffOptions } from '../spec.ts';

/**
 * Fill in backoff defaults; `maxMs` defaults to the larger of 1000 ms and `minMs`, so a large
 * `minMs` alone is never capped below itself.
 */
export function resolveBackoff(options: BackoffOptions = {}): ResolvedBackoff {
  const minMs = options.minMs ?? defaultBackoff.minMs;
  return {
    minMs,
    maxMs: options.maxMs ?? Math.max(defaultBackoff.maxMs, minMs),
    jitter: options.jitter ?? defaultBackoff.jitter,
    resetAfterMs: options.resetAfterMs ?? defaultBackoff.resetAfterMs,
  };
}

/**
 * The delay before restart number `failures` (1 for the first restart in a row):
 * `min(maxMs, minMs * 2^(failures-1))`, then reduced by up to `jitter` of itself at random,
 * never below `minMs` unless `minMs` is 0.
 *
 * @param random - a number in [0, 1); inject a seeded source for reproducible runs
 */
export function backoffDelay(
  failures: number,
  backoff: ResolvedBackoff,
  random: () => number,
): number {
  const exponent = Math.max(0, failures - 1);
  const base = Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.min(exponent, 52));
  const jittered = base * (1 - backoff.jitter * random());
  return Math.round(Math.max(Math.min(backoff.minMs, base), jittered));
}
