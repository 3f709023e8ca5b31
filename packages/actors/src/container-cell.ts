// Owns one container actor's hot path: its mailbox, its runtime and the handler loop, driven by its lifecycle machine.
import { createActor } from 'xstate';
import type { Actor } from 'xstate';
import { createOcreFacade } from '@ocre-ts/core';
import type { OcreFacade, OcreLimits, OcreMessage, TopicMatchingMode } from '@ocre-ts/core';
import type { Clock, TimerHandle } from './clock.ts';
import { containerMachine } from './container-machine.ts';
import type { ContainerEvent } from './container-machine.ts';
import { createContainerCounters } from './counters.ts';
import type { ContainerCounters } from './counters.ts';
import type { DeadLetterReason } from './dead-letter.ts';
import { describeError } from './errors.ts';
import type { FaultPhase } from './events.ts';
import { Mailbox } from './mailbox.ts';
import type { Router } from './router.ts';
import type { ContainerRuntime, RuntimeFault, RuntimeHost } from './runtime.ts';
import type { ContainerSpec } from './spec.ts';
import type { SystemBus } from './system-bus.ts';

/** What a container tells its supervisor. */
export interface ChildLink {
  /** The child faulted (or hung: `unresponsive`) and waits for a directive. */
  childFaulted(name: string, phase: FaultPhase, unresponsive: boolean, permanent?: boolean): void;
}

/** Everything a cell needs from its system. */
export interface CellEnvironment {
  readonly router: Router;
  readonly bus: SystemBus;
  readonly clock: Clock;
  readonly limits: OcreLimits;
  readonly mailboxCapacity: number;
  readonly onOutput: (container: string, stream: 'stdout' | 'stderr', line: string) => void;
  readonly onWarning: (message: string) => void;
  readonly topicMatching: TopicMatchingMode;
  readonly sharedQueue: SharedArrayBuffer | undefined;
}

/** Default budget for an async handler to settle. */
export const defaultHandlerTimeoutMs = 5000;
/** Default budget for a graceful stop. */
export const defaultShutdownTimeoutMs = 5000;

/**
 * One container actor. The router appends to its mailbox; the cell runs handlers one at a time
 * while its lifecycle machine is `running`; faults become machine events and supervisor calls.
 */
export class ContainerCell {
  /** The container's name. */
  readonly name: string;
  /** Its counters. */
  readonly counters: ContainerCounters = createContainerCounters();
  /** Its bounded mailbox; survives restarts. */
  readonly mailbox: Mailbox;
  /** The thing that runs its code. */
  readonly runtime: ContainerRuntime;
  /** The lifecycle machine's actor. */
  readonly actor: Actor<typeof containerMachine>;
  /** Its supervisor; set when the tree is built. */
  supervisor: ChildLink | undefined;
  /** The current instance's facade. */
  api: OcreFacade | undefined;
  /** Why the last fault happened. */
  lastError: string | undefined;

  private open = false;
  private down = false;
  private busy = false;
  private handlerTimer: TimerHandle | undefined;
  private instance = 0;
  private readonly handlerTimeoutMs: number;

  /**
   * @param spec - the container's spec
   * @param env - the system it lives in
   * @param producerId - its producer id in the shared queue (1 or more)
   */
  constructor(
    readonly spec: ContainerSpec,
    private readonly env: CellEnvironment,
    readonly producerId: number,
  ) {
    env.router.registerProducer(producerId, this);
    this.name = spec.name;
    this.mailbox = new Mailbox(spec.mailboxCapacity ?? env.mailboxCapacity);
    this.runtime = spec.runtime();
    this.handlerTimeoutMs = spec.handlerTimeoutMs ?? defaultHandlerTimeoutMs;
    this.actor = createActor(containerMachine, {
      input: {
        cell: this,
        shutdownTimeoutMs: spec.shutdownTimeoutMs ?? defaultShutdownTimeoutMs,
        ...(spec.startTimeoutMs === undefined ? {} : { startTimeoutMs: spec.startTimeoutMs }),
      },
      clock: env.clock,
    });
    this.actor.start();
  }

