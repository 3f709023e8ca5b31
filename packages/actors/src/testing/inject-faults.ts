// Owns injectFaults: turning a seeded fault plan into wrapped container runtimes, a delivery interceptor and timed faults, for any system.
import { defaultRootName } from '../defaults.ts';
import type { ChildSpec } from '../spec.ts';
import type { OcreSystemOptions } from '../system/system-options.ts';
import { combineHooks } from './combine-hooks.ts';
import { checkFaultPlan } from './check-fault-plan.ts';
import { FaultPlanError } from './fault-plan.ts';
import type { FaultPlan } from './fault-plan.ts';
import { Injection } from './injection.ts';
import { resolveSeed } from './random.ts';
import type { FaultInjection, FaultRecord } from './fault-plan.ts';

/** Options of {@link injectFaults}. */
export interface InjectOptions {
  /** Overrides the plan's seed (e.g. from `--seed`). */
  readonly seed?: number;
  /** Told of each fault as it fires (the CLI prints them). */
  readonly onFired?: (record: FaultRecord) => void;
  /**
   * Let {@link FaultInjection.inject} reach every container while the system runs (a
   * dashboard's fault buttons), not only those the plan names. A container the plan does not
   * target keeps its own runtime, with nothing on its message path until a fault that acts on
   * messages (`throw`, `hang`, `slow`) is injected on it. Default false.
   */
  readonly live?: boolean;
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
    ? defaultRootName
    : ((target as OcreSystemOptions).supervisor?.name ?? defaultRootName);
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
