// Owns the shapes users write to describe a system's tree: container specs, supervisor specs and their options.
import type { RuntimeFactory } from './runtime.ts';

/** How a supervisor reacts when one child faults (Erlang/OTP names). */
export type SupervisionStrategy = 'one-for-one' | 'one-for-all' | 'rest-for-one';

/**
 * When a child is restarted:
 * - `permanent`: always;
 * - `transient`: only after a fault or an abnormal exit (non-zero code);
 * - `temporary`: never.
 */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/**
 * What a supervisor does with a child that faulted:
 * - `restart` (default): restart it (and its group, per strategy);
 * - `resume`: drop the message being handled, keep the instance and its state;
 * - `stop`: stop it for good;
 * - `escalate`: give up and let the supervisor's parent decide.
 */
export type FaultDirective = 'restart' | 'resume' | 'stop' | 'escalate';

/** Exponential backoff between restarts. */
export interface BackoffOptions {
  /** First delay. Default 10 ms. */
  readonly minMs?: number;
  /** Largest delay. Default 1000 ms. */
  readonly maxMs?: number;
  /** Fraction of the delay that is random, 0..1. Default 0.2. */
  readonly jitter?: number;
  /** A child healthy this long has its backoff reset to `minMs`. Default 5000 ms. */
  readonly resetAfterMs?: number;
}

/** Options shared by containers and supervisors as children of a supervisor. */
export interface ChildOptions {
  /** Unique name in the whole system. */
  readonly name: string;
  /** Default `permanent`. */
  readonly restart?: RestartType;
  /** Default `restart`. */
  readonly onFault?: FaultDirective;
  /** How long a graceful stop may take before the child is killed. Default 5000 ms. */
  readonly shutdownTimeoutMs?: number;
}

/** A container: its code's runtime plus supervision options. */
export interface ContainerSpec extends ChildOptions {
  readonly kind: 'container';
  /** Makes the runtime that runs the container's code. */
  readonly runtime: RuntimeFactory;
  /** Mailbox capacity; default the system's `mailboxCapacity`. */
  readonly mailboxCapacity?: number;
  /** An async handler that has not settled after this long makes the container unresponsive. Default 5000 ms. */
  readonly handlerTimeoutMs?: number;
  /** A start that has not become ready after this long makes the container unresponsive. Default 5000 ms. */
  readonly startTimeoutMs?: number;
  /** The runtime publishes from a worker thread: the system then puts its router queue in shared memory. */
  readonly publishesFromWorker?: boolean;
}

/** A supervisor and its children, started in order and stopped in reverse order. */
export interface SupervisorSpec extends ChildOptions {
  readonly kind: 'supervisor';
  /** Default `one-for-one`. */
  readonly strategy?: SupervisionStrategy;
  /** Restart intensity: more than this many restarts within `withinMs` and the supervisor fails. Default 3. */
  readonly maxRestarts?: number;
  /** Restart intensity window. Default 5000 ms. */
  readonly withinMs?: number;
  /** Backoff between restarts. */
  readonly backoff?: BackoffOptions;
  /** Containers and nested supervisors. */
  readonly children: readonly ChildSpec[];
}

/** A child of a supervisor. */
export type ChildSpec = ContainerSpec | SupervisorSpec;
