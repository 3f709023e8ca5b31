// Owns how a supervisor sees each child (its record: restarts, backoff failures, pending restart) and what a supervisor needs from its system.
import type { Clock } from './clock.ts';
import type { ContainerCell } from './container-cell.ts';
import type { ChildSpec, RestartType } from './spec.ts';
import type { SupervisorNode } from './supervisor.ts';
import type { SystemBus } from './system-bus.ts';
import type { SystemTracer } from './system-hooks.ts';

/** One child as its supervisor sees it. */
export interface ChildRecord {
  readonly spec: ChildSpec;
  readonly cell?: ContainerCell;
  readonly node?: SupervisorNode;
  /** A nested supervisor's stop in progress, awaited before it starts again. */
  stopping?: Promise<void>;
  /** Consecutive restarts without a healthy period, for backoff. */
  failures: number;
  /** When it was last started. */
  startedAt: number;
  /** Restarts so far. */
  restarts: number;
  /** The restart (by id) whose backoff it waits for, if any. */
  pendingRestart?: number;
  /** Bumped whenever it is taken down, stopped or failed, so a stale deferred start is dropped. */
  generation: number;
}

/** What a supervisor needs from its system. */
export interface SupervisorEnvironment {
  readonly clock: Clock;
  readonly bus: SystemBus;
  readonly random: () => number;
  /** Told of every supervisor start and restart decision, when set. */
  readonly tracer: SystemTracer | undefined;
  /** The cell of a container spec, made by the system. */
  readonly cellFor: (spec: ChildSpec & { kind: 'container' }) => ContainerCell;
}

/** Defaults of a supervisor spec: one-for-one, at most 3 restarts within 5 s. */
export const defaultSupervisor = Object.freeze({
  strategy: 'one-for-one',
  maxRestarts: 3,
  withinMs: 5000,
});

/** A child's restart type, defaulted. */
export const restartTypeOf = (child: ChildRecord): RestartType => child.spec.restart ?? 'permanent';
