// Owns one container actor's hot path: its mailbox, its runtime and the handler loop, driven by its lifecycle machine.
import type { OcreFacade, OcreMessage } from '@ocre-ts/core';
import type { ChildLink } from '../child-link.ts';
import { createContainerCounters } from '../counters.ts';
import type { ContainerCounters, ContainerStatus } from '../counters.ts';
import type { DeadLetterReason } from '../dead-letter.ts';
import { defaultHandlerTimeoutMs, defaultShutdownTimeoutMs } from '../defaults.ts';
import { describeError } from '../errors.ts';
import type { SystemEventInput } from '../events.ts';
import type { AcceptVerdict, DownReason } from '../router/types.ts';
import type { ContainerRuntime, RuntimeFault } from '../runtime.ts';
import type { ContainerSpec } from '../spec.ts';
import { ContainerLifecycle } from './container-lifecycle.ts';
import type { LazyDriver } from './container-lifecycle.ts';
import { DeliveryWindow } from './delivery-window.ts';
import type { WindowOwner } from './delivery-window.ts';
import { FaultBook } from './fault-book.ts';
import { createInstanceHost } from './instance-host.ts';
import { Mailbox } from './mailbox.ts';
import { PendingHandler, isPromiseLike } from './pending-handler.ts';
import type { PendingOutcomes } from './pending-handler.ts';
import type { CellEnvironment, ContainerEvent, FaultEvent, HostedCell } from './types.ts';

/**
 * One container actor. The router appends to its mailbox; the cell runs handlers one at a time
 * while its lifecycle machine is `running`; faults become machine events and supervisor calls.
 */
export class ContainerCell implements LazyDriver, HostedCell, PendingOutcomes, WindowOwner {
  /** The container's name. */
  readonly name: string;
  /** Its counters. */
  readonly counters: ContainerCounters = createContainerCounters();
  /** Its bounded mailbox; survives restarts. */
  readonly mailbox: Mailbox;
  /** The thing that runs its code. */
  readonly runtime: ContainerRuntime;
  /** Its lifecycle: plain data until the machine is needed. */
  readonly lifecycle: ContainerLifecycle;
  /** {@inheritDoc LazyDriver.startsSynchronously} */
  readonly startsSynchronously: boolean;
  /** {@inheritDoc LazyDriver.stopsSynchronously} */
  readonly stopsSynchronously: boolean;
  /** Its supervisor; set when the tree is built. */
  supervisor: ChildLink | undefined;
  /** The current instance's facade. */
  api: OcreFacade | undefined;
  /** Router bookkeeping: listed for the current dispatch turn (saves a Set on the hot path). */
  readyForTurn = false;
  /** Why the last fault happened. */
  lastError: string | undefined;
  /** What the runtime last reported of itself. */
  status: ContainerStatus | undefined;

