// Owns one container actor's wiring: its mailbox, runtime, delivery bookkeeping and fault book, driven by its lifecycle machine and its instances' hosts.
import type { OcreFacade, OcreMessage } from '@ocre-ts/core';
import type { ChildLink } from '../child-link.ts';
import { createContainerCounters } from '../counters.ts';
import type { ContainerCounters, ContainerStatus } from '../counters.ts';
import { defaultHandlerTimeoutMs, defaultShutdownTimeoutMs } from '../defaults.ts';
import { describeError } from '../errors.ts';
import type { SystemEventInput } from '../events.ts';
import type { AcceptVerdict, DownReason } from '../router/types.ts';
import type { ContainerRuntime, RuntimeFault } from '../runtime.ts';
import type { ContainerSpec } from '../spec.ts';
import { CellDelivery } from './cell-delivery.ts';
import { ContainerLifecycle } from './container-lifecycle.ts';
import type { LazyDriver } from './container-lifecycle.ts';
import { FaultBook } from './fault-book.ts';
import { createInstanceHost } from './instance-host.ts';
import { Mailbox } from './mailbox.ts';
import type {
  CellEnvironment,
  ContainerEvent,
  FaultEvent,
  FaultingCell,
  HostedCell,
} from './types.ts';

/**
 * One container actor. The router appends to its mailbox; its {@link CellDelivery} runs handlers
 * one at a time while its lifecycle machine is `running`; its {@link FaultBook} turns faults into
 * machine events and supervisor calls. The cell itself is what the machine drives and what its
 * instances' hosts call back.
 */
export class ContainerCell implements LazyDriver, HostedCell, FaultingCell {
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
  /** Its handler loop and the settling of every message it hands over. */
  readonly delivery: CellDelivery;
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

  private down = false;
  private downReason: DownReason = 'container-down';
  private instance = 0;
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
    this.mailbox = new Mailbox(spec.mailboxCapacity ?? env.mailboxCapacity);
    this.runtime = spec.runtime();
    const handlerTimeoutMs = spec.handlerTimeoutMs ?? defaultHandlerTimeoutMs;
    this.faults = new FaultBook(this, env.router, handlerTimeoutMs);
    this.delivery = new CellDelivery(
      this,
      this.mailbox,
      this.runtime,
      env.router,
      env.clock,
      handlerTimeoutMs,
      this.faults,
    );
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

  /** {@inheritDoc CellDelivery.quiet} */
  get quiet(): boolean {
    return this.delivery.quiet;
  }

  /** {@inheritDoc CellDelivery.waitingOnHandler} */
  get waitingOnHandler(): boolean {
    return this.delivery.waitingOnHandler;
  }

  /** Router side: take a delivery, or say why not. Allocation-free. */
  accept(message: OcreMessage, handler: string): AcceptVerdict {
    if (this.down) return this.downReason;
    return this.mailbox.push(message, handler) ? 'queued' : 'mailbox-full';
  }

  /** {@inheritDoc CellDelivery.runTurn} */
  runTurn(): void {
    this.delivery.runTurn();
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
    this.delivery.abandon(reason);
    return undefined;
  }

  /** Begin handling mail (entering `running`). */
  openMailbox(): void {
    this.delivery.open = true;
    if (this.mailbox.size > 0) this.env.router.wake(this);
  }

  /** Stop handling mail (leaving `running`); mail keeps queueing. */
  pauseMailbox(): void {
    this.delivery.open = false;
  }

  /** Stop the current instance at once; the message of a pending handler becomes a dead letter with `reason`. */
  killInstance(reason: DownReason = 'container-down'): void {
    this.instance++;
    this.delivery.abandon(reason);
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
    this.delivery.abandon(reason);
  }

  /** The container is down (stopped or failed): its mail, now and later, becomes dead letters with `reason`. */
  closeMailbox(reason: DownReason): void {
    this.delivery.open = false;
    this.down = true;
    this.downReason = reason;
    this.delivery.abandon(reason);
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

  /** The runtime reported a fault outside a handler call. */
  runtimeFaulted(fault: RuntimeFault): void {
    this.faults.runtimeFaulted(fault, this.delivery.interrupt());
  }

  /**
   * The instance ended with `code`: it takes no more mail, and a handler in progress counts as
   * having handled its message. Code 0 is not a fault: the supervisor decides by restart type.
   */
  instanceEnded(code: number): void {
    this.delivery.endedInstance();
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

  // ---- internals ----

  private freshHost(): ReturnType<typeof createInstanceHost> {
    this.instance++;
    this.down = false;
    const host = createInstanceHost(this, this.env, this.instance);
    this.api = host.api;
    return host;
  }
}
