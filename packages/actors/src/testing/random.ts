// Owns the testing kit's seeded randomness: small, fast, reproducible number streams derived from one seed.

/** A source of numbers in [0, 1), like `Math.random`, but reproducible. */
export type RandomSource = () => number;

/**
 * A seeded stream (mulberry32): the same seed always gives the same numbers.
 *
 * @param seed - any integer; only its low 32 bits matter
 * @example
 * const random = createRandom(42);
 * random(); // always the same first number for seed 42
 */
export function createRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An independent seed for stream number `index` of `seed` (each fault rule draws from its own). */
export function deriveSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The seed to use: the first of `candidates` that is defined, else `OCRE_SEED` from the
 * environment, else a fresh random one. Print it on failure so the run can be replayed.
 */
export function resolveSeed(...candidates: (number | undefined)[]): number {
  for (const candidate of candidates) if (candidate !== undefined) return candidate >>> 0;
  const fromEnv = Number(process.env['OCRE_SEED']);
  if (process.env['OCRE_SEED'] !== undefined && Number.isInteger(fromEnv)) return fromEnv >>> 0;
  return Math.floor(Math.random() * 2 ** 32);
}
