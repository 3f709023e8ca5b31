// Owns what a container cell needs from its system (CellEnvironment) and what its lifecycle machine needs from the cell (ContainerDriver), so the cell and its machine do not import each other.
import type { AnyActorRef } from 'xstate';
import type { OcreLimits, OcreMessage, TopicMatchingMode } from '@ocre-ts/core';
import type { ChildLink } from '../child-link.ts';
import type { Clock } from '../clock.ts';
import type { DeadLetterReason } from '../dead-letter.ts';
import type { EventSink, FaultPhase, SystemEventInput } from '../events.ts';
import type { CellRouter, DownReason, RoutedCell } from '../router/types.ts';
import type { RuntimeFault } from '../runtime.ts';

/** Everything a cell needs from its system. */
export interface CellEnvironment {
  /** The root actor whose xstate system every container actor shares (`createActorRoot`). */
  readonly actorRoot: AnyActorRef;
  readonly router: CellRouter;
  readonly bus: EventSink;
  readonly clock: Clock;
  readonly limits: OcreLimits;
  readonly mailboxCapacity: number;
  readonly onOutput: (container: string, stream: 'stdout' | 'stderr', line: string) => void;
  readonly onWarning: (message: string) => void;
  readonly topicMatching: TopicMatchingMode;
  readonly sharedQueue: SharedArrayBuffer | undefined;
  /** Free the shared queue's lock if the thread of `producerId` died holding it. */
  readonly releaseAbandonedLock?: (producerId: number) => boolean;
}

/**
 * What a stop does with the container's mailbox:
 * - `down`: stopped for good; waiting and later mail becomes `container-down` dead letters;
 * - `shutdown`: the system is stopping; waiting and later mail becomes `shutdown` dead letters;
 * - `restart`: its supervisor is being restarted; mail keeps waiting for the next start.
 */
export type StopMode = 'down' | 'shutdown' | 'restart';

/** The `fault` event: the instance faulted. `reported` means `container.faulted` was already emitted. */
export interface FaultEvent {
  readonly type: 'fault';
  readonly phase: FaultPhase;
  readonly error: string;
  readonly unresponsive: boolean;
  readonly reported?: boolean;
  readonly permanent?: boolean;
}

/** Events the container lifecycle understands. */
export type ContainerEvent =
  /** Supervisor: start a fresh instance (first start, or after a restart's backoff). */
  | { type: 'start' }
  /** Cell or runtime: the instance faulted. */
  | FaultEvent
  /** Supervisor directive: keep the instance, drop the message, carry on. */
  | { type: 'resume' }
  /** Supervisor directive: take the instance down and wait for `start`. */
  | { type: 'restart'; attempt: number; delayMs: number }
  /** Supervisor or system: stop (for good unless `mode` is `restart`). Default mode `down`. */
  | { type: 'stop'; reason: string; mode?: StopMode }
  /** Supervisor: the container will not be restarted. */
  | { type: 'fail'; reason: string };

/** What the container lifecycle machine drives: the cell, seen through the calls its actions make. */
export interface ContainerDriver {
  /** The container's name. */
  readonly name: string;
  /** Emit a system event. */
  emit(event: SystemEventInput): void;
  /** Start a fresh instance with a fresh facade. */
  startInstance(): Promise<void>;
  /** Stop the current instance gracefully; a pending handler's message becomes a dead letter with `reason`. */
  stopInstance(reason: DownReason): Promise<void>;
  /** Stop the current instance at once. */
  killInstance(reason?: DownReason): void;
  /** Begin handling mail (entering `running`). */
  openMailbox(): void;
  /** Stop handling mail (leaving `running`); mail keeps queueing. */
  pauseMailbox(): void;
  /** The container is down: its mail, now and later, becomes dead letters with `reason`. */
  closeMailbox(reason: DownReason): void;
  /** Mail for this container queues again. */
  markUp(): void;
  /** Count a restart. */
  countRestart(): void;
  /** A fault moved the lifecycle: emit `container.faulted` unless already done, and tell the supervisor. */
  reportFault(fault: FaultEvent): void;
  /** The instance failed to start (init threw, the runtime rejected). */
  reportStartFault(error: unknown): void;
  /** The instance did not become ready within `afterMs`. */
  reportStartTimeout(afterMs: number): void;
}

/** The states a cell's plain lifecycle can hand over to the machine. */
export type AdoptableState = 'starting' | 'running' | 'stopping' | 'stopped';

/** Input of the container machine. */
export interface ContainerInput {
  readonly cell: ContainerDriver;
  readonly shutdownTimeoutMs: number;
  readonly startTimeoutMs?: number;
  /** Enter this state instead of `created`: a cell's plain lifecycle already did its entry. */
  readonly adopt?: AdoptableState;
  /** The attempt number the plain lifecycle reached. */
  readonly attempt?: number;
  /** With `adopt` `stopping` or `stopped`: the stop the plain lifecycle took. */
  readonly stop?: { readonly reason: string; readonly mode: StopMode };
}

/** What an instance's host calls back on its cell. */
export interface HostedCell extends RoutedCell {
  readonly name: string;
  /** Its producer id in the shared queue. */
  readonly producerId: number;
  /** The runtime, asked whether a handler exists. */
  readonly runtime: { hasHandler(name: string): boolean };
  /** True while `instance` is the current instance (reports of older ones are ignored). */
  isCurrent(instance: number): boolean;
  /** The runtime reported a fault outside a handler call. */
  runtimeFaulted(fault: RuntimeFault): void;
  /** The instance ended with `code`. */
  instanceEnded(code: number): void;
  /** The runtime reported its own state and counters. */
  reportStatus(state: string, counters: Readonly<Record<string, number>>): void;
  /** Its delivery bookkeeping, told per message (called directly: no hop through the cell). */
  readonly delivery: HostedDelivery;
  /** Emit a system event. */
  emit(event: SystemEventInput): void;
}

/** What an instance's host reports, per message, to its cell's delivery bookkeeping. */
export interface HostedDelivery {
  /** The runtime refuses the message it is being handed (only during a synchronous deliver). */
  refuseCurrent(reason: DeadLetterReason, error: string | undefined): void;
  /** The runtime put the message in hand into its own event queue (see `RuntimeHost.queuedCurrent`). */
  queueCurrent(): void;
  /** The runtime accepts mail again (see `RuntimeHost.wake`). */
  wakeTurn(): void;
  /** A queued message reached its end (see `RuntimeHost.settleQueued`). */
  settleQueued(
    message: OcreMessage,
    handler: string,
    reason: DeadLetterReason | undefined,
    error: string | undefined,
  ): void;
}

/** What a cell's fault bookkeeping reads and writes. */
export interface FaultingCell extends RoutedCell {
  /** Why the last fault happened. */
  lastError: string | undefined;
  /** Its supervisor, told when a fault moves the lifecycle. */
  readonly supervisor: ChildLink | undefined;
  /** Emit a system event. */
  emit(event: SystemEventInput): void;
  /** Send its lifecycle an event (a fault the cell noticed). */
  send(event: ContainerEvent): void;
}
