// Owns the runtime interface: what a container actor needs from whatever executes the container's code (TypeScript or WebAssembly).
import type { OcreFacade, OcreLimits, OcreMessage, TopicMatchingMode } from '@ocre-ts/core';
import type { DeadLetterReason } from './dead-letter.ts';
import type { FaultPhase } from './events.ts';

/** A fault a runtime reports outside a handler call: its instance died, hung or could not start. */
export interface RuntimeFault {
  readonly phase: FaultPhase;
  readonly error: unknown;
  /** True when the instance stopped answering (a hang), not merely failed. */
  readonly unresponsive?: boolean;
  /** True when no restart can help (a malformed module): the supervisor fails the child at once. */
  readonly permanent?: boolean;
}

/** How a runtime that publishes from another thread reaches the router without a round trip. */
export interface RuntimeMessaging {
  /** The router's shared-memory queue (attach with core's `attachSharedQueue`); undefined when the system runs an in-process queue. */
  readonly sharedQueue: SharedArrayBuffer | undefined;
  /** The producer id to push with; the router credits accepted publishes to this container. */
  readonly producerId: number;
  /** The system's limits, for validating in the worker. */
  readonly limits: OcreLimits;
  /** The system's matching mode, for validating published topics in the worker. */
  readonly topicMatching: TopicMatchingMode;
  /**
   * Call once this container's worker thread has ended: if it died mid-publish holding the
   * shared queue's lock, the lock is freed and its half-written record rolled back (otherwise
   * every later publish in the system would fail). True when a lock was freed.
   */
  readonly releaseAbandonedLock?: () => boolean;
}

/** What a runtime is given when it starts an instance. */
export interface RuntimeHost {
  /** The container's name. */
  readonly name: string;
  /** The container's messaging facade (C shape and typed twin). */
  readonly api: OcreFacade;
  /** Report a fault that happened outside `deliver` (a trap in main, a dead worker). */
  fault(fault: RuntimeFault): void;
  /**
   * Report an exit with `code`. Without `ended`, the container's main returned and the instance
   * keeps handling mail (Ocre's model). With `ended`, the instance itself is gone (WASI
   * `proc_exit`, a TypeScript container's `context.exit`) and handles no more mail.
   * A non-zero code is an abnormal exit, a fault. Code 0 with `ended` is a normal exit: the
   * supervisor restarts a `permanent` child and leaves `transient` and `temporary` ones stopped.
   */
  exited(code: number, ended?: boolean): void;
  /** Shared-queue access for runtimes that publish from a worker thread. */
  readonly messaging: RuntimeMessaging;
  /** Count publishes refused inside a worker (they never reached the router); report in batches. */
  rejected(count: number): void;
  /** A line the container printed. */
  output(stream: 'stdout' | 'stderr', line: string): void;
  /**
   * Report the instance's own state and counters (a bridge's `connected`, `exported`, …): kept
   * as the container's `status` (in `containers()` and `metrics$`), and a `container.status`
   * event when `state` differs from the last one reported.
   */
  status?(state: string, counters: Readonly<Record<string, number>>): void;
  /**
   * Called during a synchronous `deliver`: the message in hand is not handled but becomes a dead
   * letter with `reason` (e.g. `bridge-outbox-full`), never silently lost. Ignored at other times.
   * Optional so hosts built by tests and older runtimes keep compiling; the system always sets it.
   */
  deadLetterCurrent?(reason: DeadLetterReason, error?: string): void;
  /**
   * Called during a synchronous `deliver`: the message in hand went into the instance's own event
   * queue (Ocre's current API, where the container polls for its events), so it is neither
   * handled nor a dead letter yet; the runtime ends it later with `settleQueued`. Ignored at
   * other times.
   */
  queuedCurrent?(): void;
  /** A virtual GPIO pin of the instance changed state: a `container.gpio` event. */
  gpioChanged?(port: number, pin: number, state: 0 | 1): void;
  /** The runtime accepts mail again (see `ContainerRuntime.acceptsMail`): run the container's turn. */
  wake?(): void;
  /**
   * A message handed over with `queuedCurrent` reached its end: the container took it (no
   * `reason`: counted delivered), or it became a dead letter with `reason`.
   */
  settleQueued?(
    message: OcreMessage,
    handler: string,
    reason?: DeadLetterReason,
    error?: string,
  ): void;
}

/**
 * How far a pipelined runtime's instance got through the deliveries it holds unsettled (oldest
 * first), read once it is gone or being taken down. From then on it starts none of them.
 */
export interface InFlightProgress {
  /** The oldest this many were handled (their completion may not have settled yet). */
  readonly completed: number;
  /** The oldest this many were started: `completed`, plus one if a handler was interrupted. The rest never ran and never will. */
  readonly started: number;
}

/**
 * Executes one container's code: starts an instance, runs handlers one at a time, stops it.
 * A fresh instance is started for every restart; a faulted instance is never re-entered.
 */
export interface ContainerRuntime {
  /**
   * Most deliveries the runtime takes before the first settles (default 1: one at a time). With
   * more, the container keeps them in its mailbox until they settle, and the runtime promises:
   * `deliver` returns a promise; its handlers run in call order and the promises settle in that
   * order; after one rejects, none after it is ever run (they stay in the mailbox for the next
   * instance, or `resume`); and {@link ContainerRuntime.inFlightProgress} says how far it got.
   */
  readonly maxInFlight?: number;
  /**
   * Pipelined runtimes (`maxInFlight` above 1): asked when the instance faulted, is killed or was
   * stopped, about the deliveries not settled yet. It must start none of them afterwards. The
   * container counts the completed ones handled, dead-letters the interrupted one, and keeps the
   * rest in its mailbox for the next instance. Without it, all unsettled ones count as interrupted.
   */
  inFlightProgress?(): InFlightProgress;
  /** Start a fresh instance; resolves once it is ready for mail, rejects if it failed to start. */
  start(host: RuntimeHost): Promise<void>;
  /**
   * Optional synchronous start: returns undefined when the instance is ready at once, a promise
   * (as `start`'s) when it went async; throwing is a start fault. With it, a container whose
   * start completes at once keeps its lifecycle as plain data (no xstate actor until needed).
   */
  startSync?(host: RuntimeHost): Promise<void> | undefined;
  /**
   * Run the handler `handlerName` on `message`. Returning normally (or resolving) means handled;
   * throwing (or rejecting) is a handler fault.
   */
  deliver(message: OcreMessage, handlerName: string): void | Promise<void>;
  /** Does the current instance export a handler by this name? */
  hasHandler(handlerName: string): boolean;
  /**
   * False while the runtime cannot take another delivery yet (the event queue of an Ocre
   * current-API instance is full): mail waits in the bounded mailbox until the runtime calls
   * `host.wake`. Absent means always true.
   */
  acceptsMail?(): boolean;
  /** Stop the instance; must settle within the container's stop timeout or it is killed. */
  stop(): Promise<void>;
  /**
   * Optional synchronous stop: returns undefined when the instance stopped at once, a promise (as
   * `stop`'s) when it went async. With it, a container whose lifecycle is still plain data stops
   * without its xstate actor being created (a system of 100k containers stops in one pass).
   */
  stopSync?(): Promise<void> | undefined;
  /** Stop the instance at once, abandoning any handler in progress. */
  kill(): void;
}

/** Makes a runtime for a container; called once per container, the runtime then lives across restarts. */
export type RuntimeFactory = () => ContainerRuntime;
