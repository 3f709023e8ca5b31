// Tests the clock of a dedicated worker's current-API timers: real time, but timers fire only when polled, earliest first.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PolledClock } from '../../src/current-api/polled-clock.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('PolledClock', () => {
  it('fires due timers only when polled, earliest first, and says how long until the next', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const clock = new PolledClock();
    const fired: string[] = [];
    expect(clock.msUntilNext()).toBe(Infinity);
    clock.setTimeout(() => fired.push('b'), 20);
    clock.setTimeout(() => fired.push('a'), 10);
    const cancelled = clock.setTimeout(() => fired.push('never'), 5);
    clock.clearTimeout(cancelled);
    expect(clock.msUntilNext()).toBe(10);
    vi.advanceTimersByTime(25);
    // Time passed, but nothing fires until the sleep loop polls.
    expect(fired).toEqual([]);
    expect(clock.msUntilNext()).toBe(0);
    clock.runDue();
    expect(fired).toEqual(['a', 'b']);
    expect(clock.msUntilNext()).toBe(Infinity);
  });

  it('a timer set by a firing timer waits for the next poll (a periodic timer never fires twice in one)', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const clock = new PolledClock();
    let firings = 0;
    const tick = () => {
      firings++;
      clock.setTimeout(tick, 0);
    };
    clock.setTimeout(tick, 0);
    clock.runDue();
    expect(firings).toBe(1);
    clock.runDue();
    expect(firings).toBe(2);
  });
});
