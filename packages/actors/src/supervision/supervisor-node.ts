// Owns a supervisor actor: its children, carrying out each decision (strategy, intensity, backoff) and ordered shutdown.
import { createActor, waitFor } from 'xstate';
import type { Actor } from 'xstate';
import { backoffDelay, resolveBackoff } from './backoff.ts';
import { childFault } from '../child-link.ts';
import type { ChildDown, ChildLink } from '../child-link.ts';
import type { TimerHandle } from '../clock.ts';
import type { ContainerCell } from '../container/container-cell.ts';
import type { StopMode } from '../container/types.ts';
import { defaultSupervisor } from '../defaults.ts';
import type { ResolvedBackoff } from '../defaults.ts';
import { RestartIntensity } from './restart-intensity.ts';
import type { SupervisionStrategy, SupervisorSpec } from '../spec.ts';
import { restartGroup } from './restart-group.ts';
import { decideChildDown, restartTypeOf } from './decide-child-down.ts';
import { failChild, isUp, stopChild, takeDown } from './child-moves.ts';
import { startInOrder } from './start-in-order.ts';
import type { OrderedStarter } from './start-in-order.ts';
import type { ChildRecord, SupervisorDriver, SupervisorEnvironment } from './types.ts';
import { supervisorMachine } from './supervisor-machine.ts';

/** A child of a supervisor node. */
type Child = ChildRecord<SupervisorNode>;

/**
 * A supervisor: starts its children in order, decides what a child going down means, restarts
 * with backoff within an intensity limit, and fails upward when that limit is exceeded.
 */
