// Tests one container's current-API timers in virtual time: Ocre's result codes, one-shot and periodic firing, remaining time, per-container ids.
import { VirtualClock } from '@ocre-ts/actors';
import { describe, expect, it } from 'vitest';
import { TimerTable, errno } from '../../src/current-api/index.ts';

function table(maxTimers?: number) {
  const clock = new VirtualClock();
  const fired: [number, number][] = [];
  const timers = new TimerTable({
    clock,
    onFire: (id) => fired.push([id, clock.now()]),
    ...(maxTimers === undefined ? {} : { maxTimers }),
  });
  return { clock, fired, timers };
}

describe('TimerTable', () => {
  it('answers with Ocre’s codes: ids 1..maxTimers, -EBUSY twice, -EINVAL when not created', () => {
    const { timers } = table(3);
    expect([timers.create(0), timers.create(4), timers.create(-1), timers.create(1.5)]).toEqual(
      Array(4).fill(-errno.EINVAL),
    );
    expect(timers.create(1)).toBe(0);
    expect(timers.create(3)).toBe(0);
    expect(timers.create(1)).toBe(-errno.EBUSY);
    expect([timers.start(2, 10, 1), timers.stop(2), timers.delete(2), timers.remaining(2)]).toEqual(
      Array(4).fill(-errno.EINVAL),
    );
    expect(timers.delete(1)).toBe(0);
    expect(timers.delete(1)).toBe(-errno.EINVAL);
    expect(timers.size).toBe(1);
  });

  it('accepts intervals of 1 to 65535 ms only', () => {
    const { timers } = table();
    timers.create(1);
    for (const interval of [0, -5, 65536, 2 ** 31 - 1]) {
      expect(timers.start(1, interval, 0), String(interval)).toBe(-errno.EINVAL);
    }
    expect(timers.start(1, 1, 0)).toBe(0);
    expect(timers.start(1, 65535, 0)).toBe(0);
  });

  it('fires a one-shot timer once, and a periodic one on its cadence', async () => {
    const { clock, fired, timers } = table();
    timers.create(1);
    timers.create(2);
    timers.start(1, 250, 0);
    timers.start(2, 100, 7); // any non-zero is_periodic means periodic
    await clock.advance(450);
    expect(fired).toEqual([
      [2, 100],
      [2, 200],
      [1, 250],
      [2, 300],
      [2, 400],
    ]);
  });

  it('tells the time remaining, 0 once a one-shot fired or a timer stopped', async () => {
    const { clock, timers } = table();
    timers.create(1);
    expect(timers.remaining(1)).toBe(0);
    timers.start(1, 1000, 1);
    await clock.advance(300);
    expect(timers.remaining(1)).toBe(700);
    await clock.advance(800);
    expect(timers.remaining(1)).toBe(900);
    timers.stop(1);
    expect(timers.remaining(1)).toBe(0);
    timers.start(1, 50, 0);
    await clock.advance(50);
    expect(timers.remaining(1)).toBe(0);
  });

  it('restarts a running timer when started again, and never fires a stopped or deleted one', async () => {
    const { clock, fired, timers } = table();
    timers.create(1);
    timers.create(2);
    timers.start(1, 100, 1);
    await clock.advance(60);
    timers.start(1, 100, 1);
    timers.start(2, 10, 1);
    timers.stop(2);
    await clock.advance(100);
    expect(fired).toEqual([[1, 160]]);
    timers.delete(1);
    await clock.advance(1000);
    expect(fired).toHaveLength(1);
  });

  it('gives each container its own ids: two tables both use timer 1', async () => {
    const a = table();
    const b = table();
    expect(a.timers.create(1)).toBe(0);
    expect(b.timers.create(1)).toBe(0);
    a.timers.start(1, 10, 0);
    await a.clock.advance(10);
    expect(a.fired).toEqual([[1, 10]]);
    expect(b.fired).toEqual([]);
  });

  it('stops everything when disposed', async () => {
    const { clock, fired, timers } = table();
    timers.create(1);
    timers.start(1, 10, 1);
    timers.dispose();
    await clock.advance(100);
    expect(fired).toEqual([]);
    expect(timers.size).toBe(0);
  });
});
