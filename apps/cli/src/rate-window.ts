// Owns smoothing message rates: metrics samples kept over a sliding window, so a 500 ms publisher does not read 0, 4, 0, 4.

import type { SystemMetrics } from '@ocre-ts/actors';

/** Samples over the last `windowMs`; rates are measured from the oldest to the newest. */
export class RateWindow {
  private samples: SystemMetrics[] = [];

  /** @param windowMs - how far back rates look */
  constructor(private readonly windowMs: number) {}

  /**
   * Add a sample; returns the oldest sample still in the window (the base to measure rates
   * from), or undefined for the first sample.
   */
  add(sample: SystemMetrics): SystemMetrics | undefined {
    this.samples.push(sample);
    while (this.samples.length > 2 && sample.time - (this.samples[1]?.time ?? 0) >= this.windowMs) {
      this.samples.shift();
    }
    const base = this.samples[0];
    return base === sample ? undefined : base;
  }
}

/** Messages per second from `base` to `sample` of a counter picked by `pick`. */
export function ratePerSecond(
  sample: SystemMetrics,
  base: SystemMetrics | undefined,
  pick: (metrics: SystemMetrics) => number,
): number {
  if (base === undefined || sample.time <= base.time) return 0;
  return ((pick(sample) - pick(base)) * 1000) / (sample.time - base.time);
}
