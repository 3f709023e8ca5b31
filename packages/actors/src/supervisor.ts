// Owns a supervisor actor: its children, the decision taken on each fault (directive, restart type, strategy, intensity, backoff) and ordered shutdown.
import { createActor, waitFor } from 'xstate';
import type { Actor } from 'xstate';
import type { Clock, TimerHandle } from './clock.ts';
import { backoffDelay, defaultBackoff } from './backoff.ts';
import type { ResolvedBackoff } from './backoff.ts';
import type { ChildLink, ContainerCell } from './container-cell.ts';
import type { FaultPhase } from './events.ts';
import { RestartIntensity } from './intensity.ts';
import type { ChildSpec, SupervisionStrategy, SupervisorSpec } from './spec.ts';
import { restartGroup } from './strategy.ts';
import { supervisorMachine } from './supervisor-machine.ts';
import type { SystemBus } from './system-bus.ts';

/** One child as its supervisor sees it. */
interface ChildRecord {
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
}

/** What a supervisor needs from its system. */
export interface SupervisorEnvironment {
  readonly clock: Clock;
  readonly bus: SystemBus;
  readonly random: () => number;
  /** The cell of a container spec, made by the system. */
  readonly cellFor: (spec: ChildSpec & { kind: 'container' }) => ContainerCell;
}

/** Defaults of a supervisor spec: one-for-one, at most 3 restarts within 5 s. */
export const defaultSupervisor = Object.freeze({
  strategy: 'one-for-one',
  maxRestarts: 3,
  withinMs: 5000,
});

/**
 * A supervisor: starts its children in order, decides what a child's fault means, restarts
 * with backoff within an intensity limit, and fails upward when that limit is exceeded.
 */
export class SupervisorNode implements ChildLink {
  /** The supervisor's name. */
  readonly name: string;
  /** Its lifecycle actor. */
  readonly actor: Actor<typeof supervisorMachine>;
  /** Its parent, or the system for the root. */
  parent: ChildLink | undefined;
  private readonly children: ChildRecord[];
  private readonly strategy: SupervisionStrategy;
  private readonly intensity: RestartIntensity;
  private readonly backoff: ResolvedBackoff;
  private readonly timers = new Set<TimerHandle>();

  /**
   * @param spec - the supervisor's spec (validated by the system)
   * @param env - clock, bus, randomness and the cell factory
   */
  constructor(
    readonly spec: SupervisorSpec,
    private readonly env: SupervisorEnvironment,
  ) {
    this.name = spec.name;
    this.strategy = spec.strategy ?? defaultSupervisor.strategy;
    this.intensity = new RestartIntensity(
      spec.maxRestarts ?? defaultSupervisor.maxRestarts,
      spec.withinMs ?? defaultSupervisor.withinMs,
    );
    this.backoff = { ...defaultBackoff, ...spec.backoff };
    this.children = spec.children.map((child) => {
      if (child.kind === 'container') {
        const cell = env.cellFor(child);
        cell.supervisor = this;
        return { spec: child, cell, failures: 0, startedAt: 0, restarts: 0 };
      }
      const node = new SupervisorNode(child, env);
      node.parent = this;
      return { spec: child, node, failures: 0, startedAt: 0, restarts: 0 };
    });
    this.actor = createActor(supervisorMachine, { input: { node: this }, clock: env.clock });
    this.actor.start();
  }

  /** The lifecycle state's name. */
  get state(): string {
    return String(this.actor.getSnapshot().value);
  }

  /** Every container cell under this supervisor, depth first in start order. */
  cells(): ContainerCell[] {
    return this.children.flatMap((child) =>
      child.cell !== undefined ? [child.cell] : (child.node?.cells() ?? []),
    );
  }

  /** Start the tree under this supervisor. */
  start(): void {
    this.actor.send({ type: 'start' });
  }

  /** Stop the tree under this supervisor, children in reverse start order; resolves when stopped. */
  async stop(reason: string, shutdown: boolean): Promise<void> {
    this.actor.send({ type: 'stop', reason, shutdown });
    await waitFor(
      this.actor,
      (snapshot) => snapshot.matches('stopped') || snapshot.matches('failed'),
      {
        timeout: Infinity,
      },
    );
  }

  /** ChildLink: a child faulted. */
  childFaulted(name: string, phase: FaultPhase, unresponsive: boolean, permanent = false): void {
    this.actor.send({ type: 'child.faulted', child: name, phase, unresponsive, permanent });
  }

  // ---- called by the machine's actions ----

  /** Start every child in order. */
  startChildren(): void {
    this.intensity.reset();
    const now = this.env.clock.now();
    for (const child of this.children) {
      child.startedAt = now;
      child.failures = 0;
      this.startChild(child);
    }
  }

