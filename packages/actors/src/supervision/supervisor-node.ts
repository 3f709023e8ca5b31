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
        this.stopChild(child, decision.reason);
        return;
      case 'fail-child':
        this.failChild(child, decision.reason);
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
      if (member === child) this.takeDown(member, delayMs, id);
      else if (!this.isUp(member))
        continue; // down for good: a sibling's fault does not revive it
      else if (restartTypeOf(member) === 'temporary')
        this.stopChild(member, `temporary sibling of "${name}": not restarted`);
      else this.takeDown(member, delayMs, id);
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

  /**
   * Start `members` one after another, as OTP does: each child's start (its init, or a nested
   * supervisor's whole start) finishes before the next begins, so a subscriber listed before a
   * publisher is subscribed before the publisher's first message. A member taken down or stopped
   * meanwhile (its generation moved on) is skipped.
   */
  private startInOrder(members: readonly Child[]): Promise<void> {
    const generations = members.map((member) => member.generation);
    const run = async (): Promise<void> => {
      // Called from the machine's own transition: let it settle into `running` first.
      await Promise.resolve();
      for (let i = 0; i < members.length; i++) {
        const member = members[i] as Child;
        if (!this.actor.getSnapshot().matches('running')) return;
        if (member.generation !== generations[i]) continue;
        if (member.stopping !== undefined) {
          await member.stopping;
          member.stopping = undefined;
          if (!this.actor.getSnapshot().matches('running')) return;
          if (member.generation !== generations[i]) continue;
        }
        member.startedAt = this.env.clock.now();
        if (member.cell !== undefined) {
          member.cell.send({ type: 'start' });
          await member.cell.until((state) => state !== 'starting');
        } else if (member.node !== undefined) {
          member.node.start();
          await member.node.started;
        }
      }
    };
    this.started = run();
    return this.started;
  }

  private takeDown(child: Child, delayMs: number, id: number): void {
    child.restarts++;
    child.generation++;
    child.pendingRestart = id;
    if (child.cell !== undefined) {
      child.cell.send({ type: 'restart', attempt: child.restarts, delayMs });
    } else if (child.node !== undefined) {
      const stopping = child.node.stop(`restarting under "${this.name}"`, 'restart');
      child.stopping = stopping;
      void stopping.then(() => {
        if (child.stopping === stopping) child.stopping = undefined;
      });
    }
  }

  private stopChild(child: Child, reason: string): void {
    child.generation++;
    child.pendingRestart = undefined;
    if (child.cell !== undefined) child.cell.send({ type: 'stop', reason, mode: 'down' });
    else void child.node?.stop(reason, 'down');
  }

  private failChild(child: Child, reason: string): void {
    child.generation++;
    child.pendingRestart = undefined;
    if (child.cell !== undefined) child.cell.send({ type: 'fail', reason });
    else void child.node?.stop(reason, 'down');
  }

  /** Up, or waiting for a restart: a sibling's group restart includes it. */
  private isUp(child: Child): boolean {
    if (child.pendingRestart !== undefined) return true;
    const state = child.cell?.state ?? child.node?.state;
    return state !== 'stopped' && state !== 'failed' && state !== 'stopping';
  }
}
