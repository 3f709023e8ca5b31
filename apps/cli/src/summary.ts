// Owns the summary printed after a demo run: counters, dead letters by reason, each container's restarts and what supervision did.
import type { DeadLetterReason, SystemStopped } from '@ocre-ts/actors';
import { formatDuration } from './duration.ts';
import { alignColumns } from './table.ts';

/** What happened during a run, beyond the final counters. */
export interface RunRecord {
  /** How long it ran, ms. */
  readonly elapsedMs: number;
  /** Dead letters by reason. */
  readonly deadLetters: ReadonlyMap<DeadLetterReason, number>;
  /** The containers, by name, in start order. */
  readonly containers: readonly string[];
}

/**
 * The summary as lines.
 *
 * @param stopped - how the system ended
 * @param record - what the run observed
 */
export function summaryLines(stopped: SystemStopped, record: RunRecord): string[] {
  const { counters } = stopped;
  const { containers } = record;
  const letters =
    record.deadLetters.size === 0
      ? 'none'
      : [...record.deadLetters].map(([reason, count]) => `${count} ${reason}`).join(', ');
  const table = alignColumns([
    ['container', 'restarts', 'faults', 'handled', 'published', 'dead letters'],
    ...containers.map((name) => {
      const c = counters.containers[name];
      return [
        name,
        String(c?.restarts ?? 0),
        String(c?.faults ?? 0),
        String(c?.delivered ?? 0),
        String(c?.published ?? 0),
        String(c?.deadLettered ?? 0),
      ];
    }),
  ]);
  const end = stopped.failed ? 'FAILED' : 'stopped';
  return [
    `Summary after ${formatDuration(record.elapsedMs)} — ${end}: ${stopped.reason}`,
    `  messages: ${counters.published} published, ${counters.delivered} handled, ` +
      `${plural(counters.deadLettered, 'dead letter')}, ${counters.rejected} rejected`,
    `  dead letters by reason: ${letters}`,
    ...table.map((line) => `  ${line}`),
    `  supervision: ${supervisionStory(stopped, containers)}`,
  ];
}

/** What the supervisors did, in one sentence. */
function supervisionStory(stopped: SystemStopped, containers: readonly string[]): string {
  const { counters } = stopped;
  const restarted = containers.filter((name) => (counters.containers[name]?.restarts ?? 0) > 0);
  if (restarted.length === 0) return 'no restarts';
  const calm = containers.filter((name) => !restarted.includes(name));
  const story = restarted.map((name) => {
    const c = counters.containers[name];
    const faults = c?.faults ?? 0;
    const restarts = `restarted ${times(c?.restarts ?? 0)}`;
    return faults === 0
      ? `${name} was ${restarts} along with it`
      : `${name} faulted ${times(faults)} and was ${restarts}`;
  });
  if (calm.length > 0) story.push(`${calm.join(' and ')} kept running untouched`);
  return story.join('; ');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}
