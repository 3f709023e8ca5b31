// Owns a container's fault bookkeeping: the faults its cell notices (a handler throws, rejects or times out; the runtime reports one), the one method that books a fault (count, lastError, dead letter, events), and the reports that tell its supervisor.
import type { OcreMessage } from '@ocre-ts/core';
import { childFault } from '../child-link.ts';
import { describeError } from '../errors.ts';
import type { FaultPhase } from '../events.ts';
import type { CellRouter } from '../router/types.ts';
import type { RuntimeFault } from '../runtime.ts';
import type { InterruptedDelivery } from './delivery-window.ts';
import type { FaultEvent, FaultingCell } from './types.ts';

/** How one fault is booked by {@link FaultBook.book}. */
interface FaultBooking {
  /** The message whose handler faulted or was interrupted: it becomes a `handler-fault` dead letter. */
  readonly message?: OcreMessage | undefined;
  readonly handler?: string | undefined;
  /** The instance hung: emit `container.unresponsive` with this budget. */
  readonly unresponsiveAfterMs?: number;
  /** Emit `container.faulted` now (else `report` does, when the fault moves the lifecycle). */
  readonly emitFaulted?: boolean;
}

/** The fault bookkeeping of one container cell. */
export class FaultBook {
  /**
   * @param cell - the cell whose faults are booked
   * @param router - where a faulting message becomes a dead letter
   * @param handlerTimeoutMs - the container's handler budget, named when it was overrun
   */
  constructor(
    private readonly cell: FaultingCell,
    private readonly router: CellRouter,
    private readonly handlerTimeoutMs: number,
  ) {}

  // ---- faults the cell notices: booked, then sent to its lifecycle ----

  /** A handler threw or its promise rejected: a handler fault, its message a dead letter. */
  handlerFaulted(message: OcreMessage, handler: string, error: unknown): void {
    const description = describeError(error);
    this.book('handler', description, { message, handler, emitFaulted: true });
    this.cell.send({
      type: 'fault',
      phase: 'handler',
      error: description,
      unresponsive: false,
      reported: true,
    });
  }

  /** An async handler did not settle within the budget: the container is unresponsive. */
  handlerTimedOut(message: OcreMessage, handler: string): void {
    const error = `handler "${handler}" did not settle within ${this.handlerTimeoutMs} ms`;
    this.book('handler', error, {
      message,
      handler,
      unresponsiveAfterMs: this.handlerTimeoutMs,
    });
    this.cell.send({ type: 'fault', phase: 'handler', error, unresponsive: true });
  }

  /**
   * The runtime reported a fault outside a handler call. The instance died or hung while
   * handling `interrupted` (if anything): that message is the likely culprit.
   */
  runtimeFaulted(fault: RuntimeFault, interrupted: InterruptedDelivery | undefined): void {
    const description = describeError(fault.error);
    this.book(fault.phase, description, {
      message: interrupted?.message,
      handler: interrupted?.handler,
      ...(fault.unresponsive === true ? { unresponsiveAfterMs: this.handlerTimeoutMs } : {}),
    });
    this.cell.send({
      type: 'fault',
      phase: fault.phase,
      error: description,
      unresponsive: fault.unresponsive === true,
      permanent: fault.permanent === true,
    });
  }

  // ---- booking and reporting ----

  /**
   * The one place a fault is booked: counted, kept as `lastError`, its message dead-lettered,
   * `container.unresponsive` and (when asked) `container.faulted` emitted, in that order.
   */
  book(phase: FaultPhase, error: string, booking: FaultBooking): void {
    const { cell } = this;
    cell.counters.faults++;
    cell.lastError = error;
    const { message } = booking;
    if (message !== undefined)
      this.router.deadLetter(message, 'handler-fault', cell, booking.handler, error);
    if (booking.unresponsiveAfterMs !== undefined)
      cell.emit({
        type: 'container.unresponsive',
        container: cell.name,
        afterMs: booking.unresponsiveAfterMs,
      });
    if (booking.emitFaulted === true)
      cell.emit({
        type: 'container.faulted',
        container: cell.name,
        phase,
        error,
        ...(message === undefined ? {} : { mid: message.mid }),
      });
  }

  /** A fault moved the lifecycle: emit `container.faulted` unless booked so, tell the supervisor. */
  report(fault: FaultEvent): void {
    const { cell } = this;
    if (fault.reported !== true)
      cell.emit({
        type: 'container.faulted',
        container: cell.name,
        phase: fault.phase,
        error: fault.error,
      });
    cell.supervisor?.childDown(
      cell.name,
      childFault(fault.phase, fault.error, {
        unresponsive: fault.unresponsive,
        permanent: fault.permanent === true,
      }),
    );
  }

  /** The instance failed to start with `error` (init threw, the runtime rejected). */
  startFault(error: string): void {
    this.book('start', error, { emitFaulted: true });
    this.cell.supervisor?.childDown(this.cell.name, childFault('start', error));
  }

  /** The instance did not get ready within `afterMs`: an unresponsive start fault. */
  startTimeout(afterMs: number): void {
    const error = `did not become ready within ${afterMs} ms`;
    this.book('start', error, { unresponsiveAfterMs: afterMs, emitFaulted: true });
    this.cell.supervisor?.childDown(
      this.cell.name,
      childFault('start', error, { unresponsive: true }),
    );
  }
}
