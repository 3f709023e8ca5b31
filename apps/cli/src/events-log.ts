// Owns the NDJSON event log: one JSON object per system event, bigint ids as strings, written as it happens.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { SystemEvent } from '@ocre-ts/actors';
import { usageError } from './errors.ts';

/** An open event log. */
export interface EventLog {
  /** Append one event as a line. */
  write(event: SystemEvent): void;
  /** Close the file; later writes are ignored. */
  close(): void;
}

/**
 * One event as a JSON line: `time` and `type` first, then the event's own fields; bigints
 * (message ids) become strings so every reader can parse them.
 *
 * @example
 * eventToJson({ type: 'container.running', time: 12, container: 'publisher' });
 * // '{"time":12,"type":"container.running","container":"publisher"}'
 */
function eventToJson(event: SystemEvent): string {
  const { time, type, ...fields } = event;
  // Microseconds are all the clock can honestly claim.
  const ms = Math.round(time * 1000) / 1000;
  return JSON.stringify({ time: ms, type, ...fields }, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
}

/**
 * Open (create or truncate) an event log. Each line is written synchronously, so the file holds
 * every event up to the moment the process ends, however it ends.
 *
 * @param path - the file to write
 * @param command - the command that asked for it, for the help hint in errors
 * @throws CliError `USAGE` when the file cannot be opened for writing
 */
export function openEventLog(path: string, command: string): EventLog {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw usageError(`--events: cannot write ${path}: ${(error as Error).message}`, command);
  }
  return {
    write(event) {
      if (fd !== undefined) writeSync(fd, `${eventToJson(event)}\n`);
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
