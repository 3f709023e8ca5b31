// Owns reading a recorded run (the NDJSON event log of `--events`) for replay: checking every line, ordering by time, and the tree the log tells of.
import { readFileSync } from 'node:fs';
import { systemFileError, usageError } from '../errors.ts';
import type { TreeNode, WireEvent } from './model/wire.ts';

/** A recorded run, ready to replay. */
export interface RecordedRun {
  /** Its events in time order (ties in file order). */
  readonly events: readonly WireEvent[];
  /** The containers the log names, in order of appearance, under a root supervisor. */
  readonly tree: TreeNode;
  /** The router queue's capacity when a `queue.full` event tells it, else 0 (unknown). */
  readonly queueCapacity: number;
}

/** The most lines a replay takes; a longer log is refused rather than freezing the browser. */
const maxReplayEvents = 200_000;

/**
 * Read an event log for replay.
 *
 * @param path - the NDJSON file `ocre run --events` wrote
 * @throws CliError `USAGE` when the file cannot be read, is empty or too long;
 *   `INVALID_SYSTEM_FILE` listing (up to 10) lines that are not events
 */
export function readRecordedRun(path: string): RecordedRun {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${path}: ${(error as Error).message}`, 'dashboard');
  }
  const lines = text.split('\n');
  const events: WireEvent[] = [];
  const problems: string[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`line ${index + 1}: not JSON`);
      return;
    }
    const event = value as Partial<WireEvent> | null;
    if (
      typeof event !== 'object' ||
      event === null ||
      typeof event.time !== 'number' ||
      !Number.isFinite(event.time) ||
      typeof event.type !== 'string'
    ) {
      problems.push(`line ${index + 1}: expected an event {"time": <ms>, "type": "…", …}`);
      return;
    }
    events.push(event as WireEvent);
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 10);
    const more = problems.length - shown.length;
    throw systemFileError(
      `event log ${path}`,
      shown,
      'INVALID_SYSTEM_FILE',
      more > 0 ? `…and ${more} more` : 'Write one with `ocre run … --events <file>`.',
    );
  }
  if (events.length === 0) {
    throw usageError(
      `${path} holds no events; record one with ocre run … --events ${path}`,
      'dashboard',
    );
  }
  if (events.length > maxReplayEvents) {
    throw usageError(
      `${path} holds ${events.length} events; a replay takes at most ${maxReplayEvents}`,
      'dashboard',
    );
  }
  const ordered = events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => a.event.time - b.event.time || a.index - b.index)
    .map(({ event }) => event);
  const names: string[] = [];
  let queueCapacity = 0;
  for (const event of ordered) {
    const container = event['container'];
    if (typeof container === 'string' && !names.includes(container)) names.push(container);
    if (event.type === 'queue.full' && typeof event['capacity'] === 'number') {
      queueCapacity = event['capacity'];
    }
  }
  return {
    events: ordered,
    tree: {
      kind: 'supervisor',
      name: 'root',
      children: names.map((name) => ({ kind: 'container', name })),
    },
    queueCapacity,
  };
}
