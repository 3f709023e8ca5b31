// Owns describing system events and final counters in one line each, for the terminal.
import type { SystemCounters, SystemEvent } from '@ocre-ts/actors';

/**
 * A line for the events a person running a system wants to see (faults, restarts, failures,
 * escalations); undefined for routine ones (starts, deliveries, dead letters).
 *
 * @example
 * describeEvent({ type: 'container.restarting', time: 1, container: 'a', attempt: 2, delayMs: 12 });
 * // 'restarting a in 12 ms (restart #2)'
 */
export function describeEvent(event: SystemEvent): string | undefined {
  switch (event.type) {
    case 'container.faulted':
      return `${event.container} faulted ${phaseText[event.phase]}${event.mid === undefined ? '' : ` on message ${event.mid}`}: ${event.error}`;
    case 'container.restarting':
      return `restarting ${event.container} in ${Math.round(event.delayMs)} ms (restart #${event.attempt})`;
    case 'container.unresponsive':
      return `${event.container} is unresponsive (no answer within ${event.afterMs} ms)`;
    case 'container.failed':
      return `${event.container} is down for good: ${event.reason}`;
    case 'container.exited':
      return event.code === 0 ? undefined : `${event.container} exited with code ${event.code}`;
    case 'supervisor.escalated':
      return `supervisor ${event.supervisor} gave up (child ${event.child}): ${event.reason}`;
    case 'container.status':
      return `${event.container} ${event.state}${describeStatusCounters(event.counters)}`;
    case 'queue.full':
      return `router queue full (${event.capacity}): refused a publish by ${event.publisher} on ${event.topic}`;
    default:
      return undefined;
  }
}

/**
 * A bridge's main counters: ` (12 exported, 3 imported, 0 duplicates, 0 outboxed)`, then the
 * outbox file's `journalled` and `journalErrors` when not zero; empty for none.
 */
export function describeStatusCounters(counters: Readonly<Record<string, number>>): string {
  const shown = [
    ...['exported', 'imported', 'duplicates', 'outboxed'].filter(
      (name) => counters[name] !== undefined,
    ),
    ...['journalled', 'journalErrors'].filter((name) => (counters[name] ?? 0) > 0),
  ];
  if (shown.length === 0) return '';
  return ` (${shown.map((name) => `${counters[name]} ${name}`).join(', ')})`;
}

const phaseText = {
  start: 'while starting',
  handler: 'in a handler',
  runtime: 'while running',
} as const;

/** The final counters in one line: `42 published, 80 delivered, 3 dead letters, 0 rejected`. */
export function describeCounters(counters: SystemCounters): string {
  const letters = counters.deadLettered === 1 ? 'dead letter' : 'dead letters';
  return `${counters.published} published, ${counters.delivered} delivered, ${counters.deadLettered} ${letters}, ${counters.rejected} rejected`;
}
