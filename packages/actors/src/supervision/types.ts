// Owns the supervision vocabulary: the events a supervisor understands, what its machine drives (SupervisorDriver), how it sees each child and what it needs from its system.
import type { ChildDown } from '../child-link.ts';
import type { Clock } from '../clock.ts';
import type { ContainerCell } from '../container/container-cell.ts';
import type { StopMode } from '../container/types.ts';
import type { EventSink } from '../events.ts';
import type { ChildSpec } from '../spec.ts';
import type { SystemTracer } from '../system-hooks.ts';

/** Events a supervisor understands. */
export type SupervisorEvent =
  /** Start every child in order. */
  | { type: 'start' }
  /** A child went down (fault, hang, normal exit, nested supervisor gave up) and waits for a decision. */
  | { type: 'child.down'; child: string; down: ChildDown }
  /** The backoff of restart `id` elapsed: start the children waiting for it, in order. */
  | { type: 'restart.due'; id: number }
  /** Stop every child in reverse order, then stop. */
  | { type: 'stop'; reason: string; mode: StopMode }
  /** Give up: stop the children and escalate to the parent. */
  | { type: 'fail'; child: string; reason: string };

/** What the supervisor machine drives: the node, seen through the calls its actions make. */
export interface SupervisorDriver {
  /** The supervisor's name. */
  readonly name: string;
  /** Start every child in order, with a clean restart history. */
  startChildren(): void;
  /** Carry out the decision for child `name` going down. */
  decide(name: string, down: ChildDown): void;
  /** Start again, in order, the children still waiting for restart `id`. */
  startGroup(id: number): void;
  /** Forget pending restarts. */
  cancelRestarts(): void;
  /** Stop every child in reverse start order. */
  stopChildren(reason: string, mode: StopMode): Promise<void>;
  /** Tell the parent this supervisor gave up, and why. */
  escalate(child: string, reason: string): void;
}

/**
 * One child as its supervisor sees it; `TNode` is the nested supervisor's type. Every field is
 * always present (cleared to undefined, never deleted) so all records share one object shape.
 */
export interface ChildRecord<TNode> {
  readonly spec: ChildSpec;
  readonly cell: ContainerCell | undefined;
  readonly node: TNode | undefined;
  /** A nested supervisor's stop in progress, awaited before it starts again. */
  stopping: Promise<void> | undefined;
  /** Consecutive restarts without a healthy period, for backoff. */
  failures: number;
  /** When it was last started. */
  startedAt: number;
  /** Restarts so far. */
  restarts: number;
  /** The restart (by id) whose backoff it waits for, if any. */
  pendingRestart: number | undefined;
  /** Bumped whenever it is taken down, stopped or failed, so a stale deferred start is dropped. */
  generation: number;
}

/** A nested supervisor, as its parent starts, stops and watches it. */
export interface NestedSupervisor {
  /** Its lifecycle state's name. */
  readonly state: string;
  /** Settles when its latest start-in-order sequence has finished. */
  readonly started: Promise<void>;
  /** Start the tree under it. */
  start(): void;
  /** Stop the tree under it; resolves when stopped. */
  stop(reason: string, mode: StopMode): Promise<void>;
}

/** What a supervisor needs from its system. */
export interface SupervisorEnvironment {
  readonly clock: Clock;
  readonly bus: EventSink;
  readonly random: () => number;
  /** Told of every supervisor start and restart decision, when set. */
  readonly tracer: SystemTracer | undefined;
  /** The cell of a container spec, made by the system. */
  readonly cellFor: (spec: ChildSpec & { kind: 'container' }) => ContainerCell;
}
