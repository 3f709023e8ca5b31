// Owns metrics$: a periodic snapshot of counters, rates and container states on the system clock.
import { Observable } from 'rxjs';
import type { Clock, TimerHandle } from '../clock.ts';
import type { ContainerInfo, SystemCounters } from '../counters.ts';

/** One metrics sample. */
export interface SystemMetrics {
  /** Clock time of the sample, ms. */
  readonly time: number;
  /** Counters at that time. */
  readonly counters: SystemCounters;
  /** Accepted publishes per second since the previous sample. */
  readonly publishedPerSecond: number;
  /** Handler completions per second since the previous sample. */
  readonly deliveredPerSecond: number;
  /** Each container's state, mailbox depth, counters. */
  readonly containers: readonly ContainerInfo[];
}

/**
 * A stream that samples every `periodMs` on `clock` while subscribed, and completes (its timer
 * cancelled) when `onClose` fires: no timer outlives the system.
 *
 * @throws RangeError when periodMs is not a positive number
 */
export function createMetricsStream(
  periodMs: number,
  clock: Clock,
  counters: () => SystemCounters,
  containers: () => ContainerInfo[],
  onClose: (callback: () => void) => () => void,
): Observable<SystemMetrics> {
  if (!(periodMs > 0))
    throw new RangeError(`metrics$ period must be a positive number of ms, got ${periodMs}`);
  return new Observable<SystemMetrics>((subscriber) => {
    let last = counters();
    let lastTime = clock.now();
    let timer: TimerHandle;
    const tick = () => {
      const now = clock.now();
      const current = counters();
      const seconds = Math.max(1e-9, (now - lastTime) / 1000);
      subscriber.next({
        time: now,
        counters: current,
        publishedPerSecond: (current.published - last.published) / seconds,
        deliveredPerSecond: (current.delivered - last.delivered) / seconds,
        containers: containers(),
      });
      last = current;
      lastTime = now;
      timer = clock.setTimeout(tick, periodMs);
    };
    timer = clock.setTimeout(tick, periodMs);
    const unregister = onClose(() => {
      clock.clearTimeout(timer);
      subscriber.complete();
    });
    return () => {
      unregister();
      clock.clearTimeout(timer);
    };
  });
}
