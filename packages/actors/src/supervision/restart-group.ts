// Owns the supervision strategies: which children a fault of one child brings down and back up.
import type { SupervisionStrategy } from '../spec.ts';

/**
 * The indexes (in start order) of the children to restart when child `faulted` faults.
 *
 * @example
 * restartGroup('rest-for-one', 1, 4); // [1, 2, 3]
 */
export function restartGroup(
  strategy: SupervisionStrategy,
  faulted: number,
  childCount: number,
): number[] {
  const all = Array.from({ length: childCount }, (_, index) => index);
  switch (strategy) {
    case 'one-for-one':
      return [faulted];
    case 'one-for-all':
      return all;
    case 'rest-for-one':
      return all.slice(faulted);
  }
}
