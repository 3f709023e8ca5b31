// Restart backoff: exponential growth capped at maxMs, jitter bounds, reset after health, and its interplay with intensity.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { defaultBackoff } from '../src/defaults.ts';
import { backoffDelay, resolveBackoff } from '../src/supervision/backoff.ts';
import { harness, scripted } from './fixtures.ts';

const noJitter = { ...defaultBackoff, minMs: 10, maxMs: 1000, jitter: 0 };

describe('backoffDelay', () => {
  it('doubles from minMs and is capped at maxMs', () => {
    const delays = Array.from({ length: 9 }, (_, i) => backoffDelay(i + 1, noJitter, () => 0));
    expect(delays).toEqual([10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
    expect(backoffDelay(10_000, noJitter, () => 0)).toBe(1000);
  });

  it('defaults maxMs to at least minMs, so a large minMs alone is not capped below itself', () => {
    expect(resolveBackoff()).toEqual({ minMs: 10, maxMs: 1000, jitter: 0.2, resetAfterMs: 5000 });
    expect(resolveBackoff({ minMs: 3000 })).toMatchObject({ minMs: 3000, maxMs: 3000 });
    expect(backoffDelay(1, resolveBackoff({ minMs: 3000 }), () => 0.99)).toBe(3000);
  });

  it('jitter only shortens a delay, by at most `jitter` of it, never below minMs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (failures, minMs, extra, jitter, random) => {
          const backoff = { minMs, maxMs: minMs + extra, jitter, resetAfterMs: 0 };
          const base = Math.min(backoff.maxMs, minMs * 2 ** (failures - 1));
          const delay = backoffDelay(failures, backoff, () => random);
          expect(delay).toBeLessThanOrEqual(Math.round(base));
          expect(delay).toBeGreaterThanOrEqual(Math.floor(Math.max(minMs, base * (1 - jitter))));
          expect(Number.isInteger(delay)).toBe(true);
        },
      ),
    );
  });
});

/** Fault `w` right after each restart, `times` times; the delays of its restarts. */
async function faultRepeatedly(h: ReturnType<typeof harness>, times: number): Promise<number[]> {
  for (let i = 0; i < times; i++) {
    h.publish('w', 'boom');
    await h.system.settle();
    const restarting = h.events.filter((e) => e.type === 'container.restarting').at(-1);
    await h.advance(restarting?.type === 'container.restarting' ? restarting.delayMs : 0);
  }
  return h.events.flatMap((e) => (e.type === 'container.restarting' ? [e.delayMs] : []));
}

describe('backoff in a running system', () => {
  it('grows exponentially between back-to-back restarts and is capped at maxMs', async () => {
    const h = harness({
      supervisor: { maxRestarts: 100, backoff: { minMs: 10, maxMs: 100, resetAfterMs: 1000 } },
      containers: [scripted('w')],
    });
    await h.system.start();
    expect(await faultRepeatedly(h, 6)).toEqual([10, 20, 40, 80, 100, 100]);
    // Each restart happened exactly when its backoff elapsed.
    const starts = h.events.flatMap((e) => (e.type === 'container.starting' ? [e.time] : []));
    expect(starts).toEqual([0, 10, 30, 70, 150, 250, 350]);
    await h.system.stop();
  });

  it('resets to minMs after resetAfterMs of health', async () => {
    const h = harness({
      supervisor: { maxRestarts: 100, backoff: { minMs: 10, maxMs: 1000, resetAfterMs: 500 } },
      containers: [scripted('w')],
    });
    await h.system.start();
    expect(await faultRepeatedly(h, 3)).toEqual([10, 20, 40]);
    await h.advance(499); // healthy, but not long enough
    expect(await faultRepeatedly(h, 1)).toEqual([10, 20, 40, 80]);
    await h.advance(500); // healthy long enough: back to minMs
    expect(await faultRepeatedly(h, 2)).toEqual([10, 20, 40, 80, 10, 20]);
    await h.system.stop();
  });

  it('applies jitter from the injected random source', async () => {
    const h = harness({
      random: () => 0.5,
      supervisor: { maxRestarts: 100, backoff: { minMs: 100, maxMs: 1000, jitter: 0.2 } },
      containers: [scripted('w')],
    });
    await h.system.start();
    // base 100, 200, 400 shortened by 0.2 × 0.5 = 10 % (never below minMs = 100)
    expect(await faultRepeatedly(h, 3)).toEqual([100, 180, 360]);
    await h.system.stop();
  });

  it('is counted together with intensity: backoff slows restarts, intensity still trips', async () => {
    const h = harness({
      supervisor: {
        maxRestarts: 3,
        withinMs: 1000,
        backoff: { minMs: 100, maxMs: 1000, resetAfterMs: 10_000 },
      },
      containers: [scripted('w')],
    });
    await h.system.start();
    await faultRepeatedly(h, 3); // restarts at 0, 100, 300 (delays 100, 200, 400)
    expect(h.system.state).toBe('running');
    h.publish('w', 'boom'); // at 700: a 4th restart within 1000 ms
    const stopped = await h.system.whenStopped;
    expect(stopped.reason).toContain('more than 3 restarts within 1000 ms');
  });

  it('a backoff reset does not reset intensity', async () => {
    const h = harness({
      supervisor: {
        maxRestarts: 2,
        withinMs: 10_000,
        backoff: { minMs: 10, maxMs: 1000, resetAfterMs: 50 },
      },
      containers: [scripted('w')],
    });
    await h.system.start();
    for (let i = 0; i < 2; i++) {
      h.publish('w', 'boom');
      await h.advance(100); // backoff 10 ms, then 90 ms of health: the next delay is minMs again
    }
    expect(h.events.flatMap((e) => (e.type === 'container.restarting' ? [e.delayMs] : []))).toEqual(
      [10, 10],
    );
    h.publish('w', 'boom');
    const stopped = await h.system.whenStopped;
    expect(stopped.reason).toContain('more than 2 restarts within 10000 ms');
  });
});
