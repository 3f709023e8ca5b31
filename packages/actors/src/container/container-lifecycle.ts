// Owns a container's lifecycle state: plain data on the happy path (created → starting → running with a synchronous start), and its xstate machine actor, created only when first needed.
import { createActor, waitFor } from 'xstate';
import type { Actor, AnyActorRef } from 'xstate';
import { retireActor } from './actor-root.ts';
import { closeAsStopped, containerMachine, downReasonOf } from './container-machine.ts';
import type { DownReason } from '../router/types.ts';
import type { ContainerDriver, ContainerEvent, StopMode } from './types.ts';

/** What the lifecycle needs from its cell besides what the machine drives. */
export interface LazyDriver extends ContainerDriver {
  /** True when the runtime can start an instance without a promise (`ContainerRuntime.startSync`). */
  readonly startsSynchronously: boolean;
  /** Start a fresh instance; undefined when it is ready now, a promise when it went async. Throws a start fault. */
  startInstanceSync(): Promise<void> | undefined;
  /** True when the runtime can stop an instance without a promise (`ContainerRuntime.stopSync`). */
  readonly stopsSynchronously: boolean;
  /** Stop the instance; undefined when it stopped now, a promise when it went async. */
  stopInstanceSync(reason: DownReason): Promise<void> | undefined;
}

/** Timeouts the machine reads. */
export interface LifecycleTimeouts {
  readonly shutdownTimeoutMs: number;
  readonly startTimeoutMs: number | undefined;
}

type PlainState = 'created' | 'starting' | 'running' | 'stopped';

/**
 * A container's lifecycle. While it only goes created → starting → running through a synchronous
 * start (and on to stopped through a synchronous stop that is not part of a restart), it is a
 * few fields of plain data emitting the same events the machine would; the first other event (a
 * fault, a restart, an async start or stop, a wait on a state it has not reached) creates the
 * machine's actor, entered in the state the plain path reached, and hands everything to it.
 */
export class ContainerLifecycle {
  private actor: Actor<typeof containerMachine> | undefined;
  private plain: PlainState = 'created';
  private attempt = 0;
  /** The start in progress the machine adopts when created mid-start (see `startInstance`). */
  private adopted: Promise<void> | undefined;
  /** The stop in progress the machine adopts when a plain stop went async (see `stopInstance`). */
  private adoptedStop: Promise<void> | undefined;
  /** The stop the plain lifecycle took. */
  private stopped: { readonly reason: string; readonly mode: StopMode } | undefined;
  private settleAdopted: ((outcome: Promise<void> | undefined) => void) | undefined;

  /**
   * @param driver - the cell
   * @param root - the system's actor root, parent of the machine actor
   * @param timeouts - the container's timeouts
   */
  constructor(
    private readonly driver: LazyDriver,
    private readonly root: AnyActorRef,
    private readonly timeouts: LifecycleTimeouts,
  ) {}

  /** The lifecycle state's name. */
  get state(): string {
    return this.actor === undefined ? this.plain : String(this.actor.getSnapshot().value);
  }

  /** Handle a lifecycle event. */
  send(event: ContainerEvent): void {
    if (
      this.actor === undefined &&
      event.type === 'start' &&
      this.plain === 'created' &&
      this.driver.startsSynchronously
    ) {
      this.startPlain();
      return;
    }
    if (
      this.actor === undefined &&
      event.type === 'stop' &&
      this.plain === 'running' &&
      event.mode !== 'restart' &&
      this.driver.stopsSynchronously
    ) {
      this.stopPlain(event.reason, event.mode ?? 'down');
      return;
    }
    this.machine().send(event);
  }

  /** Resolves once the state satisfies `done` (at once when it already does). */
  async until(done: (state: string) => boolean): Promise<void> {
    if (done(this.state)) return;
    await waitFor(this.machine(), (snapshot) => done(String(snapshot.value)), {
      timeout: Infinity,
    });
  }

  /** The machine's start of an instance: the adopted one in progress if any, else a fresh one. */
  takeAdoptedStart(): Promise<void> | undefined {
    const adopted = this.adopted;
    this.adopted = undefined;
    return adopted;
  }

  /** The machine's stop of an instance: the adopted one in progress, if any. */
  takeAdoptedStop(): Promise<void> | undefined {
    const adopted = this.adoptedStop;
    this.adoptedStop = undefined;
    return adopted;
  }

  /** Stop the machine actor for good, if there is one (plain data holds no timer). */
  retire(): void {
    if (this.actor !== undefined) retireActor(this.root, this.actor);
  }

  private startPlain(): void {
    const { driver } = this;
    this.plain = 'starting';
    this.attempt = 1;
    driver.emit({ type: 'container.starting', container: driver.name, attempt: 1 });
    let outcome: Promise<void> | undefined;
    try {
      outcome = driver.startInstanceSync();
    } catch (error) {
      // The same rejection an async start would give the machine, whatever was thrown.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      outcome = Promise.reject(error);
    }
    if (this.settleAdopted !== undefined) {
      // An event during the start created the machine: it waits on this start's outcome.
      const settle = this.settleAdopted;
      this.settleAdopted = undefined;
      settle(outcome);
      return;
    }
    if (outcome !== undefined) {
      this.adopted = outcome;
      this.machine();
      return;
    }
    this.plain = 'running';
    driver.emit({ type: 'container.running', container: driver.name });
    driver.openMailbox();
  }

  /**
   * The machine's `running` → `stopping` → `stopped` as plain data: the runtime stops at once, the
   * mailbox closes and `container.stopped` is said. A stop that goes async is handed to the
   * machine, entered in `stopping` with that stop in progress.
   */
  private stopPlain(reason: string, mode: StopMode): void {
    const { driver } = this;
    this.stopped = { reason, mode };
    driver.pauseMailbox();
    const outcome = driver.stopInstanceSync(downReasonOf(mode));
    if (outcome !== undefined) {
      this.adoptedStop = outcome;
      this.machine('stopping');
      return;
    }
    this.plain = 'stopped';
    closeAsStopped(driver, mode, reason);
  }

  /** The machine actor, created in the plain path's state the first time it is needed. */
  private machine(entering: 'stopping' | undefined = undefined): Actor<typeof containerMachine> {
    if (this.actor !== undefined) return this.actor;
    if (this.plain === 'starting' && this.adopted === undefined) {
      this.adopted = new Promise<void>((resolve, reject) => {
        this.settleAdopted = (outcome) => {
          if (outcome === undefined) resolve();
          else outcome.then(resolve, reject);
        };
      });
    }
    const { shutdownTimeoutMs, startTimeoutMs } = this.timeouts;
    this.actor = createActor(containerMachine, {
      input: {
        cell: this.driver,
        shutdownTimeoutMs,
        ...(startTimeoutMs === undefined ? {} : { startTimeoutMs }),
        ...(this.plain === 'created'
          ? {}
          : { adopt: entering ?? this.plain, attempt: this.attempt }),
        ...(this.stopped === undefined ? {} : { stop: this.stopped }),
      },
      // A child of the system's one actor root: it shares that xstate system (and its clock).
      parent: this.root,
    });
    this.actor.start();
    return this.actor;
  }
}
