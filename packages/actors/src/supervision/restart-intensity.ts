// Owns the restart-intensity rule: at most maxRestarts restarts within a sliding window of withinMs.

/** The restart times a supervisor remembers, oldest first. */
export class RestartIntensity {
  private readonly times: number[] = [];

  /**
   * @param maxRestarts - restarts allowed within the window (0 means none)
   * @param withinMs - the window's length
   */
  constructor(
    readonly maxRestarts: number,
    readonly withinMs: number,
  ) {}

  /**
   * Record a restart at `now`; false when that exceeds the intensity (the supervisor must fail).
   * Restarts older than the window are forgotten.
   */
  record(now: number): boolean {
    this.forget(now);
    this.times.push(now);
    return this.times.length <= this.maxRestarts;
  }

  /** Forget every restart (a restarted supervisor starts with a clean slate). */
  reset(): void {
    this.times.length = 0;
  }

  private forget(now: number): void {
    while (this.times.length > 0 && now - (this.times[0] as number) >= this.withinMs)
      this.times.shift();
  }
}
