// Owns a container's delivery bookkeeping: the handler loop that hands waiting mail to its runtime, and how each message it hands over settles (delivered, refused, queued by the runtime, faulted or abandoned).
import type { OcreMessage } from '@ocre-ts/core';
import type { Clock } from '../clock.ts';
import type { DeadLetterReason } from '../dead-letter.ts';
import type { CellRouter, DownReason, RoutedCell } from '../router/types.ts';
import type { ContainerRuntime } from '../runtime.ts';
import { DeliveryWindow } from './delivery-window.ts';
import type { InterruptedDelivery, WindowOwner } from './delivery-window.ts';
import type { FaultBook } from './fault-book.ts';
import type { Mailbox } from './mailbox.ts';
import { PendingHandler, isPromiseLike } from './pending-handler.ts';
import type { HostedDelivery } from './types.ts';

/**
 * The delivery side of one container cell. Its turn takes mail out of the mailbox and calls the
 * runtime's `deliver`: one at a time (an async handler holds the rest back), or through a
 * {@link DeliveryWindow} when the runtime takes several at once. Every message it takes out ends
 * exactly once: counted delivered, or a dead letter.
 */
export class CellDelivery implements HostedDelivery, WindowOwner {
  /** True while the container handles mail (its lifecycle is `running`). */
  open = false;
  private readonly pending: PendingHandler;
  /** Deliveries in flight, when the runtime takes more than one at a time. */
  private readonly window: DeliveryWindow | undefined;
  /** Set by the runtime during a synchronous deliver: the message in hand becomes a dead letter. */
  private refused: { reason: DeadLetterReason; error: string | undefined } | undefined;
  /** Set by the runtime during a synchronous deliver: the message went into its own event queue. */
  private queued = false;
  /** The async deliver in progress handed its message to the runtime's own queue (late, e.g. after a slow fault): the runtime counts it. */
  private pendingQueued = false;
  private delivering = false;

  /**
   * @param cell - the container, as the router counts it
   * @param mailbox - its mailbox
   * @param runtime - its runtime
   * @param router - where messages are counted delivered or dead-lettered
   * @param clock - the system clock, for handler timeouts
   * @param handlerTimeoutMs - how long an async handler may take
   * @param faults - where a handler fault or timeout is booked
   */
  constructor(
    private readonly cell: RoutedCell,
    private readonly mailbox: Mailbox,
    private readonly runtime: ContainerRuntime,
    private readonly router: CellRouter,
    clock: Clock,
    private readonly handlerTimeoutMs: number,
    private readonly faults: FaultBook,
  ) {
    this.pending = new PendingHandler(clock, this);
    const maxInFlight = runtime.maxInFlight ?? 1;
    this.window =
      maxInFlight > 1
        ? new DeliveryWindow(maxInFlight, mailbox, runtime, clock, handlerTimeoutMs, this)
        : undefined;
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
        this.faults.handlerFaulted(message, handler, error);
        return;
      }
      this.delivering = false;
      if (this.refused !== undefined) {
        const { reason, error } = this.refused;
        this.refused = undefined;
        this.router.deadLetter(message, reason, this.cell, handler, error);
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
      this.router.countDelivered(this.cell, message);
    }
  }

  /**
   * The instance is gone or going: end what it had in hand (the window counts what it finished).
   *
   * @returns the delivery it was in the middle of, now out of the mailbox, if any
   */
  interrupt(): InterruptedDelivery | undefined {
    const interrupted = this.window?.interrupt();
    if (interrupted !== undefined) return interrupted;
    const { handler } = this.pending;
    const message = this.pending.end();
    return message === undefined ? undefined : { message, handler };
  }

  /** The instance ended on its own: it takes no more mail, and a handler in progress counts as having handled its message. */
  endedInstance(): void {
    this.open = false;
    const message = this.interrupt()?.message;
    if (message !== undefined) this.router.countDelivered(this.cell, message);
  }

  /** A handler in hand will never finish (its instance is gone): its message becomes a dead letter with `reason`. */
  abandon(reason: DownReason): void {
    const interrupted = this.interrupt();
    if (interrupted !== undefined)
      this.router.deadLetter(
        interrupted.message,
        reason,
        this.cell,
        interrupted.handler,
        'its handler was interrupted',
      );
  }

  // ---- called by the instance's runtime host ----

  /** {@inheritDoc HostedDelivery.refuseCurrent} */
  refuseCurrent(reason: DeadLetterReason, error: string | undefined): void {
    if (this.delivering) this.refused = { reason, error };
  }

  /** {@inheritDoc HostedDelivery.queueCurrent} */
  queueCurrent(): void {
    if (this.delivering) this.queued = true;
    else if (this.pending.message !== undefined) this.pendingQueued = true;
  }

  /** {@inheritDoc HostedDelivery.settleQueued} */
  settleQueued(
    message: OcreMessage,
    handler: string,
    reason: DeadLetterReason | undefined,
    error: string | undefined,
  ): void {
    if (reason === undefined) this.router.countDelivered(this.cell, message);
    else this.router.deadLetter(message, reason, this.cell, handler, error);
  }

  /** {@inheritDoc HostedDelivery.wakeTurn} */
  wakeTurn(): void {
    if (this.mailbox.size > 0) this.router.wake(this.cell);
  }

  // ---- called by the pending async handler and the delivery window ----

  /** The async handler resolved: its message was handled. */
  handled(message: OcreMessage): void {
    // A message the runtime took into its own queue is counted when the container takes it.
    if (this.pendingQueued) this.pendingQueued = false;
    else this.router.countDelivered(this.cell, message);
    this.router.wake(this.cell);
  }

  /** {@inheritDoc WindowOwner.countHandled} */
  countHandled(message: OcreMessage): void {
    this.router.countDelivered(this.cell, message);
  }

  /** {@inheritDoc WindowOwner.wake} */
  wake(): void {
    this.router.wake(this.cell);
  }

  /** The async handler rejected: a handler fault. */
  rejected(message: OcreMessage, handler: string, error: unknown): void {
    this.pendingQueued = false;
    this.faults.handlerFaulted(message, handler, error);
  }

  /** The async handler did not settle in time: the container is unresponsive. */
  timedOut(message: OcreMessage, handler: string): void {
    this.pendingQueued = false;
    this.faults.handlerTimedOut(message, handler);
  }
}
