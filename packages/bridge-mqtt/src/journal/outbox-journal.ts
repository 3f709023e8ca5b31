// Owns journalling the outbox to its file: replay at start, one batched append per event-loop turn, compaction, and surviving write errors in memory.
import { closeSync, fdatasyncSync, fsyncSync, openSync, renameSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '@ocre-ts/actors';
import type { BridgeCounters } from '../bridge-status.ts';
import { bridgeDefaults } from '../defaults.ts';
import { BridgeError, bridgeProblem } from '../errors.ts';
import type { OutboxSync } from '../options.ts';
import type { Outbox, OutboxEntry, OutboxListener } from '../outbox.ts';
import { doneRanges, syncDirectory, writeAll } from './journal-io.ts';
import { codeOf, lockJournal } from './journal-lock.ts';
import { replayJournal } from './replay-journal.ts';
import type { JournalLock } from './journal-lock.ts';
import {
  doneRecordBytes,
  entryRecordBytes,
  journalMagic,
  writeDoneRecord,
  writeEntryRecord,
} from './journal-records.ts';

/** What a journal needs from its bridge. */
export interface OutboxJournalOptions {
  /** The outbox file (its lock is `<file>.lock`, a rewrite goes through `<file>.tmp`). */
  readonly file: string;
  readonly sync: OutboxSync;
  /** The file is rewritten once larger than this and live entries are under `outboxCompactLiveFraction` of its records (default `outboxCompactBytes`). */
  readonly compactBytes?: number;
  readonly clock: Clock;
  readonly counters: BridgeCounters;
  /** A line for the operator. */
  readonly warn: (line: string) => void;
}

/**
 * The outbox's file. `open` locks it, replays it into the outbox (the first time) and rewrites
 * it from the outbox; from then on every entry that enters the outbox and every one that leaves
 * is appended, one write per event-loop turn (an entry that enters and leaves within one turn is
 * never written). `close` flushes and lets the lock go; `open` again rewrites the file from the
 * outbox, which stays authoritative for this bridge's life.
 */
export class OutboxJournal implements OutboxListener {
  private fd: number | undefined;
  private lock: JournalLock | undefined;
  private outbox: Outbox | undefined;
  private replayed = false;
  private readonly unflushed: OutboxEntry[] = [];
  private readonly done: number[] = [];
  private scheduled = false;
  private lastSeq = 0;
  /** File size, entry records in it, and those not yet done. */
  private bytes = 0;
  private records = 0;
  private live = 0;
  /** After a failed write: the file is rewritten (not appended to) once `retryAt` has passed. */
  private failed = false;
  private retryAt = 0;
  private readonly compactBytes: number;

  constructor(private readonly options: OutboxJournalOptions) {
    this.compactBytes = options.compactBytes ?? bridgeDefaults.outboxCompactBytes;
  }

  /**
   * Lock the file, replay it into `outbox` on the first open, and rewrite it from the outbox.
   *
   * @throws BridgeError `OUTBOX_FILE_LOCKED`, `OUTBOX_FILE_UNUSABLE` or `OUTBOX_FILE_FOREIGN`
   */
  open(outbox: Outbox): void {
    if (this.lock !== undefined) this.close(); // started again without a stop: let go first
    const lock = lockJournal(this.options.file);
    try {
      if (!this.replayed) replayJournal(outbox, this.options);
      this.replayed = true;
      this.rewrite(outbox);
    } catch (error) {
      lock.release();
      if (error instanceof BridgeError) throw error;
      throw new BridgeError(
        'OUTBOX_FILE_UNUSABLE',
        `Outbox file ${this.options.file}: cannot write it (${codeOf(error)}). Its directory must be writable by this process; fix that or change outboxFile.`,
      );
    }
    this.lock = lock;
    this.outbox = outbox;
    outbox.listener = this;
  }

  /** Write what is pending, close the file and release the lock. */
  close(): void {
    if (this.outbox !== undefined) this.outbox.listener = undefined;
    this.flush(true);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.outbox = undefined;
    this.lock?.release();
    this.lock = undefined;
  }

  /** An entry entered the outbox: written with this turn's batch. */
  entered(entry: OutboxEntry): void {
    this.unflushed.push(entry);
    this.schedule();
  }

  /** An entry left the outbox (acknowledged, or let go): marked done with this turn's batch. */
  left(entry: OutboxEntry): void {
    if (!entry.written) return; // entered and left within one turn: never written
    this.done.push(entry.seq);
    this.live--;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Write this turn's batch; after a failure, rewrite the file once `retryAt` has passed (or now, `closing`). */
  private flush(closing = false): void {
    this.scheduled = false;
    const { outbox } = this;
    if (this.fd === undefined || outbox === undefined) return;
    if (this.failed) {
      this.unflushed.length = 0; // the rewrite after the failure writes every held entry
      this.done.length = 0;
      if (closing || this.options.clock.now() >= this.retryAt) this.recover(outbox);
      return;
    }
    try {
      this.append();
      if (
        this.bytes > this.compactBytes &&
        this.live < this.records * bridgeDefaults.outboxCompactLiveFraction
      )
        this.rewrite(outbox);
    } catch (error) {
      this.writeFailed(error);
    }
  }

  /** Append this turn's entries and done ranges in one write. */
  private append(): void {
    const { counters, file } = this.options;
    let size = 0;
    const entries: OutboxEntry[] = [];
    for (const entry of this.unflushed) {
      if (entry.acked) continue;
      const bytes = entryRecordBytes(entry);
      if (bytes === undefined) {
        counters.journalErrors++;
        this.options.warn(
          bridgeProblem(
            'OUTBOX_WRITE_FAILED',
            `outbox file ${file}: message ${entry.mid} on ${entry.topic} has a field over 65535 bytes; held in memory only`,
          ),
        );
        continue;
      }
      entry.seq = ++this.lastSeq;
      size += bytes;
      entries.push(entry);
    }
    this.unflushed.length = 0;
    const ranges = doneRanges(this.done);
    this.done.length = 0;
    size += (ranges.length / 2) * doneRecordBytes;
    if (size === 0) return;
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    for (const entry of entries) at = writeEntryRecord(out, at, entry);
    for (let i = 0; i < ranges.length; i += 2)
      at = writeDoneRecord(out, at, ranges[i] as number, ranges[i + 1] as number);
    writeAll(this.fd as number, out);
    if (this.options.sync === 'batch') fdatasyncSync(this.fd as number);
    for (const entry of entries) entry.written = true;
    this.bytes += size;
    this.records += entries.length;
    this.live += entries.length;
  }

  /** Replace the file with the outbox's held entries: a temporary file, then a rename. */
  private rewrite(outbox: Outbox): void {
    const { file, sync } = this.options;
    const temp = `${file}.tmp`;
    const held = outbox.held();
    const written: OutboxEntry[] = [];
    const fd = openSync(temp, 'w');
    let size = journalMagic.length;
    try {
      writeAll(fd, journalMagic);
      const chunk = Buffer.allocUnsafe(1 << 20);
      let at = 0;
      for (const entry of held) {
        entry.seq = ++this.lastSeq;
        const bytes = entryRecordBytes(entry) ?? 0;
        if (bytes === 0) continue; // over the format's field sizes: in memory only (said on append)
        if (at + bytes > chunk.length) {
          writeAll(fd, chunk.subarray(0, at));
          at = 0;
        }
        const out = bytes > chunk.length ? Buffer.allocUnsafe(bytes) : chunk;
        const end = writeEntryRecord(out, out === chunk ? at : 0, entry);
        if (out === chunk) at = end;
        else writeAll(fd, out);
        size += bytes;
        written.push(entry);
      }
      writeAll(fd, chunk.subarray(0, at));
      if (sync === 'batch') fsyncSync(fd);
      renameSync(temp, file);
      if (sync === 'batch') syncDirectory(dirname(file));
    } catch (error) {
      closeSync(fd);
      try {
        unlinkSync(temp);
      } catch {
        // Nothing to remove.
      }
      throw error;
    }
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = fd; // the renamed file: appends continue at its end
    for (const entry of held) entry.written = false;
    for (const entry of written) entry.written = true;
    this.unflushed.length = 0;
    this.done.length = 0;
    this.bytes = size;
    this.records = written.length;
    this.live = written.length;
  }

  private writeFailed(error: unknown): void {
    this.options.counters.journalErrors++;
    this.failed = true;
    this.retryAt = this.options.clock.now() + bridgeDefaults.outboxRetryMs;
    this.options.warn(
      bridgeProblem(
        'OUTBOX_WRITE_FAILED',
        `outbox file ${this.options.file}: a write failed (${codeOf(error)}); exports are held in memory only until it can be rewritten (tried again every ${bridgeDefaults.outboxRetryMs} ms while exports flow)`,
      ),
    );
  }

  private recover(outbox: Outbox): void {
    try {
      this.rewrite(outbox);
    } catch (error) {
      this.writeFailed(error);
      return;
    }
    this.failed = false;
    this.options.warn(
      `outbox file ${this.options.file}: writable again, rewritten with the ${outbox.size} exports held`,
    );
  }
}