  /** The lifecycle state's name. */
  get state(): string {
    return String(this.actor.getSnapshot().value);
  }

  /** Send the lifecycle machine an event. */
  send(event: ContainerEvent): void {
    this.actor.send(event);
  }

  /** True when this container cannot make progress without time passing: paused, or nothing to do. */
  get quiet(): boolean {
    return !this.open || (this.mailbox.size === 0 && !this.busy);
  }

  /** Router side: take a delivery. `down` when the container is stopped or failed for good. */
  accept(message: OcreMessage, handler: string): 'queued' | 'full' | 'down' {
    if (this.down) return 'down';
    return this.mailbox.push(message, handler) ? 'queued' : 'full';
  }

  /** Run handlers for waiting mail until the mailbox is empty, an async handler is pending, or the container pauses. */
  runTurn(): void {
    const { mailbox, runtime } = this;
    while (this.open && !this.busy && mailbox.size > 0) {
      const message = mailbox.peekMessage() as OcreMessage;
      const handler = mailbox.peekHandler() as string;
      let outcome: void | Promise<void>;
      try {
        outcome = runtime.deliver(message, handler);
      } catch (error) {
        this.handlerFaulted(message, handler, error);
        return;
      }
      if (isPromiseLike(outcome)) {
        this.awaitHandler(outcome, message, handler);
        return;
      }
      mailbox.dropHead();
      this.env.router.countDelivered(this, message);
    }
  }

  // ---- called by the lifecycle machine's actions ----

  /** Start a fresh instance with a fresh facade. */
  startInstance(): Promise<void> {
    this.instance++;
    const instance = this.instance;
    this.down = false;
    const api = createOcreFacade({
      container: this.name,
      port: this.env.router.portFor(this),
      limits: this.env.limits,
      hasHandler: (name) => this.runtime.hasHandler(name),
      onWarning: this.env.onWarning,
    });
    this.api = api;
    const host: RuntimeHost = {
      name: this.name,
      api,
      fault: (fault: RuntimeFault) => {
        if (instance === this.instance) this.runtimeFaulted(fault);
      },
      exited: (code) => {
        if (instance !== this.instance) return;
        this.env.bus.emit({ type: 'container.exited', container: this.name, code });
        if (code !== 0)
          this.runtimeFaulted({ phase: 'runtime', error: `exited with code ${code}` });
      },
      output: (stream, line) => this.env.onOutput(this.name, stream, line),
      messaging: {
        sharedQueue: this.env.sharedQueue,
        producerId: this.producerId,
        limits: this.env.limits,
        topicMatching: this.env.topicMatching,
      },
      rejected: (count) => this.env.router.countRejected(this, count),
    };
    return this.runtime.start(host);
  }

  /** Begin handling mail (entering `running`). */
  openMailbox(): void {
    this.open = true;
    if (this.mailbox.size > 0) this.env.router.wake(this);
  }

  /** Stop handling mail (leaving `running`); mail keeps queueing. */
  pauseMailbox(): void {
    this.open = false;
  }

  /** Stop the current instance at once; its pending handler, if any, is abandoned. */
  killInstance(): void {
    this.instance++;
    this.clearHandlerTimer();
    this.busy = false;
    try {
      this.runtime.kill();
    } catch (error) {
      this.env.onWarning(`container "${this.name}": kill failed: ${describeError(error)}`);
    }
  }

  /** Stop the current instance gracefully. */
  async stopInstance(): Promise<void> {
    this.clearHandlerTimer();
    await this.runtime.stop();
    this.instance++;
    this.busy = false;
  }

  /** The container is down (stopped or failed): its mail becomes dead letters with `reason`. */
  closeMailbox(reason: DeadLetterReason): void {
    this.open = false;
    this.down = true;
    this.mailbox.clear((message, handler) =>
      this.env.router.deadLetter(message, reason, this, handler),
    );
  }

