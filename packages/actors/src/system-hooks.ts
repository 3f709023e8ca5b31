// Owns the hooks a system offers tracing and fault injection: a tracer of every message's path and every restart, an interceptor between router and mailbox, and controls handed over at start.
import type { OcreMessage, OcreResult, PayloadInput } from '@ocre-ts/core';
import type { Clock } from './clock.ts';

/** A restart a supervisor decided, within its restart intensity. */
export interface RestartDecision {
  /** The supervisor that decided. */
  readonly supervisor: string;
  /** The child that went down (its group restarts with it). */
  readonly child: string;
  /** The system clock's `now()` at the decision. */
  readonly time: number;
  /** The supervisor's intensity: at most this many restarts… */
  readonly maxRestarts: number;
  /** …within this many ms. */
  readonly withinMs: number;
}

/**
 * Sees every step of every message's path and every restart decision, synchronously, as it
 * happens. A system without a tracer pays one `undefined` check per publish and per delivery.
 */
export interface SystemTracer {
  /**
   * `message` was accepted from `publisher` (a container's name, or `system`). Called in id order,
   * when the router takes the message from its queue (or dead-letters it there at shutdown).
   */
  accepted(message: OcreMessage, publisher: string): void;
  /** The router matched `message` to these containers, one entry per matching subscription (none: no subscriber). */
  routed(message: OcreMessage, subscribers: readonly string[]): void;
  /** `container`'s handler completed on `message`. */
  delivered(message: OcreMessage, container: string): void;
  /** `supervisor` started its children with a clean restart history (first start, or restarted by its parent). */
  supervisorStarted(supervisor: string): void;
  /** A supervisor decided to restart a child. */
  restartDecided(decision: RestartDecision): void;
}

/**
 * What the router does with one delivery (a message for one matching subscription):
 * - `deliver`: hand it to the mailbox now;
 * - `drop`: make it a dead letter with reason `dropped` (never silent);
 * - a number of ms: hand it over that much later on the system clock. Deliveries to one
 *   container stay in order: a later one waits behind a delayed one (a slow, FIFO link).
 */
export type DeliveryVerdict = 'deliver' | 'drop' | number;

/** Decides each delivery's fate between router and mailbox (fault injection). */
export type DeliveryInterceptor = (
  message: OcreMessage,
  container: string,
  handler: string,
) => DeliveryVerdict;

/** What a system hands its hooks when it starts: enough to inject faults from outside. */
export interface SystemControls {
  /** The system's clock. */
  readonly clock: Clock;
  /** Publish from outside any container (publisher `system`). */
  publish(topic: string, contentType: string, payload: PayloadInput): OcreResult<bigint>;
  /**
   * Make supervisor `name` fail now, as if its restart intensity were exceeded: it stops its
   * children and escalates to its parent (the root's failure stops the system).
   *
   * @returns false when no supervisor by that name is running
   */
  crashSupervisor(name: string, reason: string): boolean;
  /**
   * Crash container `name`'s instance now, as a dead worker would: its runtime is killed and a
   * runtime fault reported; its supervisor decides what follows.
   *
   * @param error - makes the fault's error; called only when there is an instance to crash
   * @returns false when the container is not running (starting, restarting, stopped, unknown)
   */
  crashContainer(name: string, error: () => unknown): boolean;
}

/** Hooks for tracing and fault injection; `@ocre-ts/actors/testing` sets them. All optional. */
export interface SystemHooks {
  /** Sees every message's path and every restart. */
  readonly tracer?: SystemTracer;
  /** Decides each delivery's fate between router and mailbox. */
  readonly intercept?: DeliveryInterceptor;
  /** Called once as the system starts, before any container. */
  readonly started?: (controls: SystemControls) => void;
  /** Called once as the system begins to stop: cancel timers here. */
  readonly stopping?: () => void;
}
