// Owns injectFaults: turning a seeded fault plan into wrapped container runtimes, a delivery interceptor and timed faults, for any system.
import type { ChildSpec } from '../spec.ts';
import type { SystemHooks } from '../system-hooks.ts';
import type { OcreSystemOptions } from '../system-options.ts';
import { combineHooks } from './combine-hooks.ts';
import { checkFaultPlan, FaultPlanError } from './fault-plan.ts';
import type {
  CrashSupervisorFault,
  FaultKind,
  FaultPlan,
  HandlerFault,
  KillFault,
  SlowFault,
} from './fault-plan.ts';
import { Injection } from './injection.ts';
import { resolveSeed } from './random.ts';

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

/** Options of {@link injectFaults}. */
export interface InjectOptions {
  /** Overrides the plan's seed (e.g. from `--seed`). */
  readonly seed?: number;
  /** Told of each fault as it fires (the CLI prints them). */
  readonly onFired?: (record: FaultRecord) => void;
  /**
   * Wrap every container, not only those the plan names, so that
   * {@link FaultInjection.inject} can reach any of them while the system runs (a dashboard's
   * fault buttons). Default false: untargeted containers run unwrapped.
   */
  readonly live?: boolean;
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

/**
 * Apply a seeded fault plan to a system. Given system options, returns them with every
 * targeted container's runtime wrapped and the hooks set; given a list of specs, returns the
 * wrapped specs and the hooks to pass as the system's `hooks`. Works for any runtime
 * (TypeScript, WebAssembly): faults act at the runtime and router boundaries.
 *
 * @param target - system options, or the containers (and nested supervisors) of a system
 * @param plan - the faults; see {@link FaultPlan}
 * @throws FaultPlanError when the plan is malformed or names an unknown container or supervisor
 * @example
 * const injection = injectFaults(
 *   { containers: [sensor, display] },
 *   { seed: 1, faults: [{ kind: 'throw', container: 'display', nth: 2 }] },
 * );
 * const system = createOcreSystem(injection.options);
 */
export function injectFaults(
  target: OcreSystemOptions,
  plan: FaultPlan,
  options?: InjectOptions,
): FaultInjection & { readonly options: OcreSystemOptions };
export function injectFaults(
  target: readonly ChildSpec[],
  plan: FaultPlan,
  options?: InjectOptions,
): FaultInjection;
export function injectFaults(
  target: OcreSystemOptions | readonly ChildSpec[],
  plan: FaultPlan,
  options: InjectOptions = {},
): FaultInjection & { readonly options?: OcreSystemOptions } {
  const specs = Array.isArray(target)
    ? (target as readonly ChildSpec[])
    : (target as OcreSystemOptions).containers;
  const rootName = Array.isArray(target)
    ? 'root'
    : ((target as OcreSystemOptions).supervisor?.name ?? 'root');
  const containers: string[] = [];
  const supervisors: string[] = [rootName];
  collectNames(specs, containers, supervisors);
  const problems = checkFaultPlan(plan, { containers, supervisors });
  if (problems.length > 0) throw new FaultPlanError(problems);
  const injection = new Injection(
    plan,
    resolveSeed(options.seed, plan.seed),
    options.onFired,
    { containers, supervisors },
    options.live === true,
  );
  const wrapped = injection.wrap(specs);
  if (Array.isArray(target)) return injection.result(wrapped);
  const systemOptions = target as OcreSystemOptions;
  // Assign rather than spread: `plan` is a getter that must stay live.
  return Object.assign(injection.result(wrapped), {
    options: {
      ...systemOptions,
      containers: wrapped,
      hooks: combineHooks(systemOptions.hooks, injection.hooks),
    },
  });
}

function collectNames(specs: readonly ChildSpec[], containers: string[], supervisors: string[]) {
  for (const spec of specs) {
    if (spec.kind === 'container') containers.push(spec.name);
    else {
      supervisors.push(spec.name);
      collectNames(spec.children, containers, supervisors);
    }
  }
}
