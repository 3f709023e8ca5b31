// Owns the fault plan's vocabulary: the faults a run injects, their triggers, the error of a plan that does not fit, and the records of what fired.
import type { ChildSpec } from '../spec.ts';
import type { SystemHooks } from '../system-hooks.ts';

/**
 * When a per-message fault fires. Messages are counted per fault, from 1, among those the
 * fault applies to (its container and topic) and that reach it: faults are tried in plan
 * order, and one that fires ends that message's delivery. With neither `nth` nor
 * `probability` it fires on every such message.
 */
export interface MessageTrigger {
  /** Fire on the nth such message only (1-based). */
  readonly nth?: number;
  /** Fire on each such message with this probability (0..1), drawn from the plan's seed. */
  readonly probability?: number;
  /** Fire at most this many times. Default: once with `nth`, else unlimited. */
  readonly times?: number;
}

/** The container's handler throws (`throw`) or never settles (`hang`) instead of running. */
export interface HandlerFault extends MessageTrigger {
  readonly kind: 'throw' | 'hang';
  readonly container: string;
  /** Only messages on this topic. Default any. */
  readonly topic?: string;
}

/** The container's instance dies, as if it crashed: at `atMs` after start, or on a message (that message is lost with it, a `handler-fault` dead letter). */
export interface KillFault extends MessageTrigger {
  readonly kind: 'kill';
  readonly container: string;
  /** Crash at this time (ms after the system started) instead of on a message. */
  readonly atMs?: number;
  /** Only messages on this topic. Default any. */
  readonly topic?: string;
}

/** Between router and mailbox: hold deliveries back by `ms` (a FIFO link: nothing overtakes). */
export interface DelayFault extends MessageTrigger {
  readonly kind: 'delay';
  /** Only deliveries to this container. Default any. */
  readonly container?: string;
  /** Only messages on this topic. Default any. */
  readonly topic?: string;
  readonly ms: number;
}

/** Between router and mailbox: drop deliveries; each becomes a dead letter with reason `dropped`. */
export interface DropFault extends MessageTrigger {
  readonly kind: 'drop';
  /** Only deliveries to this container. Default any. */
  readonly container?: string;
  /** Only messages on this topic. Default any. */
  readonly topic?: string;
}

/** At `atMs`, publish filler messages (from `system`) until the router queue refuses one. */
export interface FillQueueFault {
  readonly kind: 'fill-queue';
  readonly atMs: number;
  /** The filler's topic. Default `chaos/fill`. */
  readonly topic?: string;
}

/** The container's handler starts `ms` late: a slow subscriber, its mailbox filling meanwhile. */
export interface SlowFault extends MessageTrigger {
  readonly kind: 'slow';
  readonly container: string;
  readonly ms: number;
  /** Only messages on this topic. Default any. */
  readonly topic?: string;
}

/** The container's first `times` starts fail (a start fault each). */
export interface FailStartFault {
  readonly kind: 'fail-start';
  readonly container: string;
  readonly times: number;
}

/** At `atMs`, the supervisor fails as if its restart intensity were exceeded, and escalates. */
export interface CrashSupervisorFault {
  readonly kind: 'crash-supervisor';
  /** A nested supervisor's name, or the root's (default `root`). */
  readonly supervisor: string;
  readonly atMs: number;
}

/** One fault of a plan. */
export type Fault =
  | HandlerFault
  | KillFault
  | DelayFault
  | DropFault
  | FillQueueFault
  | SlowFault
  | FailStartFault
  | CrashSupervisorFault;

/** The kind of a fault. */
export type FaultKind = Fault['kind'];

/** Every fault kind, in the order the docs list them. */
export const faultKinds: readonly FaultKind[] = [
  'throw',
  'hang',
  'kill',
  'delay',
  'drop',
  'fill-queue',
  'slow',
  'fail-start',
  'crash-supervisor',
];

/**
 * The faults a run injects, and the seed of every random choice they make: the same plan, seed
 * and inputs give the same run (on a virtual clock).
 *
 * @example
 * const plan: FaultPlan = {
 *   seed: 7,
 *   faults: [
 *     { kind: 'throw', container: 'display', nth: 2 },
 *     { kind: 'drop', topic: 'sensors/temperature', probability: 0.1 },
 *   ],
 * };
 */
export interface FaultPlan {
  /** Seed of every random choice. Default: `OCRE_SEED` from the environment, else random (and printed on failure). */
  readonly seed?: number;
  readonly faults: readonly Fault[];
}

/** A plan that does not fit its system; `problems` has one `path: what is wrong` line each. */
export class FaultPlanError extends Error {
  override readonly name = 'FaultPlanError';
  /** Stable code. */
  readonly code = 'INVALID_FAULT_PLAN';

  /** @param problems - every problem found, each starting with its path in the plan */
  constructor(readonly problems: readonly string[]) {
    super(
      `invalid fault plan (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}):\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
}

/** One fault that fired (or found nothing to act on), in the order they happened. */
export interface FaultRecord {
  /** ms since the system started, on its clock. */
  readonly time: number;
  /** The fault's index in the plan. */
  readonly fault: number;
  readonly kind: FaultKind;
  /** The container, supervisor or topic it acted on. */
  readonly target: string;
  /** The message concerned, for per-message faults. */
  readonly mid?: bigint;
  /** What happened, in a few words. */
  readonly detail: string;
}

/**
 * A fault to inject while the system runs ({@link FaultInjection.inject}): per-message faults
 * arm on the container's next messages; `kill` and `crash-supervisor` act at once.
 */
export type LiveFault =
  | HandlerFault
  | SlowFault
  | Omit<KillFault, 'atMs' | 'nth' | 'probability' | 'times' | 'topic'>
  | Omit<CrashSupervisorFault, 'atMs'>;

/** A plan applied to a system's containers: what to give the system, and what fired. */
export interface FaultInjection {
  /** The seed every random choice came from: print it to replay the run. */
  readonly seed: number;
  /** The plan, with `seed` filled in. */
  readonly plan: FaultPlan;
  /** The faults that fired so far. */
  readonly fired: readonly FaultRecord[];
  /** The containers with their runtimes wrapped; give these to the system. */
  readonly containers: readonly ChildSpec[];
  /** The interceptor and timed faults; give these to the system as `hooks`. */
  readonly hooks: SystemHooks;
  /** `fault plan seed N: k faults fired (…)`, for failure messages. */
  describe(): string;
  /**
   * Inject `fault` now, through the same machinery as the plan's faults: it joins the plan
   * (a `kill` or `crash-supervisor` with the `atMs` it fired at), its firing is recorded in
   * `fired` and told to `onFired`. Per-message faults need the container wrapped: apply the
   * plan with `{ live: true }`.
   *
   * @returns the record of a fault that acted at once (`kill`, `crash-supervisor`); undefined
   *   for one armed on the next messages
   * @throws FaultPlanError for an unknown name, a container that was not wrapped, or a system
   *   not yet started
   * @example
   * const injection = injectFaults(options, { faults: [] }, { live: true });
   * // … once the system runs:
   * injection.inject({ kind: 'throw', container: 'display', nth: 1 }); // its next message throws
   * injection.inject({ kind: 'kill', container: 'logger' }); // crashes now
   */
  inject(fault: LiveFault): FaultRecord | undefined;
}