  /** The decision for a fault of child `name`. */
  decide(name: string, phase: FaultPhase, unresponsive: boolean, permanent: boolean): void {
    const index = this.children.findIndex((child) => child.spec.name === name);
    const child = this.children[index];
    if (child === undefined) return;
    if (permanent) {
      this.failChild(child, `cannot be restarted: ${child.cell?.lastError ?? 'permanent fault'}`);
      return;
    }
    const directive = child.spec.onFault ?? 'restart';
    const canResume = phase === 'handler' && !unresponsive && child.cell !== undefined;
    if (directive === 'resume' && canResume) {
      child.cell?.send({ type: 'resume' });
      return;
    }
    if (directive === 'stop') {
      this.stopChild(child, `stopped by its supervisor "${this.name}" (directive: stop)`);
      return;
    }
    if (directive === 'escalate') {
      this.actor.send({
        type: 'fail',
        child: name,
        reason: `child "${name}" faulted and its directive is escalate`,
      });
      return;
    }
    if ((child.spec.restart ?? 'permanent') === 'temporary') {
      this.failChild(child, 'temporary child: not restarted');
      return;
    }
    const now = this.env.clock.now();
    if (!this.intensity.record(now)) {
      this.actor.send({
        type: 'fail',
        child: name,
        reason: `restart intensity exceeded: more than ${this.intensity.maxRestarts} restarts within ${this.intensity.withinMs} ms (last: "${name}", ${phase} fault${child.cell?.lastError === undefined ? '' : `: ${child.cell.lastError}`})`,
      });
      return;
    }
    if (now - child.startedAt >= this.backoff.resetAfterMs) child.failures = 0;
    child.failures++;
    const delayMs = backoffDelay(child.failures, this.backoff, this.env.random);
    const members = restartGroup(this.strategy, index, this.children.length).map(
      (i) => this.children[i] as ChildRecord,
    );
    // Temporary siblings go down with the group but are never started again (as in OTP).
    const group = members.filter((member) => (member.spec.restart ?? 'permanent') !== 'temporary');
    for (const member of [...members].reverse()) {
      if (group.includes(member)) this.takeDown(member, delayMs);
      else if (this.isUp(member))
        this.stopChild(member, `temporary sibling of "${name}": not restarted`);
    }
    const timer = this.env.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.actor.send({ type: 'restart.due', group: group.map((member) => member.spec.name) });
    }, delayMs);
    this.timers.add(timer);
  }

  /** Start again, in order, the children of a restart group whose backoff elapsed. */
  startGroup(names: readonly string[]): void {
    const now = this.env.clock.now();
    for (const child of this.children) {
      if (!names.includes(child.spec.name)) continue;
      child.startedAt = now;
      this.startChild(child);
    }
  }

  /** Forget pending restarts (the supervisor is stopping or failing). */
  cancelRestarts(): void {
    for (const timer of this.timers) this.env.clock.clearTimeout(timer);
    this.timers.clear();
  }

  /** Stop every child in reverse start order, each within its own shutdown timeout. */
  async stopChildren(reason: string, shutdown: boolean): Promise<void> {
    for (const child of [...this.children].reverse()) {
      if (child.cell !== undefined) {
        child.cell.send({ type: 'stop', reason, shutdown });
        await waitFor(child.cell.actor, (s) => s.matches('stopped') || s.matches('failed'), {
          timeout: Infinity,
        });
      } else if (child.node !== undefined) {
        await child.node.stop(reason, shutdown);
      }
    }
  }

  /** Tell the parent this supervisor gave up. */
  escalate(child: string, reason: string): void {
    this.env.bus.emit({ type: 'supervisor.escalated', supervisor: this.name, child, reason });
    this.parent?.childFaulted(this.name, 'runtime', false);
  }

  /** Why this supervisor failed, once it has. */
  get failure(): { child: string; reason: string } | undefined {
    const snapshot = this.actor.getSnapshot();
    return snapshot.matches('failed')
      ? { child: snapshot.context.child, reason: snapshot.context.reason }
      : undefined;
  }

  // ---- internals ----

  private startChild(child: ChildRecord): void {
    if (child.cell !== undefined) {
      child.cell.send({ type: 'start' });
    } else if (child.node !== undefined) {
      const node = child.node;
      if (child.stopping === undefined) node.start();
      else void child.stopping.then(() => node.start());
      delete child.stopping;
    }
  }

  private takeDown(child: ChildRecord, delayMs: number): void {
    child.restarts++;
    if (child.cell !== undefined) {
      child.cell.send({ type: 'restart', attempt: child.restarts, delayMs });
    } else if (child.node !== undefined) {
      child.stopping = child.node.stop(`restarting under "${this.name}"`, false);
    }
  }

  private stopChild(child: ChildRecord, reason: string): void {
    if (child.cell !== undefined) child.cell.send({ type: 'stop', reason });
    else void child.node?.stop(reason, false);
  }

  private failChild(child: ChildRecord, reason: string): void {
    if (child.cell !== undefined) child.cell.send({ type: 'fail', reason });
    else void child.node?.stop(reason, false);
  }

  private isUp(child: ChildRecord): boolean {
    const state = child.cell?.state ?? child.node?.state;
    return state !== 'stopped' && state !== 'failed';
  }
}
