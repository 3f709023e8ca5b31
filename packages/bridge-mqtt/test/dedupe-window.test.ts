// Tests the dedupe window's bound: it recognises keys within its capacity and forgets the oldest beyond it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DedupeWindow } from '../src/dedupe-window.ts';

describe('DedupeWindow', () => {
  it('admits a key once, and again only after capacity newer keys pushed it out', () => {
    const window = new DedupeWindow(3);
    expect(['a', 'b', 'a', 'c', 'd'].map((k) => window.admit(k))).toEqual([
      true,
      true,
      false,
      true,
      true,
    ]);
    expect(window.admit('a')).toBe(true); // 'a' was the oldest: forgotten when 'd' came
    expect(window.admit('c')).toBe(false);
    expect(window.size).toBe(3);
  });

  it('never holds more than capacity keys and always knows the last capacity distinct ones', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 30 })),
        (capacity, keys) => {
          const window = new DedupeWindow(capacity);
          const admitted: string[] = [];
          for (const key of keys) if (window.admit(String(key))) admitted.push(String(key));
          expect(window.size).toBeLessThanOrEqual(capacity);
          for (const key of admitted.slice(-capacity)) expect(window.admit(key)).toBe(false);
        },
      ),
    );
  });
});
