// Owns the outbox file's lock: `<file>.lock` created exclusively with the holder's pid, a stale one (its pid gone) taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { BridgeError } from '../errors.ts';

/** Lock files this process holds, by path: our own pid in a lock file is stale unless listed here. */
const heldHere = new Set<string>();

/** A held lock; `release` removes the lock file. */
export interface JournalLock {
  readonly path: string;
  release(): void;
}

/**
 * Take `<file>.lock`. A lock whose pid is not running (a process killed or a host rebooted) is
 * taken over; so is one with this process's own pid that this process does not hold (a container
 * restarted with the same pid).
 *
 * @throws BridgeError `OUTBOX_FILE_LOCKED` when a live process holds it (or a bridge in this one);
 *   `OUTBOX_FILE_UNUSABLE` when the lock file cannot be created (directory missing, not writable)
 */
export function lockJournal(file: string): JournalLock {
  const path = `${file}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      heldHere.add(path);
      return { path, release: () => release(path) };
    } catch (error) {
      if (codeOf(error) !== 'EEXIST' || attempt > 0) throw unusable(file, path, error);
    }
    const holder = lockHolder(path);
    if (holder !== undefined && isRunning(holder) && (holder !== process.pid || heldHere.has(path)))
      throw new BridgeError(
        'OUTBOX_FILE_LOCKED',
        `Outbox file ${file} is in use by ${holder === process.pid ? 'another bridge of this process' : `process ${holder}`} (lock file ${path}). Two bridges cannot share one outbox file: give each its own outboxFile. If no other ocre process uses it, delete ${path}.`,
      );
    try {
      unlinkSync(path); // stale: its holder is gone
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') throw unusable(file, path, error);
    }
  }
}

function release(path: string): void {
  if (!heldHere.delete(path)) return;
  try {
    if (lockHolder(path) === process.pid) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}

/** The pid in a lock file; undefined when it holds none (a holder that crashed while writing it). */
function lockHolder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM'; // it exists, owned by another user
  }
}

/** The `code` of a Node system error, or its message. */
export function codeOf(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string')
    return error.code;
  return error instanceof Error ? error.message : String(error);
}

function unusable(file: string, path: string, error: unknown): BridgeError {
  return new BridgeError(
    'OUTBOX_FILE_UNUSABLE',
    `Outbox file ${file}: cannot create its lock file ${path} (${codeOf(error)}). The directory must exist and be writable by this process; create it or change outboxFile.`,
  );
}
