// Owns checkHistory: the invariants every recorded run must satisfy (no loss, ids, FIFO, restart intensity, nothing after the stop), returned as violations.
import type { DeadLetterReason } from '../dead-letter.ts';
import type { HistoryEntry } from './history.ts';

/** Which invariant a violation breaks. */
export type HistoryRule =
  /** Accepted ids are unique, dense and increasing. */
  | 'ids'
  /** Every accepted message is delivered to each match or dead-lettered with a reason, exactly once. */
  | 'accounted'
  /** Each container handles one publisher's messages in the order they were published. */
  | 'fifo'
  /** No supervisor restarts more than its intensity allows, nor after it gave up. */
  | 'intensity'
  /** Nothing happens after `system.stopped`, which happens once. */
  | 'after-stop'
  /** The final counters agree with the history. */
  | 'counters';

/** One broken invariant. */
export interface HistoryViolation {
  readonly rule: HistoryRule;
  /** What happened, naming the message, container or supervisor. */
  readonly message: string;
}

/** Options of {@link checkHistory}. */
export interface CheckHistoryOptions {
  /**
   * The run is over: every accepted message must be accounted for. Default: true when the
   * history holds `system.stopped`; a run still going is only checked for what cannot change.
   */
  readonly complete?: boolean;
}

const reasons: readonly DeadLetterReason[] = [
  'no-subscriber',
  'mailbox-full',
  'handler-fault',
  'container-down',
  'shutdown',
  'dropped',
];

interface MessageRecord {
  readonly topic: string;
  readonly publisher: string;
  /** Matching subscriptions per container; undefined until routed. */
  matches?: Map<string, number>;
  /** Deliveries and dead letters per container (`''` for a dead letter without one). */
  readonly outcomes: Map<string, string[]>;
}

/**
 * Check a recorded run (see {@link recordHistory}) against the system's guarantees:
 * - `accounted`: every accepted message is delivered to each matching subscription or becomes a
 *   dead letter with a reason, exactly once; a message nobody matched is one `no-subscriber`
 *   dead letter; one still queued at a stop is one `shutdown` dead letter;
 * - `ids`: accepted ids are unique, dense and increasing;
 * - `fifo`: each container handles each publisher's messages in publish order;
 * - `intensity`: each supervisor's restarts stay within `maxRestarts` per `withinMs`, and none
 *   follows its giving up until it is started again;
 * - `after-stop`: nothing follows `system.stopped`;
 * - `counters`: the final counters match the history.
 *
 * @returns every violation found, in history order (empty when the run is sound)
 */
