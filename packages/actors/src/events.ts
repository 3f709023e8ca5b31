// Owns the typed union of every lifecycle, supervision and delivery event a system emits on events$.
import type { DeadLetterReason } from './dead-letter.ts';
import type { SystemCounters } from './counters.ts';

/** Fields every event carries: its type and the system clock's time in ms since start. */
interface EventBase<TType extends string> {
  readonly type: TType;
  readonly time: number;
}

/** Where a container fault happened. */
export type FaultPhase = 'start' | 'handler' | 'runtime';

/** A container is starting a fresh instance; `attempt` counts starts, from 1. */
export interface ContainerStartingEvent extends EventBase<'container.starting'> {
  readonly container: string;
  readonly attempt: number;
}
/** A container's instance is up and handling mail. */
export interface ContainerRunningEvent extends EventBase<'container.running'> {
  readonly container: string;
}
/** A container's main returned (it keeps handling mail) or, with `ended`, its instance ended. */
export interface ContainerExitedEvent extends EventBase<'container.exited'> {
  readonly container: string;
  readonly code: number;
  /** True when the instance itself ended (it handles no more mail); absent when only main returned. */
  readonly ended?: boolean;
}
/** A container faulted: its handler threw or trapped, its start failed, or its runtime died. */
export interface ContainerFaultedEvent extends EventBase<'container.faulted'> {
  readonly container: string;
  readonly phase: FaultPhase;
  readonly error: string;
  /** The message being handled, for `handler` faults. */
  readonly mid?: bigint;
}
/** The supervisor is restarting a container after `delayMs` of backoff. */
export interface ContainerRestartingEvent extends EventBase<'container.restarting'> {
  readonly container: string;
  readonly attempt: number;
  readonly delayMs: number;
}
/** A container did not return from a handler or yield within its budget. */
export interface ContainerUnresponsiveEvent extends EventBase<'container.unresponsive'> {
  readonly container: string;
  readonly afterMs: number;
}
/** A container stopped; `reason` says who asked. */
export interface ContainerStoppedEvent extends EventBase<'container.stopped'> {
  readonly container: string;
  readonly reason: string;
}
/** A container is down for good: its supervisor will not restart it. */
export interface ContainerFailedEvent extends EventBase<'container.failed'> {
  readonly container: string;
  readonly reason: string;
}
/** A supervisor gave up (restart intensity exceeded or an `escalate` directive). */
export interface SupervisorEscalatedEvent extends EventBase<'supervisor.escalated'> {
  readonly supervisor: string;
  readonly child: string;
  readonly reason: string;
}
/** An accepted message ended as a dead letter. */
export interface MessageDeadLetteredEvent extends EventBase<'message.dead-lettered'> {
  readonly mid: bigint;
  readonly topic: string;
  readonly reason: DeadLetterReason;
  readonly container?: string;
}
/** A publish was refused because the router queue was full. */
export interface QueueFullEvent extends EventBase<'queue.full'> {
  readonly topic: string;
  readonly publisher: string;
  readonly capacity: number;
}
/** The system stopped; the last event, with the final counters. */
/** A container's runtime reported a new state of its own (a bridge's `connecting`, `connected`, `reconnecting`). */
export interface ContainerStatusEvent extends EventBase<'container.status'> {
  readonly container: string;
  readonly state: string;
  /** The runtime's own counters at that moment. */
  readonly counters: Readonly<Record<string, number>>;
}
/** A virtual GPIO pin of a container of Ocre's current API changed state (it set or toggled it). */
export interface ContainerGpioEvent extends EventBase<'container.gpio'> {
  readonly container: string;
  readonly port: number;
  readonly pin: number;
  readonly state: 0 | 1;
}
export interface SystemStoppedEvent extends EventBase<'system.stopped'> {
  readonly reason: string;
  /** True when the root supervisor gave up, false for a requested stop. */
  readonly failed: boolean;
  readonly counters: SystemCounters;
}

/** Every event `system.events$` emits. */
export type SystemEvent =
  | ContainerStartingEvent
  | ContainerRunningEvent
  | ContainerExitedEvent
  | ContainerFaultedEvent
  | ContainerRestartingEvent
  | ContainerUnresponsiveEvent
  | ContainerStoppedEvent
  | ContainerFailedEvent
  | SupervisorEscalatedEvent
  | MessageDeadLetteredEvent
  | QueueFullEvent
  | ContainerStatusEvent
  | ContainerGpioEvent
  | SystemStoppedEvent;

/** The `type` of every system event. */
export type SystemEventType = SystemEvent['type'];

/** An event before the bus stamps its time (distributive, so each member keeps its own fields). */
export type SystemEventInput = SystemEvent extends infer E
  ? E extends SystemEvent
    ? Omit<E, 'time'>
    : never
  : never;

/** Where a component emits system events (the system's bus). */
export interface EventSink {
  /** Stamp `event` with the clock's time and publish it on `events$`. */
  emit(event: SystemEventInput): void;
}
