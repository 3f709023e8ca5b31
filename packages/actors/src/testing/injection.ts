// Owns one applied fault plan: the per-fault triggers, the wrapped runtimes, the delivery interceptor, the timed faults and the record of what fired.
import type { OcreMessage } from '@ocre-ts/core';
import type { Clock, TimerHandle } from '../clock.ts';
import type { ChildSpec, ContainerSpec } from '../spec.ts';
import type { DeliveryVerdict, SystemControls, SystemHooks } from '../system-hooks.ts';
import { checkFaultPlan } from './check-fault-plan.ts';
import type { PlanTargets } from './check-fault-plan.ts';
import { FaultPlanError } from './fault-plan.ts';
import type { DelayFault, DropFault, Fault, FaultPlan, MessageTrigger } from './fault-plan.ts';
import { FaultyRuntime } from './faulty-runtime.ts';
import { InPlaceControl } from './in-place-control.ts';
import type { ContainerRule } from './faulty-runtime.ts';
import { createRandom, deriveSeed } from './random.ts';
import { InjectedFault, Trigger } from './trigger.ts';
import type { FaultInjection, FaultRecord, LiveFault } from './fault-plan.ts';

interface RouterRule {
  readonly index: number;
  readonly fault: DelayFault | DropFault;
  readonly trigger: Trigger;
}

/**
 * A fault plan applied with its seed. `hooks` go to the system (their `started` callback
 * arms the timed faults on the system clock); `wrap` wraps the targeted containers' runtimes.
 * With `live`, every other container is controlled in place ({@link InPlaceControl}) so
 * {@link Injection.inject} can reach it, at no cost to its messages until a fault is armed.
 */
export class Injection {
  readonly fired: FaultRecord[] = [];
  readonly hooks: SystemHooks;
  private readonly runtimes = new Map<string, FaultyRuntime>();
  /** Live-only containers, controlled in place: a fault that acts on messages arms one. */
  private readonly inPlace = new Map<string, InPlaceControl>();
  /** Each wrapped container's rules; the runtime reads the same array, so live faults join it. */
  private readonly containerRules = new Map<string, ContainerRule[]>();
  private readonly timers = new Set<TimerHandle>();
  private controls: SystemControls | undefined;
  private origin = 0;
  private readonly triggers: Trigger[];
  /** The plan's faults, then every fault injected live. */
  private readonly faults: Fault[];

  constructor(
    plan: FaultPlan,
    readonly seed: number,
    private readonly onFired: ((record: FaultRecord) => void) | undefined,
    private readonly targets: PlanTargets,
    private readonly live: boolean,
  ) {
    this.faults = [...plan.faults];
    this.triggers = plan.faults.map(
      (fault, index) => new Trigger(fault as MessageTrigger, createRandom(deriveSeed(seed, index))),
    );
    const routerRules = this.rulesOf(
      (fault): fault is DelayFault | DropFault => fault.kind === 'delay' || fault.kind === 'drop',
    );
    this.hooks = {
      ...(routerRules.length === 0
        ? {}
        : { intercept: (message, container) => this.intercept(routerRules, message, container) }),
      started: (controls) => this.start(controls),
      stopping: () => this.cancelTimers(),
    };
  }

  result(containers: readonly ChildSpec[]): FaultInjection {
    const faults = this.faults;
    const seed = this.seed;
    return {
      seed,
      get plan(): FaultPlan {
        return { seed, faults: [...faults] };
      },
      fired: this.fired,
      containers,
      hooks: this.hooks,
      describe: () => this.describe(),
      inject: (fault) => this.inject(fault),
    };
  }

  /**
   * Add a fault while the system runs: `throw`, `hang` and `slow` arm on the container's next
   * messages; `kill` and `crash-supervisor` act at once and are recorded in the plan with the
   * `atMs` they fired at.
   */
  inject(fault: LiveFault): FaultRecord | undefined {
    const now = this.controls === undefined ? 0 : this.controls.clock.now() - this.origin;
    const planned: Fault =
      fault.kind === 'kill' || fault.kind === 'crash-supervisor'
        ? { ...fault, atMs: Math.max(0, Math.round(now)) }
        : fault;
    const at = `live[${this.faults.length}]`;
    const problems = checkFaultPlan({ faults: [planned] }, this.targets).map((p) =>
      p.replace('faults[0]', at),
    );
    if (this.controls === undefined) problems.push(`${at}: the system has not started yet`);
    if (planned.kind !== 'crash-supervisor' && !this.containerRules.has(planned.container)) {
      problems.push(
        `${at}.container: "${planned.container}" was not wrapped; apply the plan with { live: true }`,
      );
    }
    if (problems.length > 0) throw new FaultPlanError(problems);
    const index = this.faults.push(planned) - 1;
    const trigger = new Trigger(
      planned as MessageTrigger,
      createRandom(deriveSeed(this.seed, index)),
    );
    this.triggers.push(trigger);
    if (planned.kind === 'kill' || planned.kind === 'crash-supervisor') {
      const before = this.fired.length;
      this.timed(index, planned);
      return this.fired[before];
    }
    this.containerRules.get(planned.container)?.push({ index, fault: planned, trigger });
    this.inPlace.get(planned.container)?.arm();
    return undefined;
  }

  /** The specs with each targeted container's runtime wrapped. */
  wrap(specs: readonly ChildSpec[]): ChildSpec[] {
    return specs.map((spec) =>
      spec.kind === 'supervisor'
        ? { ...spec, children: this.wrap(spec.children) }
        : this.wrapOne(spec),
    );
  }

