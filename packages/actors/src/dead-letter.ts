// Owns the dead-letter record: why an accepted message was not handled.
import type { OcreMessage } from '@ocre-ts/core';

/**
 * Why an accepted message ended as a dead letter:
 * - `no-subscriber`: nothing subscribed to its topic when the router drained it;
 * - `mailbox-full`: a subscriber's bounded mailbox had no room;
 * - `handler-fault`: the handler threw, trapped or timed out on it;
 * - `container-down`: the subscriber was stopped or failed for good;
 * - `shutdown`: the system stopped before it was handled;
 * - `dropped`: a fault-injection plan dropped it on purpose;
 * - `bridge-outbox-full`: a bridge could not hold it for its broker (its outbox was full).
 */
export type DeadLetterReason =
  | 'no-subscriber'
  | 'mailbox-full'
  | 'handler-fault'
  | 'container-down'
  | 'shutdown'
  | 'dropped'
  | 'bridge-outbox-full';

/** An accepted message that was not handled, with the reason and the container concerned. */
export interface DeadLetter {
  /** The message as it was published. */
  readonly message: OcreMessage;
  /** Why it was not handled. */
  readonly reason: DeadLetterReason;
  /** The subscriber it was meant for; absent for `no-subscriber`. */
  readonly container?: string;
  /** The handler it was meant for; absent for `no-subscriber`. */
  readonly handler?: string;
  /** For `handler-fault`: what the handler did. */
  readonly error?: string;
}
