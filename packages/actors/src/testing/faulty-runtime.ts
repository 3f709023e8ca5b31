// Owns the runtime wrapper that injects container faults (throw, hang, kill, slow, fail-start) into any ContainerRuntime, TypeScript or WebAssembly alike.
import type { OcreMessage } from '@ocre-ts/core';
import type { Clock, TimerHandle } from '../clock.ts';
import type { ContainerRuntime, RuntimeHost } from '../runtime.ts';
import type { FailStartFault, HandlerFault, KillFault, SlowFault } from './fault-plan.ts';
import { InjectedFault } from './trigger.ts';
import type { Trigger } from './trigger.ts';

/** A fault of the plan that acts inside one container's runtime. */
export interface ContainerRule {
  /** Its index in the plan. */
  readonly index: number;
  readonly fault: HandlerFault | KillFault | SlowFault | FailStartFault;
  readonly trigger: Trigger;
}

/** What the wrapper needs from the injection. */
export interface RuntimeFaultContext {
  /** The system's clock (known once the system has started). */
  clock(): Clock;
  /** Record that `rule` fired; returns the error text naming the fault and the seed. */
  fired(rule: ContainerRule, detail: string, mid?: bigint): string;
}

const never = (): Promise<void> => new Promise<void>(() => undefined);

/**
 * Wraps the runtime of one container and acts out the plan's faults for it at the
 * `ContainerRuntime` boundary, so it works whatever runs the code (in-process or in a worker).
 */
export class FaultyRuntime implements ContainerRuntime {
  private host: RuntimeHost | undefined;
  private generation = 0;
  private live = false;
  private starts = 0;
  private readonly timers = new Set<TimerHandle>();

  /**
   * @param inner - the container's real runtime
   * @param rules - the plan's faults for this container, in plan order
   * @param context - the clock and the record of fired faults
   */
  constructor(
    readonly inner: ContainerRuntime,
    private readonly rules: readonly ContainerRule[],
    private readonly context: RuntimeFaultContext,
  ) {}

  /** Start the inner instance, unless a `fail-start` fault says this start fails. */
  async start(host: RuntimeHost): Promise<void> {
    const generation = this.begin();
    this.host = host;
    this.starts++;
    for (const rule of this.rules) {
      const { fault } = rule;
      if (fault.kind === 'fail-start' && this.starts <= fault.times) {
        throw new InjectedFault(
          this.context.fired(rule, `start ${this.starts} of the first ${fault.times} fails`),
        );
      }
    }
    await this.inner.start(host);
    if (generation === this.generation) this.live = true;
  }

  /** Deliver, unless a per-message fault fires on this message. */
  deliver(message: OcreMessage, handlerName: string): void | Promise<void> {
    for (const rule of this.rules) {
      const { fault } = rule;
      if (fault.kind === 'fail-start' || (fault.kind === 'kill' && fault.atMs !== undefined))
        continue;
      if (fault.topic !== undefined && fault.topic !== message.topic) continue;
      if (!rule.trigger.next()) continue;
      const what = this.context.fired(rule, `on message ${message.mid}`, message.mid);
      switch (fault.kind) {
        case 'throw':
          throw new InjectedFault(what);
        case 'hang':
          return never();
        case 'kill':
          // Once the cell holds this delivery as pending, so the crash dead-letters it.
          queueMicrotask(() => this.crash(what));
          return never();
        case 'slow':
          return this.slowly(fault.ms, message, handlerName);
      }
    }
    return this.inner.deliver(message, handlerName);
  }

  /** The inner runtime's answer. */
  hasHandler(handlerName: string): boolean {
    return this.inner.hasHandler(handlerName);
  }

  /** The inner runtime's answer (a current-API instance whose event queue is full says no). */
  acceptsMail(): boolean {
    return this.inner.acceptsMail?.() ?? true;
  }

  /** Stop the inner instance. */
  stop(): Promise<void> {
    this.begin();
    return this.inner.stop();
  }

  /** Kill the inner instance. */
  kill(): void {
    this.begin();
    this.inner.kill();
  }

  /** True while an instance is up (started, not killed, stopped or crashed). */
  get running(): boolean {
    return this.live && this.host !== undefined;
  }

  /**
   * Crash the running instance: kill it and report a runtime fault, as a dead worker would.
   *
   * @returns false when no instance is up (starting, restarting or stopped)
   */
  crash(what: string): boolean {
    const host = this.host;
    if (!this.live || host === undefined) return false;
    this.live = false;
    this.inner.kill();
    host.fault({ phase: 'runtime', error: new InjectedFault(what) });
    return true;
  }

  /** A new instance (or none): forget the old one's pending slow deliveries. */
  private begin(): number {
    this.live = false;
    for (const timer of this.timers) this.context.clock().clearTimeout(timer);
    this.timers.clear();
    return ++this.generation;
  }

  private slowly(ms: number, message: OcreMessage, handlerName: string): Promise<void> {
    const generation = this.generation;
    const clock = this.context.clock();
    return new Promise<void>((resolve, reject) => {
      const timer = clock.setTimeout(() => {
        this.timers.delete(timer);
        // The instance went away meanwhile: its cell has already accounted for the message.
        if (generation !== this.generation) return;
        // A throw from deliver becomes a rejection, as the cell expects of an async handler.
        Promise.resolve()
          .then(() => this.inner.deliver(message, handlerName))
          .then(resolve, reject);
      }, ms);
      this.timers.add(timer);
    });
  }
}