  private wrapOne(spec: ContainerSpec): ContainerSpec {
    const rules = this.rulesOf(
      (fault): fault is ContainerRule['fault'] =>
        'container' in fault &&
        fault.container === spec.name &&
        fault.kind !== 'delay' &&
        fault.kind !== 'drop',
    );
    if (rules.length === 0 && !this.live) return spec;
    this.containerRules.set(spec.name, rules);
    const context = {
      clock: () => this.clock(),
      fired: (rule: ContainerRule, detail: string, mid?: bigint) =>
        this.record(rule.index, spec.name, detail, mid),
    };
    return {
      ...spec,
      runtime: () => {
        const inner = spec.runtime();
        // Untargeted (live only): keep the container's own runtime, nothing on its message path.
        if (rules.length === 0 && InPlaceControl.fits(inner)) {
          this.inPlace.set(spec.name, new InPlaceControl(inner, rules, context));
          return inner;
        }
        const runtime = new FaultyRuntime(inner, rules, context);
        this.runtimes.set(spec.name, runtime);
        return runtime;
      },
    };
  }

  private rulesOf<TFault extends Fault>(
    select: (fault: Fault) => fault is TFault,
  ): { index: number; fault: TFault; trigger: Trigger }[] {
    return this.faults.flatMap((fault, index) =>
      select(fault) ? [{ index, fault, trigger: this.triggers[index] as Trigger }] : [],
    );
  }

  private intercept(
    rules: readonly RouterRule[],
    message: OcreMessage,
    container: string,
  ): DeliveryVerdict {
    for (const { index, fault, trigger } of rules) {
      if (fault.container !== undefined && fault.container !== container) continue;
      if (fault.topic !== undefined && fault.topic !== message.topic) continue;
      if (!trigger.next()) continue;
      const detail =
        fault.kind === 'drop'
          ? `dropped message ${message.mid}`
          : `held message ${message.mid} back ${fault.ms} ms`;
      this.record(index, container, detail, message.mid);
      return fault.kind === 'drop' ? 'drop' : fault.ms;
    }
    return 'deliver';
  }

  private start(controls: SystemControls): void {
    this.controls = controls;
    this.origin = controls.clock.now();
    this.faults.forEach((fault, index) => {
      if (fault.kind === 'fill-queue' || fault.kind === 'crash-supervisor') {
        this.at(fault.atMs, () => this.timed(index, fault));
      } else if (fault.kind === 'kill' && fault.atMs !== undefined) {
        this.at(fault.atMs, () => this.timed(index, fault));
      }
    });
  }

  private timed(index: number, fault: Fault): void {
    const controls = this.controls as SystemControls;
    const what = (target: string, detail: string) => this.record(index, target, detail);
    switch (fault.kind) {
      case 'kill': {
        const crashed = `crashed at ${fault.atMs ?? 0} ms`;
        const runtime = this.runtimes.get(fault.container);
        const done =
          runtime === undefined
            ? controls.crashContainer(
                fault.container,
                () => new InjectedFault(what(fault.container, crashed)),
              )
            : runtime.running && runtime.crash(what(fault.container, crashed));
        if (!done) what(fault.container, 'not running: nothing to kill');
        return;
      }
      case 'crash-supervisor': {
        const reason = this.errorText(index, `supervisor "${fault.supervisor}" crashed`);
        const crashed = controls.crashSupervisor(fault.supervisor, reason);
        what(fault.supervisor, crashed ? 'crashed' : 'not running: nothing to crash');
        return;
      }
      case 'fill-queue': {
        const topic = fault.topic ?? 'chaos/fill';
        let accepted = 0;
        while (accepted < 1_000_000 && controls.publish(topic, 'text/plain', 'fill').ok) accepted++;
        what(topic, `published ${accepted} filler messages; the router queue is full`);
        return;
      }
      default:
    }
  }

  private at(atMs: number, action: () => void): void {
    const clock = this.clock();
    const timer = clock.setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, atMs);
    this.timers.add(timer);
  }

  private cancelTimers(): void {
    for (const timer of this.timers) this.clock().clearTimeout(timer);
    this.timers.clear();
  }

  private clock(): Clock {
    if (this.controls === undefined)
      throw new Error('the fault injection is not attached: pass its hooks to the system');
    return this.controls.clock;
  }

  private errorText(index: number, detail: string): string {
    const kind = (this.faults[index] as Fault).kind;
    return `injected ${kind}: ${detail} (faults[${index}], seed ${this.seed})`;
  }

  /** Record a fired fault; returns the error text for it. */
  private record(index: number, target: string, detail: string, mid?: bigint): string {
    const kind = (this.faults[index] as Fault).kind;
    const time = this.controls === undefined ? 0 : this.controls.clock.now() - this.origin;
    const record: FaultRecord = {
      time,
      fault: index,
      kind,
      target,
      ...(mid === undefined ? {} : { mid }),
      detail,
    };
    this.fired.push(record);
    this.onFired?.(record);
    return this.errorText(index, `${target} ${detail}`);
  }

  private describe(): string {
    const counts = new Map<string, number>();
    for (const { kind } of this.fired) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    const what = [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
    return `fault plan seed ${this.seed}: ${this.fired.length} faults fired${what === '' ? '' : ` (${what})`}; replay with seed ${this.seed} (OCRE_SEED=${this.seed})`;
  }
}
