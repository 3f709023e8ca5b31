// Owns the main thread's record of the messages handed to a current-API instance and not yet settled: the bound that makes a full event queue a dead letter at once, and settling or abandoning them.
import type { OcreMessage } from '@ocre-ts/core';
import type { DeadLetterReason, RuntimeHost } from '@ocre-ts/actors';
import type { TakenOutcome } from '../channel/worker-protocol.ts';
import { currentEventHandler } from './current-guest-host.ts';
import { defaultEventQueueCapacity } from './event-queue.ts';

/**
 * The messages a current-API instance was handed and has not taken yet. The router counts a
 * message delivered when the container takes it (`ocre_get_event`), not when it is queued; until
 * then it is here. At most `capacity` are outstanding, the size of the instance's event queue:
 * while that many are, the runtime accepts no mail ({@link accepts}), so more waits in the
 * container's bounded mailbox (and overflows it as `mailbox-full` dead letters) and the
 * instance's own queue never overflows. A container that never polls holds up nobody but itself.
 */
export class HandedOverMessages {
  private readonly messages = new Map<bigint, OcreMessage>();

  /** @param capacity - the instance's event-queue capacity ({@link defaultEventQueueCapacity}) */
  constructor(readonly capacity: number = defaultEventQueueCapacity) {}

  /** Messages handed over and not settled. */
  get size(): number {
    return this.messages.size;
  }

  /** True while fewer than `capacity` are outstanding: the runtime accepts mail. */
  accepts(): boolean {
    return this.messages.size < this.capacity;
  }

  /**
   * During the runtime's synchronous `deliver`: hand `message` over with `send` (or, should the
   * runtime have been handed mail while not accepting it, refuse it as `mailbox-full`).
   */
  handOver(host: RuntimeHost, message: OcreMessage, send: () => void): void {
    if (this.messages.size >= this.capacity) {
      host.deadLetterCurrent?.(
        'mailbox-full',
        `container "${host.name}" has ${this.capacity} messages it has not taken with ocre_process_events`,
      );
      return;
    }
    this.messages.set(message.mid, message);
    host.queuedCurrent?.();
    send();
  }

  /** The worker reported how messages ended: count each delivered, or dead-letter it; wake the container if room was made. */
  settle(host: RuntimeHost, outcomes: readonly TakenOutcome[]): void {
    const full = !this.accepts();
    for (const outcome of outcomes) {
      const message = this.messages.get(outcome.mid);
      if (message === undefined) continue;
      this.messages.delete(outcome.mid);
      const { deadLetter } = outcome;
      if (deadLetter === undefined) host.settleQueued?.(message, currentEventHandler);
      else host.settleQueued?.(message, currentEventHandler, deadLetter.reason, deadLetter.error);
    }
    if (full && this.accepts()) host.wake?.();
  }

  /** The instance ended: every message it had not taken is a dead letter with `reason`. */
  abandon(host: RuntimeHost | undefined, reason: DeadLetterReason = 'container-down'): void {
    if (this.messages.size === 0) return;
    const left = [...this.messages.values()];
    this.messages.clear();
    for (const message of left) host?.settleQueued?.(message, currentEventHandler, reason);
  }
}
