// Owns one container's current-API timers: ids 1..maxTimers, intervals 1..65535 ms, one-shot or periodic, on an injected clock.
import type { Clock, TimerHandle } from '@ocre-ts/actors';
import { checkPositiveInteger } from '@ocre-ts/core/internal';
import { fail } from './errno.ts';
import type { ErrnoResult } from './errno.ts';

/** Default number of timer ids per container: `OCRE_MAX_TIMERS` of ocre_api.h. */
export const defaultMaxTimers = 16;
/** Longest interval Ocre accepts, in ms (its timers store it in 16 bits). */
const maxTimerIntervalMs = 65535;

interface Timer {
  intervalMs: number;
  periodic: boolean;
  /** Clock time of the next firing, while running. */
  due: number;
  handle: TimerHandle | undefined;
}

/** Options of {@link TimerTable}. */
export interface TimerTableOptions {
  /** The clock every timer runs on (a `VirtualClock` in tests). */
  readonly clock: Clock;
  /** Called when timer `id` fires; the runtime queues a timer event. */
  readonly onFire: (id: number) => void;
  /** Timer ids are 1..maxTimers; default {@link defaultMaxTimers}. */
  readonly maxTimers?: number;
}

/**
 * The timers of one container, behind `ocre_timer_*`. Ids belong to the container (in Ocre's
 * runtime one global table makes containers' ids collide). Results follow Ocre's runtime: an id
 * out of range or not created is -EINVAL, creating an id twice is -EBUSY, an interval outside
 * 1..65535 ms is -EINVAL. Starting a running timer restarts it. A periodic timer keeps its
 * cadence (next due = last due + interval) but never fires twice to catch up after a stall.
 */
export class TimerTable {
  /** Timer ids are 1..maxTimers. */
  readonly maxTimers: number;
  private readonly timers = new Map<number, Timer>();

  /** @param options - clock, firing callback and size */
  constructor(private readonly options: TimerTableOptions) {
    this.maxTimers = checkPositiveInteger(
      'maxTimers',
      options.maxTimers ?? defaultMaxTimers,
      maxTimerIntervalMs,
    );
  }

  /** Timers created and not deleted. */
  get size(): number {
    return this.timers.size;
  }

  /** `ocre_timer_create(id)`. */
  create(id: number): ErrnoResult {
    if (!this.inRange(id)) return fail('EINVAL');
    if (this.timers.has(id)) return fail('EBUSY');
    this.timers.set(id, { intervalMs: 0, periodic: false, due: 0, handle: undefined });
    return 0;
  }

  /** `ocre_timer_delete(id)`: stops and forgets it. */
  delete(id: number): ErrnoResult {
    const timer = this.timers.get(id);
    if (timer === undefined) return fail('EINVAL');
    this.cancel(timer);
    this.timers.delete(id);
    return 0;
  }

  /** `ocre_timer_start(id, interval, is_periodic)`: any non-zero `isPeriodic` means periodic. */
  start(id: number, intervalMs: number, isPeriodic: number): ErrnoResult {
    const timer = this.timers.get(id);
    if (timer === undefined) return fail('EINVAL');
    if (!Number.isInteger(intervalMs) || intervalMs < 1 || intervalMs > maxTimerIntervalMs) {
      return fail('EINVAL');
    }
    this.cancel(timer);
    timer.intervalMs = intervalMs;
    timer.periodic = isPeriodic !== 0;
    this.schedule(id, timer, this.options.clock.now() + intervalMs);
    return 0;
  }

  /** `ocre_timer_stop(id)`: a stopped timer keeps its id and can be started again. */
  stop(id: number): ErrnoResult {
    const timer = this.timers.get(id);
    if (timer === undefined) return fail('EINVAL');
    this.cancel(timer);
    return 0;
  }

  /** `ocre_timer_get_remaining(id)`: ms until the next firing (rounded up), 0 when stopped. */
  remaining(id: number): number {
    const timer = this.timers.get(id);
    if (timer === undefined) return fail('EINVAL');
    if (timer.handle === undefined) return 0;
    return Math.max(0, Math.ceil(timer.due - this.options.clock.now()));
  }

  /** Stops and forgets every timer (the container stopped). */
  dispose(): void {
    for (const timer of this.timers.values()) this.cancel(timer);
    this.timers.clear();
  }

  private inRange(id: number): boolean {
    return Number.isInteger(id) && id >= 1 && id <= this.maxTimers;
  }

  private schedule(id: number, timer: Timer, due: number): void {
    const { clock } = this.options;
    timer.due = due;
    timer.handle = clock.setTimeout(() => {
      timer.handle = undefined;
      if (timer.periodic) {
        // Keep the cadence; after a stall (the next firing already past), fire once and
        // count a whole interval from now instead of firing again to catch up.
        const next = timer.due + timer.intervalMs;
        const now = clock.now();
        this.schedule(id, timer, next > now ? next : now + timer.intervalMs);
      }
      this.options.onFire(id);
    }, due - clock.now());
  }

  private cancel(timer: Timer): void {
    if (timer.handle !== undefined) this.options.clock.clearTimeout(timer.handle);
    timer.handle = undefined;
  }
}