export function checkHistory(
  history: readonly HistoryEntry[],
  options: CheckHistoryOptions = {},
): HistoryViolation[] {
  const violations: HistoryViolation[] = [];
  const fail = (rule: HistoryRule, message: string): void => {
    violations.push({ rule, message });
  };
  const messages = new Map<bigint, MessageRecord>();
  const lastHandled = new Map<string, bigint>();
  const restarts = new Map<string, number[]>();
  const gaveUp = new Set<string>();
  let previousMid: bigint | undefined;
  let stoppedAt: number | undefined;
  let delivered = 0;
  let deadLettered = 0;

  const outcome = (mid: bigint, container: string, what: string): MessageRecord | undefined => {
    const record = messages.get(mid);
    if (record === undefined) {
      fail(
        'accounted',
        `message ${mid} ${what} for ${container || 'nobody'}, but was never accepted`,
      );
      return undefined;
    }
    record.outcomes.set(container, [...(record.outcomes.get(container) ?? []), what]);
    return record;
  };

  history.forEach((entry, index) => {
    if (stoppedAt !== undefined)
      fail('after-stop', `${describeEntry(entry)} at entry ${index}, after system.stopped`);
    switch (entry.kind) {
      case 'accepted':
        if (messages.has(entry.mid)) fail('ids', `message id ${entry.mid} was accepted twice`);
        else if (previousMid !== undefined && entry.mid !== previousMid + 1n)
          fail(
            'ids',
            `message id ${entry.mid} follows ${previousMid}: ids must be dense and increasing`,
          );
        previousMid = entry.mid;
        messages.set(entry.mid, {
          topic: entry.topic,
          publisher: entry.publisher,
          outcomes: new Map(),
        });
        return;
      case 'routed': {
        const record = messages.get(entry.mid);
        if (record === undefined)
          return fail('accounted', `message ${entry.mid} was routed but never accepted`);
        if (record.matches !== undefined)
          return fail('accounted', `message ${entry.mid} was routed twice`);
        record.matches = new Map();
        for (const name of entry.subscribers)
          record.matches.set(name, (record.matches.get(name) ?? 0) + 1);
        return;
      }
      case 'delivered': {
        delivered++;
        const record = outcome(entry.mid, entry.container, 'delivered');
        if (record === undefined) return;
        const key = `${record.publisher}\u0000${entry.container}`;
        const last = lastHandled.get(key);
        if (last !== undefined && entry.mid < last)
          fail(
            'fifo',
            `${entry.container} handled message ${entry.mid} from ${record.publisher} after message ${last}, published later`,
          );
        else lastHandled.set(key, entry.mid);
        return;
      }
      case 'supervisor-started':
        restarts.set(entry.supervisor, []);
        gaveUp.delete(entry.supervisor);
        return;
      case 'restart': {
        const { supervisor, child, time, maxRestarts, withinMs } = entry.decision;
        if (gaveUp.has(supervisor))
          fail('intensity', `supervisor "${supervisor}" restarted "${child}" after it gave up`);
        const times = [...(restarts.get(supervisor) ?? []), time].filter(
          (t) => time - t < withinMs,
        );
        restarts.set(supervisor, times);
        if (times.length > maxRestarts)
          fail(
            'intensity',
            `supervisor "${supervisor}" restarted "${child}": ${times.length} restarts within ${withinMs} ms, more than its ${maxRestarts}`,
          );
        return;
      }
      case 'event': {
        const { event } = entry;
        if (event.type === 'supervisor.escalated') gaveUp.add(event.supervisor);
        if (event.type === 'message.dead-lettered') {
          deadLettered++;
          if (!reasons.includes(event.reason))
            fail(
              'accounted',
              `message ${event.mid} was dead-lettered without a known reason (${String(event.reason)})`,
            );
          outcome(event.mid, event.container ?? '', event.reason);
        }
        if (event.type === 'system.stopped') {
          stoppedAt = index;
          const { counters } = event;
          const expected = { published: messages.size, delivered, deadLettered };
          for (const key of ['published', 'delivered', 'deadLettered'] as const) {
            if (counters[key] !== expected[key])
              fail(
                'counters',
                `system.stopped says ${key} ${counters[key]}, the history ${expected[key]}`,
              );
          }
        }
      }
    }
  });

  const complete = options.complete ?? stoppedAt !== undefined;
  for (const [mid, record] of messages) checkAccounted(mid, record, complete, fail);
  return violations;
}

function checkAccounted(
  mid: bigint,
  record: MessageRecord,
  complete: boolean,
  fail: (rule: HistoryRule, message: string) => void,
): void {
  const { matches, outcomes } = record;
  const of = (name: string) => outcomes.get(name) ?? [];
  const show = (name: string) => `[${of(name).join(', ')}]`;
  if (matches === undefined) {
    const letters = of('');
    const expectShutdown = complete
      ? letters.length !== 1 || letters[0] !== 'shutdown'
      : letters.length > 1;
    if (expectShutdown || outcomes.size > (letters.length > 0 ? 1 : 0))
      fail(
        'accounted',
        `message ${mid} on ${record.topic} was never routed; it must end as one shutdown dead letter, got ${describeOutcomes(outcomes)}`,
      );
    return;
  }
  if (matches.size === 0) {
    const letters = of('');
    const wrong = complete
      ? letters.length !== 1 || letters[0] !== 'no-subscriber'
      : letters.length > 1;
    if (wrong || outcomes.size > (letters.length > 0 ? 1 : 0))
      fail(
        'accounted',
        `message ${mid} on ${record.topic} matched nobody; it must end as one no-subscriber dead letter, got ${describeOutcomes(outcomes)}`,
      );
    return;
  }
  for (const name of outcomes.keys()) {
    if (!matches.has(name))
      fail(
        'accounted',
        `message ${mid} on ${record.topic} ended ${show(name)} for ${name || 'nobody'}, which it did not match`,
      );
  }
  for (const [name, count] of matches) {
    const got = of(name).length;
    if (got > count || (complete && got < count))
      fail(
        'accounted',
        `message ${mid} on ${record.topic} matched ${name} ${count === 1 ? 'once' : `${count} times`} and ended ${show(name)} there`,
      );
  }
}

function describeOutcomes(outcomes: ReadonlyMap<string, readonly string[]>): string {
  if (outcomes.size === 0) return 'nothing';
  return [...outcomes]
    .map(([name, what]) => `${what.join(', ')}${name ? ` (${name})` : ''}`)
    .join('; ');
}

function describeEntry(entry: HistoryEntry): string {
  switch (entry.kind) {
    case 'accepted':
    case 'routed':
    case 'delivered':
      return `${entry.kind} message ${entry.mid}`;
    case 'supervisor-started':
      return `supervisor "${entry.supervisor}" started`;
    case 'restart':
      return `restart of "${entry.decision.child}"`;
    case 'event':
      return `event ${entry.event.type}`;
  }
}
