// Owns the NDJSON event log: one JSON object per system event and per injected fault, bigint ids as strings, written as it happens.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { SystemEvent } from '@ocre-ts/actors';
import type { FaultRecord } from '@ocre-ts/actors/testing';
import { usageError } from './errors.ts';

/** Where an injected fault came from: a `--chaos` plan, or a dashboard button. */
export type FaultSource = 'chaos' | 'dashboard';

/** A fault that fired, as the event log records it (beside the system's own events). */
export interface FaultInjectedEvent extends Omit<FaultRecord, 'fault'> {
  readonly type: 'fault.injected';
  /** The fault's index in the plan (live faults follow the plan's). */
  readonly fault: number;
  readonly source: FaultSource;
}

/** One line of the log. */
export type LoggedEvent = SystemEvent | FaultInjectedEvent;

/** A fired fault as a log line. */
export function faultEvent(record: FaultRecord, source: FaultSource): FaultInjectedEvent {
  return { ...record, type: 'fault.injected', source };
}

/** An open event log. */
export interface EventLog {
  /** Append one event as a line. */
  write(event: LoggedEvent): void;
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
export function eventToJson(event: LoggedEvent): string {
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
