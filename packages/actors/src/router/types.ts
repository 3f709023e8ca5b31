// Owns what the router knows of a container (RoutedCell) and what a container knows of the router (CellRouter), so neither imports the other.
import type { OcreMessage, OcreMessagingPort } from '@ocre-ts/core';
import type { ContainerCounters } from '../counters.ts';
import type { DeadLetterReason } from '../dead-letter.ts';

/** What the router hears when it offers a cell a message. */
export type AcceptVerdict = 'queued' | 'mailbox-full' | 'container-down' | 'shutdown';

/** Why mail of a container that is down becomes a dead letter. */
export type DownReason = 'container-down' | 'shutdown';

/** A container as the router sees it: a named mailbox with counters and a turn to run. */
export interface RoutedCell {
  /** The container's name. */
  readonly name: string;
  /** Its counters; the router counts publishes, deliveries and dead letters here. */
  readonly counters: ContainerCounters;
  /** Router bookkeeping: listed for the current dispatch turn (saves a Set on the hot path). */
  readyForTurn: boolean;
  /** Take a delivery, or say why not. Allocation-free. */
  accept(message: OcreMessage, handler: string): AcceptVerdict;
  /** Run handlers for waiting mail. */
  runTurn(): void;
}

/** One subscription: a container's handler on a pattern. The index's subscriber type. */
export interface Subscription {
  readonly cell: RoutedCell;
  readonly handler: string;
  readonly pattern: string;
}

/** The router as a container cell uses it. */
export interface CellRouter {
  /** The messaging port a container's facade publishes into and subscribes through. */
  portFor(cell: RoutedCell): OcreMessagingPort;
  /** Register `cell` as the worker-side producer `producerId`. */
  registerProducer(producerId: number, cell: RoutedCell): void;
  /** Count publishes a worker-side producer had refused. */
  countRejected(cell: RoutedCell, count: number): void;
  /** Ask for a turn for `cell`, which has mail it can now handle. */
  wake(cell: RoutedCell): void;
  /** Record a dead letter: counters, events and `deadLetters$`. */
  deadLetter(
    message: OcreMessage,
    reason: DeadLetterReason,
    cell?: RoutedCell,
    handler?: string,
    error?: string,
  ): void;
  /** Count a handler completion. */
  countDelivered(cell: RoutedCell, message: OcreMessage): void;
}
