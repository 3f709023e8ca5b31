// Owns a container's fault bookkeeping: the one method that books a fault (count, lastError, dead letter, events) and the reports that tell its supervisor.
import type { OcreMessage } from '@ocre-ts/core';
import { childFault } from '../child-link.ts';
import type { FaultPhase } from '../events.ts';
import type { CellRouter } from '../router/types.ts';
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
   */
  constructor(
    private readonly cell: FaultingCell,
    private readonly router: CellRouter,
  ) {}

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