  private open = false;
  private down = false;
  private downReason: DownReason = 'container-down';
  private readonly pending: PendingHandler;
  /** Deliveries in flight, when the runtime takes more than one at a time. */
  private readonly window: DeliveryWindow | undefined;
  private instance = 0;
  /** Set by the runtime during a synchronous deliver: the message in hand becomes a dead letter. */
  private refused: { reason: DeadLetterReason; error: string | undefined } | undefined;
  /** Set by the runtime during a synchronous deliver: the message went into its own event queue. */
  private queued = false;
  /** The async deliver in progress handed its message to the runtime's own queue (late, e.g. after a slow fault): the runtime counts it. */
  private pendingQueued = false;
  private delivering = false;
  private readonly handlerTimeoutMs: number;
  private readonly faults: FaultBook;

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
    this.faults = new FaultBook(this, env.router);
    this.mailbox = new Mailbox(spec.mailboxCapacity ?? env.mailboxCapacity);
    this.runtime = spec.runtime();
    this.pending = new PendingHandler(env.clock, this);
    this.handlerTimeoutMs = spec.handlerTimeoutMs ?? defaultHandlerTimeoutMs;
    const maxInFlight = this.runtime.maxInFlight ?? 1;
    this.window =
      maxInFlight > 1
        ? new DeliveryWindow(
            maxInFlight,
            this.mailbox,
            this.runtime,
            env.clock,
            this.handlerTimeoutMs,
            this,
          )
        : undefined;
    this.startsSynchronously = this.runtime.startSync !== undefined;
    this.stopsSynchronously = this.runtime.stopSync !== undefined;
    this.lifecycle = new ContainerLifecycle(this, env.actorRoot, {
      shutdownTimeoutMs: spec.shutdownTimeoutMs ?? defaultShutdownTimeoutMs,
      startTimeoutMs: spec.startTimeoutMs,
    });
  }

  /** The lifecycle state's name. */
  get state(): string {
    return this.lifecycle.state;
  }

  /** Stop the lifecycle for good (the system has stopped): no timer of it outlives the system. */
  retire(): void {
    this.lifecycle.retire();
  }

  /** Send the lifecycle an event. */
  send(event: ContainerEvent): void {
    this.lifecycle.send(event);
  }

  /** Resolves once the lifecycle state satisfies `done`. */
  until(done: (state: string) => boolean): Promise<void> {
    return this.lifecycle.until(done);
  }

  /**
   * True when this container cannot make progress without time passing: paused, nothing to do,
   * or mail waiting for a runtime that accepts none now (its own queue is full until it polls).
   */
  get quiet(): boolean {
    if (!this.open) return true;
    if (this.pending.message !== undefined || this.windowBusy) return false;
    return this.mailbox.size === 0 || this.runtime.acceptsMail?.() === false;
  }

  /** True while an async handler is in progress (mail behind it waits for it). */
  get waitingOnHandler(): boolean {
    return this.pending.message !== undefined || this.windowBusy;
  }

  private get windowBusy(): boolean {
    return this.window !== undefined && this.window.size > 0;
  }

  /** {@inheritDoc WindowOwner.accepting} */
  get accepting(): boolean {
    return this.open;
  }

  /** Router side: take a delivery, or say why not. Allocation-free. */
  accept(message: OcreMessage, handler: string): AcceptVerdict {
    if (this.down) return this.downReason;
    return this.mailbox.push(message, handler) ? 'queued' : 'mailbox-full';
  }

  /** Run handlers for waiting mail until the mailbox is empty, an async handler is pending, or the container pauses. */
  runTurn(): void {
    if (this.window !== undefined) {
      this.window.fill();
      return;
    }
    const { mailbox, runtime } = this;
    while (
      this.open &&
      this.pending.message === undefined &&
      mailbox.size > 0 &&
      runtime.acceptsMail?.() !== false
    ) {
      // Out of the mailbox before the call: if the handler makes the container go down, closing
      // the mailbox cannot dead-letter the message in hand as well.
      const message = mailbox.peekMessage() as OcreMessage;
      const handler = mailbox.peekHandler() as string;
      mailbox.dropHead();
      let outcome: void | Promise<void>;
      this.delivering = true;
      try {
        outcome = runtime.deliver(message, handler);
      } catch (error) {
        this.delivering = false;
        this.refused = undefined;
        this.queued = false;
        this.handlerFaulted(message, handler, error);
        return;
      }
      this.delivering = false;
      if (this.refused !== undefined) {
        const { reason, error } = this.refused;
        this.refused = undefined;
        this.env.router.deadLetter(message, reason, this, handler, error);
        continue;
      }
      if (this.queued) {
        // In the instance's own event queue: the runtime settles it when the container takes it.
        this.queued = false;
        continue;
      }
      if (isPromiseLike(outcome)) {
        this.pending.track(outcome, message, handler, this.handlerTimeoutMs);
        return;
      }
      this.env.router.countDelivered(this, message);
    }
  }

  // ---- called by the lifecycle machine's actions ----

  /** Start a fresh instance with a fresh facade (or adopt the one the plain lifecycle began). */
  startInstance(): Promise<void> {
    const adopted = this.lifecycle.takeAdoptedStart();
    if (adopted !== undefined) return adopted;
    return this.runtime.start(this.freshHost());
  }

  /** {@inheritDoc LazyDriver.startInstanceSync} */
  startInstanceSync(): Promise<void> | undefined {
    const host = this.freshHost();
    return (this.runtime.startSync as NonNullable<ContainerRuntime['startSync']>)(host);
  }

  /** {@inheritDoc LazyDriver.stopInstanceSync} */
  stopInstanceSync(reason: DownReason): Promise<void> | undefined {
    const outcome = (this.runtime.stopSync as NonNullable<ContainerRuntime['stopSync']>)();
    if (outcome !== undefined) return outcome; // the machine adopts it: stopInstance finishes it
    this.instance++;
    this.abandonPending(reason);
    return undefined;
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

  /** Stop the current instance at once; the message of a pending handler becomes a dead letter with `reason`. */
  killInstance(reason: DownReason = 'container-down'): void {
    this.instance++;
    this.abandonPending(reason);
    try {
      this.runtime.kill();
    } catch (error) {
      this.env.onWarning(`container "${this.name}": kill failed: ${describeError(error)}`);
    }
  }

  /**
   * Stop the current instance gracefully; a pending handler may still complete meanwhile, else
   * its message becomes a dead letter with `reason`.
   */
  async stopInstance(reason: DownReason): Promise<void> {
    const instance = this.instance;
    await (this.lifecycle.takeAdoptedStop() ?? this.runtime.stop());
    // A stop that settles late (after a forced kill and a new start) must not touch the new instance.
    if (instance !== this.instance) return;
    this.instance++;
    this.abandonPending(reason);
  }

  /** The container is down (stopped or failed): its mail, now and later, becomes dead letters with `reason`. */
  closeMailbox(reason: DownReason): void {
    this.open = false;
    this.down = true;
    this.downReason = reason;
    this.abandonPending(reason);
    this.mailbox.clear((message, handler) =>
      this.env.router.deadLetter(message, reason, this, handler),
    );
  }

  /** Emit a system event. */
  emit(event: SystemEventInput): void {
    this.env.bus.emit(event);
  }

  /** Mail for this container queues again (it is coming back after being down). */
  markUp(): void {
    this.down = false;
  }

  /** Count a restart. */
  countRestart(): void {
    this.counters.restarts++;
  }

  /** A fault moved the lifecycle: see {@link FaultBook.report}. */
  reportFault(fault: FaultEvent): void {
    this.faults.report(fault);
  }

  /** The instance failed to start (init threw, the runtime rejected). */
  reportStartFault(error: unknown): void {
    this.faults.startFault(describeError(error));
  }

  /** The instance did not get ready within `afterMs`: an unresponsive start fault. */
  reportStartTimeout(afterMs: number): void {
    this.faults.startTimeout(afterMs);
  }

  // ---- called by the instance's runtime host ----

  /** True while `instance` is the current instance (reports of older ones are ignored). */
  isCurrent(instance: number): boolean {
    return instance === this.instance;
  }

  /** The runtime reported its own state and counters; a new state is a `container.status` event. */
  reportStatus(state: string, counters: Readonly<Record<string, number>>): void {
    const changed = this.status?.state !== state;
    this.status = { state, counters };
    if (changed)
      this.emit({
        type: 'container.status',
        container: this.name,
        state,
        counters: { ...counters },
      });
  }

  /** The runtime refuses the message it is being handed (only during a synchronous deliver). */
  refuseCurrent(reason: DeadLetterReason, error: string | undefined): void {
    if (this.delivering) this.refused = { reason, error };
  }

  /** The runtime accepts mail again: handle what waits in the mailbox on the router's next turn. */
  wakeTurn(): void {
    if (this.mailbox.size > 0) this.env.router.wake(this);
  }

  /** The runtime put the message it is being handed into its own event queue (only during a synchronous deliver). */
  queueCurrent(): void {
    if (this.delivering) this.queued = true;
    else if (this.pending.message !== undefined) this.pendingQueued = true;
  }

  /** A message the runtime queued reached its end: taken (counted delivered) or a dead letter with `reason`. */
  settleQueued(
    message: OcreMessage,
    handler: string,
    reason: DeadLetterReason | undefined,
    error: string | undefined,
  ): void {
    if (reason === undefined) this.env.router.countDelivered(this, message);
    else this.env.router.deadLetter(message, reason, this, handler, error);
  }

  /** The runtime reported a fault outside a handler call. */
  runtimeFaulted(fault: RuntimeFault): void {
    const description = describeError(fault.error);
    const interrupted = this.window?.interrupt();
    const handler = interrupted?.handler ?? this.pending.handler;
    // The instance died or hung while handling this message: the message is the likely culprit.
    const message = interrupted?.message ?? this.pending.end();
    this.faults.book(fault.phase, description, {
      message,
      handler,
      ...(fault.unresponsive === true ? { unresponsiveAfterMs: this.handlerTimeoutMs } : {}),
    });
    this.send({
      type: 'fault',
      phase: fault.phase,
      error: description,
      unresponsive: fault.unresponsive === true,
      permanent: fault.permanent === true,
    });
  }

  /**
   * The instance ended with `code`: it takes no more mail, and a handler in progress counts as
   * having handled its message. Code 0 is not a fault: the supervisor decides by restart type.
   */
  instanceEnded(code: number): void {
    this.open = false;
    const message = this.window?.interrupt()?.message ?? this.pending.end();
    if (message !== undefined) this.env.router.countDelivered(this, message);
    if (code !== 0) {
      this.runtimeFaulted({ phase: 'runtime', error: `exited with code ${code}` });
      return;
    }
    this.instance++;
    this.supervisor?.childDown(this.name, {
      phase: 'runtime',
      error: 'exited normally (code 0)',
      unresponsive: false,
      permanent: false,
      normalExit: true,
    });
  }

  // ---- called by the pending async handler ----

  /** The async handler resolved: its message was handled. */
  handled(message: OcreMessage): void {
    // A message the runtime took into its own queue is counted when the container takes it.
    if (this.pendingQueued) this.pendingQueued = false;
    else this.env.router.countDelivered(this, message);
    this.env.router.wake(this);
  }

  /** {@inheritDoc WindowOwner.countHandled} */
  countHandled(message: OcreMessage): void {
    this.env.router.countDelivered(this, message);
  }

  /** {@inheritDoc WindowOwner.wake} */
  wake(): void {
    this.env.router.wake(this);
  }

  /** The async handler rejected: a handler fault. */
  rejected(message: OcreMessage, handler: string, error: unknown): void {
    this.pendingQueued = false;
    this.handlerFaulted(message, handler, error);
  }

  /** The async handler did not settle in time: the container is unresponsive. */
  timedOut(message: OcreMessage, handler: string): void {
    this.pendingQueued = false;
    this.handlerTimedOut(message, handler);
  }

  // ---- internals ----

  private freshHost(): ReturnType<typeof createInstanceHost> {
    this.instance++;
    this.down = false;
    const host = createInstanceHost(this, this.env, this.instance);
    this.api = host.api;
    return host;
  }

  private handlerTimedOut(message: OcreMessage, handler: string): void {
    const error = `handler "${handler}" did not settle within ${this.handlerTimeoutMs} ms`;
    this.faults.book('handler', error, {
      message,
      handler,
      unresponsiveAfterMs: this.handlerTimeoutMs,
    });
    this.send({ type: 'fault', phase: 'handler', error, unresponsive: true });
  }

  private handlerFaulted(message: OcreMessage, handler: string, error: unknown): void {
    const description = describeError(error);
    this.faults.book('handler', description, { message, handler, emitFaulted: true });
    this.send({
      type: 'fault',
      phase: 'handler',
      error: description,
      unresponsive: false,
      reported: true,
    });
  }

  /** A pending handler will never finish (its instance is gone): its message becomes a dead letter. */
  private abandonPending(reason: DownReason): void {
    const interrupted = this.window?.interrupt();
    const handler = interrupted?.handler ?? this.pending.handler;
    const message = interrupted?.message ?? this.pending.end();
    if (message !== undefined)
      this.env.router.deadLetter(message, reason, this, handler, 'its handler was interrupted');
  }
}
