// Owns a clock whose timers fire only when polled: the timers of a current-API instance in a dedicated worker, whose thread blocks in ocre_sleep instead of returning to its event loop.
import type { Clock, TimerHandle } from '@ocre-ts/actors';

interface PolledTimer {
  readonly due: number;
  readonly callback: () => void;
}

/**
 * Real time (`performance.now()`), but a timer fires only when {@link runDue} is called: a
 * worker blocked in `Atomics.wait` cannot run event-loop timers, so its sleep waits at most
 * {@link msUntilNext} and then runs what is due.
 */
export class PolledClock implements Clock {
  private readonly timers = new Map<number, PolledTimer>();
  private nextId = 1;

  /** Milliseconds since the worker started. */
  now(): number {
    return performance.now();
  }

  /** Fires `callback` at the first {@link runDue} at least `delayMs` from now. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { due: this.now() + Math.max(0, delayMs), callback });
    return id;
  }

  /** Cancels a timer; unknown or fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Milliseconds until the earliest timer is due (0 if overdue), Infinity when none is set. */
  msUntilNext(): number {
    let earliest = Infinity;
    for (const timer of this.timers.values()) earliest = Math.min(earliest, timer.due);
    return Math.max(0, earliest - this.now());
  }

  /** Fires every timer that is due, earliest first (timers they set wait for the next call). */
  runDue(): void {
    const now = this.now();
    const due = [...this.timers].filter(([, timer]) => timer.due <= now);
    due.sort((a, b) => a[1].due - b[1].due);
    for (const [id, timer] of due) {
      this.timers.delete(id);
      timer.callback();
    }
  }
}
