// Owns the firing rule of per-message faults: the nth matching message, or each with a seeded probability, at most so many times.
import type { MessageTrigger } from './fault-plan.ts';
import type { RandomSource } from './random.ts';

/** Counts the messages a fault applies to and says, for each, whether it fires. */
export class Trigger {
  private count = 0;
  private fired = 0;

  /**
   * @param spec - nth, probability, times
   * @param random - this fault's own seeded stream
   */
  constructor(
    private readonly spec: MessageTrigger,
    private readonly random: RandomSource,
  ) {}

  /** Count one more message; true when the fault fires on it. */
  next(): boolean {
    this.count++;
    const { nth, probability, times } = this.spec;
    // Draw for every message, fired or not, so one fault's choices do not shift with its limit.
    const draw = probability === undefined ? 0 : this.random();
    if (this.fired >= (times ?? (nth === undefined ? Infinity : 1))) return false;
    const hit =
      nth !== undefined
        ? this.count === nth
        : probability !== undefined
          ? draw < probability
          : true;
    if (hit) this.fired++;
    return hit;
  }
}

/** An error a fault plan caused on purpose; its message names the fault and the seed. */
export class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
}