export class SupervisorNode implements ChildLink, SupervisorDriver {
  /** The supervisor's name. */
  readonly name: string;
  /** Its lifecycle actor. */
  readonly actor: Actor<typeof supervisorMachine>;
  /** Its parent, or the system for the root. */
  parent: ChildLink | undefined;
  private readonly children: Child[];
  private readonly strategy: SupervisionStrategy;
  private readonly intensity: RestartIntensity;
  private readonly backoff: ResolvedBackoff;
  private readonly timers = new Set<TimerHandle>();
  private restartIds = 0;
  /** What an ordered start of its children asks of it. */
  private readonly starter: OrderedStarter = {
    isRunning: () => this.actor.getSnapshot().matches('running'),
    now: () => this.env.clock.now(),
  };

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
    this.backoff = resolveBackoff(spec.backoff);
    this.children = spec.children.map((child) => {
      let cell: ContainerCell | undefined;
      let node: SupervisorNode | undefined;
      if (child.kind === 'container') {
        cell = env.cellFor(child);
        cell.supervisor = this;
      } else {
        node = new SupervisorNode(child, env);
        node.parent = this;
      }
      return {
        spec: child,
        cell,
        node,
        stopping: undefined,
        failures: 0,
        startedAt: 0,
        restarts: 0,
        pendingRestart: undefined,
        generation: 0,
      };
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

  /** Every supervisor in this tree, this one first. */
  nodes(): SupervisorNode[] {
    return [this, ...this.children.flatMap((child) => child.node?.nodes() ?? [])];
  }

  /** Start the tree under this supervisor. */
  start(): void {
    this.actor.send({ type: 'start' });
  }

  /** Settles when the latest start-in-order sequence of this supervisor has finished. */
  started: Promise<void> = Promise.resolve();

  /** Stop the tree under this supervisor, children in reverse start order; resolves when stopped. */
  async stop(reason: string, mode: StopMode): Promise<void> {
    this.actor.send({ type: 'stop', reason, mode });
    await waitFor(this.actor, (s) => s.matches('stopped') || s.matches('failed'), {
      timeout: Infinity,
    });
  }

  /** ChildLink: a child went down. */
  childDown(name: string, down: ChildDown): void {
    this.actor.send({ type: 'child.down', child: name, down });
  }

  // ---- called by the machine's actions ----

  /** Start every child in order, with a clean restart history (a fresh supervisor). */
  startChildren(): void {
    this.env.tracer?.supervisorStarted(this.name);
    this.intensity.reset();
    this.cancelRestarts();
    for (const child of this.children) {
      child.failures = 0;
      child.generation++;
      child.pendingRestart = undefined;
      child.stopping = undefined; // this supervisor was stopped: every child's stop has finished
    }
    void this.startInOrder(this.children);
  }

  /** Carry out the decision for child `name` going down. */
  decide(name: string, down: ChildDown): void {
    const index = this.children.findIndex((child) => child.spec.name === name);
    const child = this.children[index];
    if (child === undefined) return;
    const decision = decideChildDown(
      {
        name,
        restart: restartTypeOf(child),
        onFault: child.spec.onFault ?? 'restart',
        isContainer: child.cell !== undefined,
      },
      down,
      this.name,
    );
    switch (decision.kind) {
      case 'resume':
        child.cell?.send({ type: 'resume' });
        return;
      case 'stop':
        stopChild(child, decision.reason);
        return;
      case 'fail-child':
        failChild(child, decision.reason);
        return;
      case 'escalate':
        this.actor.send({ type: 'fail', child: name, reason: decision.reason });
        return;
      case 'restart':
        this.restart(index, child, down);
    }
  }

  /** Start again, in order, the children still waiting for restart `id`. */
  startGroup(id: number): void {
    const group = this.children.filter((child) => child.pendingRestart === id);
    for (const child of group) child.pendingRestart = undefined;
    void this.startInOrder(group);
  }

  /** Forget pending restarts (the supervisor is stopping, failing or starting afresh). */
  cancelRestarts(): void {
    for (const timer of this.timers) this.env.clock.clearTimeout(timer);
    this.timers.clear();
  }

  /** Stop every child in reverse start order, each within its own shutdown timeout. */
  async stopChildren(reason: string, mode: StopMode): Promise<void> {
    for (const child of [...this.children].reverse()) {
      child.generation++;
      child.pendingRestart = undefined;
      if (child.cell !== undefined) {
        child.cell.send({ type: 'stop', reason, mode });
        await child.cell.until((state) => state === 'stopped' || state === 'failed');
      } else if (child.node !== undefined) {
        await child.node.stop(reason, mode);
      }
    }
  }

  /** Fail now, as if restart intensity were exceeded (fault injection); false unless running. */
  crash(reason: string): boolean {
    if (!this.actor.getSnapshot().matches('running')) return false;
    this.actor.send({ type: 'fail', child: this.name, reason });
    return true;
  }

  /** Tell the parent this supervisor gave up, and why. */
  escalate(child: string, reason: string): void {
    this.env.bus.emit({ type: 'supervisor.escalated', supervisor: this.name, child, reason });
    this.parent?.childDown(
      this.name,
      childFault('runtime', `supervisor "${this.name}" gave up: ${reason}`),
    );
  }

  // ---- internals ----

  private restart(index: number, child: Child, down: ChildDown): void {
    const name = child.spec.name;
    const now = this.env.clock.now();
    if (!this.intensity.record(now)) {
      const what = down.normalExit ? 'normal exit' : `${down.phase} fault`;
      this.actor.send({
        type: 'fail',
        child: name,
        reason: `restart intensity exceeded: more than ${this.intensity.maxRestarts} restarts within ${this.intensity.withinMs} ms (last: "${name}", ${what}: ${down.error})`,
      });
      return;
    }
    const { maxRestarts, withinMs } = this.intensity;
    this.env.tracer?.restartDecided({
      supervisor: this.name,
      child: name,
      time: now,
      maxRestarts,
      withinMs,
    });
    if (now - child.startedAt >= this.backoff.resetAfterMs) child.failures = 0;
    child.failures++;
    const delayMs = backoffDelay(child.failures, this.backoff, this.env.random);
    const id = ++this.restartIds;
    const members = restartGroup(this.strategy, index, this.children.length);
    // Take the group down in reverse start order; it comes back in start order.
    for (let i = members.length - 1; i >= 0; i--) {
      const member = this.children[members[i] as number] as Child;
      if (member === child) takeDown(member, delayMs, id, this.name);
      else if (!isUp(member))
        continue; // down for good: a sibling's fault does not revive it
      else if (restartTypeOf(member) === 'temporary')
        stopChild(member, `temporary sibling of "${name}": not restarted`);
      else takeDown(member, delayMs, id, this.name);
    }
    if (delayMs === 0) {
      // No backoff: restart on the next microtask, not a clamped ~1 ms timer. A stop or a newer
      // restart in between makes it a no-op (restart.due only acts in running, for this id).
      queueMicrotask(() => this.actor.send({ type: 'restart.due', id }));
      return;
    }
    const timer = this.env.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.actor.send({ type: 'restart.due', id });
    }, delayMs);
    this.timers.add(timer);
  }

  /** Start `members` in order (see {@link startInOrder}); `started` settles when done. */
  private startInOrder(members: readonly Child[]): Promise<void> {
    this.started = startInOrder(members, this.starter);
    return this.started;
  }
}