  /** Emit a system event. */
  emit(event: Parameters<SystemBus['emit']>[0]): void {
    this.env.bus.emit(event);
  }

  /** The instance failed to start: emit and tell the supervisor. */
  startFaulted(error: unknown): void {
    const description = describeError(error);
    this.counters.faults++;
    this.lastError = description;
    this.emit({
      type: 'container.faulted',
      container: this.name,
      phase: 'start',
      error: description,
    });
    this.supervisor?.childFaulted(this.name, 'start', false);
  }

  /** The instance did not get ready within the start budget: it counts as unresponsive. */
  startTimedOut(afterMs: number): void {
    this.counters.faults++;
    this.lastError = `did not become ready within ${afterMs} ms`;
    this.emit({ type: 'container.unresponsive', container: this.name, afterMs });
    this.supervisor?.childFaulted(this.name, 'start', true);
  }

  /** Mail for this container queues again (it is coming back after being down). */
  markUp(): void {
    this.down = false;
  }

  /** Count a restart. */
  countRestart(): void {
    this.counters.restarts++;
  }

  // ---- internals ----

  private awaitHandler(outcome: Promise<void>, message: OcreMessage, handler: string): void {
    this.busy = true;
    const instance = this.instance;
    this.handlerTimer = this.env.clock.setTimeout(() => {
      if (instance !== this.instance) return;
      this.handlerTimer = undefined;
      this.busy = false;
      this.mailbox.dropHead();
      this.counters.faults++;
      const error = `handler "${handler}" did not settle within ${this.handlerTimeoutMs} ms`;
      this.lastError = error;
      this.env.router.deadLetter(message, 'handler-fault', this, handler, error);
      this.env.bus.emit({
        type: 'container.unresponsive',
        container: this.name,
        afterMs: this.handlerTimeoutMs,
      });
      this.send({ type: 'fault', phase: 'handler', error, unresponsive: true });
    }, this.handlerTimeoutMs);
    outcome.then(
      () => {
        if (instance !== this.instance) return;
        this.clearHandlerTimer();
        this.busy = false;
        this.mailbox.dropHead();
        this.env.router.countDelivered(this, message);
        this.env.router.wake(this);
      },
      (error: unknown) => {
        if (instance !== this.instance) return;
        this.clearHandlerTimer();
        this.busy = false;
        this.handlerFaulted(message, handler, error);
      },
    );
  }

  private handlerFaulted(message: OcreMessage, handler: string, error: unknown): void {
    const description = describeError(error);
    this.mailbox.dropHead();
    this.counters.faults++;
    this.lastError = description;
    this.env.router.deadLetter(message, 'handler-fault', this, handler, description);
    this.env.bus.emit({
      type: 'container.faulted',
      container: this.name,
      phase: 'handler',
      error: description,
      mid: message.mid,
    });
    this.send({
      type: 'fault',
      phase: 'handler',
      error: description,
      unresponsive: false,
      reported: true,
    });
  }

  private runtimeFaulted(fault: RuntimeFault): void {
    const description = describeError(fault.error);
    this.counters.faults++;
    this.lastError = description;
    if (fault.unresponsive === true) {
      this.env.bus.emit({
        type: 'container.unresponsive',
        container: this.name,
        afterMs: this.handlerTimeoutMs,
      });
    }
    this.send({
      type: 'fault',
      phase: fault.phase,
      error: description,
      unresponsive: fault.unresponsive === true,
      permanent: fault.permanent === true,
    });
  }

  private clearHandlerTimer(): void {
    if (this.handlerTimer !== undefined) {
      this.env.clock.clearTimeout(this.handlerTimer);
      this.handlerTimer = undefined;
    }
  }
}

/** True for a thenable: an async handler's result. */
function isPromiseLike(value: unknown): value is Promise<void> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
