// Owns time for the actors package: the clock interface every timer goes through, the real clock and a virtual one for tests.

/** An opaque timer handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = object | number;

/**
 * Every timer in a system (backoff, timeouts, health checks, xstate delays) goes through this,
 * so supervision can run in virtual time. Compatible with xstate's `clock` actor option.
 */
export interface Clock {
  /** Milliseconds since some fixed origin; only differences matter. */
  now(): number;
  /** Call `callback` once after `delayMs`. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancel a timer; unknown or fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/** The clock of the host: `performance.now()` and the global timers. */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Event-loop rounds `drive` waits, with no timer pending, before deciding the work is stuck. */
const idleRoundsBeforeGivingUp = 1000;

interface VirtualTimer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/**
 * A clock that moves only when told to: timers fire in deadline order (ties in creation order),
 * including timers created by callbacks while advancing.
 *
 * @example
 * const clock = new VirtualClock();
 * clock.setTimeout(() => console.log('fired'), 100);
 * await clock.advance(100); // logs 'fired'
 */
export class VirtualClock implements Clock {
  private current = 0;
  private nextId = 1;
  private readonly timers = new Map<number, VirtualTimer>();

  /** The virtual time in ms. */
  now(): number {
    return this.current;
  }

  /** Schedule `callback` at now + delayMs (negative delays count as 0). */
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, due: this.current + Math.max(0, delayMs), callback });
    return id;
  }

  /** Cancel a pending timer. */
  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Number of timers waiting to fire. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Deadline of the earliest pending timer, or undefined. */
  nextDue(): number | undefined {
    return this.earliest()?.due;
  }

  /**
   * Move time forward by `ms`, firing every timer that falls due, in order; between timers the
   * microtask queue is flushed so promise-based work (async handlers, actor events) keeps up.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + Math.max(0, ms);
    await flushMicrotasks();
    for (;;) {
      const timer = this.earliest();
      if (timer === undefined || timer.due > target) break;
      this.timers.delete(timer.id);
      this.current = timer.due;
      timer.callback();
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }

  /** Fire timers until none is left or `limitMs` of virtual time has passed. */
  async runAll(limitMs = 3_600_000): Promise<void> {
    const end = this.current + limitMs;
    for (;;) {
      const due = this.nextDue();
      if (due === undefined || due > end) break;
      await this.advance(due - this.current);
    }
  }

  /**
   * Let `work` run, firing the next timer whenever nothing else is left to do, until it settles;
   * for an awaited call that waits on time itself, such as `system.stop()` while a handler or a
   * container's stop hangs.
   *
   * @param work - the promise to settle
   * @param limitMs - most virtual time to spend (default one hour)
   * @throws Error when `work` needs more than `limitMs`, or waits on something other than time
   * @example
   * const stopped = await clock.drive(system.stop());
   */
  async drive<T>(work: Promise<T>, limitMs = 3_600_000): Promise<T> {
    let settled = false;
    const tracked = work.finally(() => (settled = true));
    tracked.catch(() => undefined); // the caller observes the outcome through the return value
    const end = this.current + limitMs;
    let idleRounds = 0;
    while (!settled) {
      await flushMicrotasks();
      if (settled) break;
      const due = this.nextDue();
      if (due === undefined) {
        if (++idleRounds > idleRoundsBeforeGivingUp)
          throw new Error('VirtualClock.drive: the work waits on something other than time');
        continue;
      }
      if (due > end)
        throw new Error(`VirtualClock.drive: the work did not settle within ${limitMs} ms`);
      idleRounds = 0;
      await this.advance(due - this.current);
    }
    return tracked;
  }

  private earliest(): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const timer of this.timers.values()) {
      if (
        best === undefined ||
        timer.due < best.due ||
        (timer.due === best.due && timer.id < best.id)
      ) {
        best = timer;
      }
    }
    return best;
  }
}

/** Let queued microtasks and one macrotask turn run (router and container turns use them). */
export async function flushMicrotasks(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
