// Owns the one async handler call a container may have in progress: its message, its handler's name, its timeout and its outcome.
import type { OcreMessage } from '@ocre-ts/core';
import type { Clock, TimerHandle } from '../clock.ts';

/** What happens when a tracked call ends on its own. */
export interface PendingOutcomes {
  /** The call resolved: its message was handled. */
  handled(message: OcreMessage): void;
  /** The call rejected: a handler fault. */
  rejected(message: OcreMessage, handler: string, error: unknown): void;
  /** The call did not settle within its budget: the container is unresponsive. */
  timedOut(message: OcreMessage, handler: string): void;
}

/**
 * The async handler call in progress, if any; its message is already out of the mailbox.
 * Ending a call (by outcome, or because its instance is gone) makes any later settling of it a no-op.
 */
export class PendingHandler {
  /** The message being handled, or undefined when no call is in progress. */
  message: OcreMessage | undefined;
  /** The handler's name; meaningful while `message` is set. */
  handler = '';
  private timer: TimerHandle | undefined;
  private call = 0;

  /**
   * @param clock - the system clock, for the timeout
   * @param outcomes - told how each call ended on its own
   */
  constructor(
    private readonly clock: Clock,
    private readonly outcomes: PendingOutcomes,
  ) {}

  /** Track `outcome`, the call of `handler` on `message`, allowing it `timeoutMs`. */
  track(outcome: Promise<void>, message: OcreMessage, handler: string, timeoutMs: number): void {
    const call = ++this.call;
    this.message = message;
    this.handler = handler;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (call === this.call && this.end() !== undefined) this.outcomes.timedOut(message, handler);
    }, timeoutMs);
    outcome.then(
      () => {
        if (call === this.call && this.end() !== undefined) this.outcomes.handled(message);
      },
      (error: unknown) => {
        if (call === this.call && this.end() !== undefined)
          this.outcomes.rejected(message, handler, error);
      },
    );
  }

  /** End the call in progress, cancelling its timeout; returns its message (undefined if none). */
  end(): OcreMessage | undefined {
    this.call++;
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    const message = this.message;
    this.message = undefined;
    return message;
  }
}

/** True for a thenable: an async handler's result. */
export function isPromiseLike(value: unknown): value is Promise<void> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
