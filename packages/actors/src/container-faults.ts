// Owns how a container's faults are reported: the events emitted and what its supervisor is told.
import { childFault } from './child-link.ts';
import type { ContainerCell } from './container-cell.ts';
import type { ContainerEvent } from './container-machine.ts';
import { describeError } from './errors.ts';

/** A fault reached the lifecycle machine: emit `container.faulted` unless already done, tell the supervisor. */
export function reportFault(
  cell: ContainerCell,
  fault: Extract<ContainerEvent, { type: 'fault' }>,
): void {
  if (fault.reported !== true) {
    cell.emit({
      type: 'container.faulted',
      container: cell.name,
      phase: fault.phase,
      error: fault.error,
    });
  }
  cell.supervisor?.childDown(
    cell.name,
    childFault(fault.phase, fault.error, {
      unresponsive: fault.unresponsive,
      permanent: fault.permanent === true,
    }),
  );
}

/** The instance failed to start (init threw, the runtime rejected): emit and tell the supervisor. */
export function reportStartFault(cell: ContainerCell, error: unknown): void {
  const description = describeError(error);
  cell.counters.faults++;
  cell.lastError = description;
  cell.emit({
    type: 'container.faulted',
    container: cell.name,
    phase: 'start',
    error: description,
  });
  cell.supervisor?.childDown(cell.name, childFault('start', description));
}

/** The instance did not get ready within `afterMs`: it is unresponsive, a start fault. */
export function reportStartTimeout(cell: ContainerCell, afterMs: number): void {
  const description = `did not become ready within ${afterMs} ms`;
  cell.counters.faults++;
  cell.lastError = description;
  cell.emit({ type: 'container.unresponsive', container: cell.name, afterMs });
  cell.emit({
    type: 'container.faulted',
    container: cell.name,
    phase: 'start',
    error: description,
  });
  cell.supervisor?.childDown(cell.name, childFault('start', description, { unresponsive: true }));
}
