// Tests the outbox file: replay in order with each entry's own origin, a torn tail, a corrupt record, more entries than the capacity, compaction, a failed write survived in memory, and refusals at start.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '@ocre-ts/actors';
import { afterEach, describe, expect, it } from 'vitest';
import { createBridgeCounters } from '../src/bridge-status.ts';
import type { BridgeCounters } from '../src/bridge-status.ts';
import { isBridgeError } from '../src/errors.ts';
import { OutboxJournal } from '../src/journal/outbox-journal.ts';
import type { OutboxJournalOptions } from '../src/journal/outbox-journal.ts';
import { Outbox, OutboxEntry } from '../src/outbox.ts';

const origin = ' runA12345678 plant-a';
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const open: OutboxJournal[] = [];

afterEach(() => {
  for (const journal of open.splice(0)) journal.close();
});

function entry(n: number, from = origin): OutboxEntry {
  return new OutboxEntry(
    `ocre/numbers/${n}`,
    Buffer.from(String(n)),
    'text/plain',
    BigInt(n),
    from,
  );
}

interface Opened {
  readonly journal: OutboxJournal;
  readonly outbox: Outbox;
  readonly counters: BridgeCounters;
  readonly warnings: string[];
}

/** A journal on `file` opened into a fresh outbox of `capacity`. */
function openJournal(
  file: string,
  capacity = 100,
  options: Partial<OutboxJournalOptions> = {},
): Opened {
  const counters = createBridgeCounters();
  const warnings: string[] = [];
  const journal = new OutboxJournal({
    file,
    sync: 'none',
    clock: new VirtualClock(),
    counters,
    warn: (line) => warnings.push(line),
    ...options,
  });
  const outbox = new Outbox(capacity);
  journal.open(outbox);
  open.push(journal);
  return { journal, outbox, counters, warnings };
}

/** What a bridge would resend: `mid origin topic payload` of every held entry, in order. */
const held = (outbox: Outbox) =>
  outbox.held().map((e) => `${e.mid}${e.origin} ${e.topic} ${Buffer.from(e.payload).toString()}`);

/** A copy of the file as a process killed now would leave it (its lock stays with the live journal). */
function crashImage(file: string): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'ocre-crash-')), 'outbox');
  copyFileSync(file, copy);
  return copy;
}

const fileIn = () => join(mkdtempSync(join(tmpdir(), 'ocre-journal-')), 'outbox');

describe('OutboxJournal', () => {
  it('replays the entries not acknowledged, in order, with their own origins, ahead of new ones', async () => {
    const file = fileIn();
    const first = openJournal(file);
    for (let n = 0; n < 6; n++)
      first.outbox.push(entry(n, n < 3 ? ' runOld000000 plant-a' : origin));
    await turn();
    for (const n of [0, 1, 4]) {
      const taken = first.outbox.held().find((e) => e.mid === BigInt(n));
      first.outbox.ack(taken as OutboxEntry);
    }
    await turn();

    const image = crashImage(file);
    const after = openJournal(image);
    expect(held(after.outbox)).toEqual([
      '2 runOld000000 plant-a ocre/numbers/2 2',
      `3${origin} ocre/numbers/3 3`,
      `5${origin} ocre/numbers/5 5`,
    ]);
    expect(after.counters).toMatchObject({ journalled: 3, journalErrors: 0, outboxed: 3 });
    expect(after.warnings).toEqual([]);
    after.outbox.push(entry(6));
    await turn();
    // A new entry is journalled behind the replayed ones; each keeps its origin through the rewrite.
    expect(
      held(openJournal(crashImage(image)).outbox).map((line) => line.split(' ', 2).join(' ')),
    ).toEqual(['2 runOld000000', '3 runA12345678', '5 runA12345678', '6 runA12345678']);
  });

  it('reopened by the same bridge (a supervisor restart), rewrites the file from the outbox instead of replaying it twice', async () => {
    const file = fileIn();
    const { journal, outbox, counters } = openJournal(file);
    for (let n = 0; n < 3; n++) outbox.push(entry(n));
    journal.close(); // writes what is pending
    expect(existsSync(`${file}.lock`)).toBe(false);
    journal.open(outbox);
    expect(held(outbox).map((line) => line.split(' ')[0])).toEqual(['0', '1', '2']);
    expect(counters.journalled).toBe(0);
    outbox.push(entry(3));
    await turn();
    expect(held(openJournal(crashImage(file)).outbox).map((line) => line.split(' ')[0])).toEqual([
      '0',
      '1',
      '2',
      '3',
    ]);
  });

  it('writes nothing for an entry that enters and leaves within one turn', async () => {
    const file = fileIn();
    const { outbox } = openJournal(file);
    const size = statSync(file).size;
    const e = entry(1);
    outbox.push(e);
    outbox.ack(e);
    await turn();
    expect(statSync(file).size).toBe(size);
  });

  it('drops a torn last record (a crash mid-write), counts it and says so once', async () => {
    const file = fileIn();
    const { outbox } = openJournal(file);
    for (let n = 0; n < 3; n++) outbox.push(entry(n));
    await turn();
    const image = crashImage(file);
    truncateSync(image, statSync(image).size - 2);

    const after = openJournal(image);
    expect(held(after.outbox).map((line) => line.split(' ')[0])).toEqual(['0', '1']);
    expect(after.counters).toMatchObject({ journalled: 2, journalErrors: 1 });
    expect(after.warnings).toHaveLength(1);
    expect(after.warnings[0]).toMatch(
      /^\[OUTBOX_FILE_TORN\] outbox file .*outbox: its last record was cut short \(\d+ bytes/,
    );
    after.journal.close();
    // The file was rewritten without the torn record: the next start finds nothing to say.
    const again = openJournal(image);
    expect(again.warnings).toEqual([]);
    expect(again.counters.journalled).toBe(2);
  });

  it('keeps the entries before a corrupt record, saves the file as found, and says where', async () => {
    const file = fileIn();
    const { outbox } = openJournal(file);
    for (let n = 0; n < 4; n++) outbox.push(entry(n));
    await turn();
    const image = crashImage(file);
    const bytes = readFileSync(image);
    const recordBytes = (bytes.length - 8) / 4;
    const third = 8 + 2 * recordBytes;
    bytes[third + 20] = (bytes[third + 20] as number) ^ 0xff; // a flipped byte in the third record's body
    writeFileSync(image, bytes);

    const after = openJournal(image);
    expect(held(after.outbox).map((line) => line.split(' ')[0])).toEqual(['0', '1']);
    expect(after.counters).toMatchObject({ journalled: 2, journalErrors: 1 });
    expect(after.warnings).toEqual([
      `[OUTBOX_FILE_CORRUPT] outbox file ${image}: the record at byte ${third} fails its checksum; the 2 pending exports before it are kept, the ${bytes.length - third} bytes from it on are not read. The file as found is saved as ${image}.corrupt`,
    ]);
    expect(readFileSync(`${image}.corrupt`)).toEqual(bytes);
  });

  it('keeps the oldest outboxCapacity entries of a larger file, the rest counted in outboxFull', async () => {
    const file = fileIn();
    const { outbox } = openJournal(file);
    for (let n = 0; n < 10; n++) outbox.push(entry(n));
    await turn();
    const after = openJournal(crashImage(file), 4);
    expect(held(after.outbox).map((line) => line.split(' ')[0])).toEqual(['0', '1', '2', '3']);
    expect(after.counters).toMatchObject({ journalled: 4, outboxFull: 6, outboxed: 4 });
    expect(after.warnings).toEqual([
      expect.stringMatching(
        /^\[OUTBOX_FILE_OVER_CAPACITY\] .* held 10 pending exports, more than outboxCapacity \(4\): the oldest 4 are kept, the 6 newest dropped/,
      ),
    ]);
  });

  it('compacts the file once done records dominate, so a long run does not grow it without bound', async () => {
    const file = fileIn();
    const { outbox } = openJournal(file, 1000, { compactBytes: 4096 });
    let sizeMax = 0;
    let written = 0;
    for (let round = 0; round < 50; round++) {
      const batch = Array.from({ length: 20 }, (_, i) => entry(round * 20 + i));
      for (const e of batch) outbox.push(e);
      const before = statSync(file).size;
      await turn();
      written += statSync(file).size - before; // 20 entry records
      for (const e of batch.slice(0, 19)) outbox.ack(e); // one of each 20 stays
      await turn();
      sizeMax = Math.max(sizeMax, statSync(file).size);
    }
    // Uncompacted, the file would hold every entry record written (and the done records).
    expect(written).toBeGreaterThan(70_000);
    // Compacted whenever its 50 live entries fall under a quarter of its records.
    expect(sizeMax).toBeLessThan(20_000);
    const after = openJournal(crashImage(file), 1000);
    expect(held(after.outbox).map((line) => line.split(' ')[0])).toEqual(
      Array.from({ length: 50 }, (_, round) => String(round * 20 + 19)),
    );
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it('survives a failed write: says it, counts it, holds exports in memory, and rewrites the file once it can', async () => {
    const file = fileIn();
    const clock = new VirtualClock();
    const { outbox, counters, warnings } = openJournal(file, 1000, { compactBytes: 64, clock });
    mkdirSync(`${file}.tmp`); // the compaction's temporary file cannot be created: EISDIR
    const done = [entry(1), entry(2), entry(3), entry(4)];
    for (const e of done) outbox.push(e);
    await turn();
    for (const e of done) outbox.ack(e);
    outbox.push(entry(5));
    await turn(); // 1 live entry of 5 records: the compaction fails
    expect(counters.journalErrors).toBe(1);
    expect(warnings).toEqual([
      `[OUTBOX_WRITE_FAILED] outbox file ${file}: a write failed (EISDIR); exports are held in memory only until it can be rewritten (tried again every 1000 ms while exports flow)`,
    ]);
    outbox.push(entry(6));
    await turn(); // before the retry time: memory only
    expect(held(outbox).map((line) => line.split(' ')[0])).toEqual(['5', '6']);
    rmSync(`${file}.tmp`, { recursive: true });
    await clock.advance(1000);
    outbox.push(entry(7));
    await turn();
    expect(warnings.at(-1)).toBe(
      `outbox file ${file}: writable again, rewritten with the 3 exports held`,
    );
    expect(counters.journalErrors).toBe(1);
    const after = openJournal(crashImage(file));
    expect(held(after.outbox).map((line) => line.split(' ')[0])).toEqual(['5', '6', '7']);
  });

  it('refuses a second journal on a file that one holds, and takes over a lock whose process is gone', () => {
    const file = fileIn();
    const first = openJournal(file);
    let error: unknown;
    try {
      openJournal(file);
    } catch (caught) {
      error = caught;
    }
    expect(isBridgeError(error, 'OUTBOX_FILE_LOCKED')).toBe(true);
    expect((error as Error).message).toBe(
      `Outbox file ${file} is in use by another bridge of this process (lock file ${file}.lock). Two bridges cannot share one outbox file: give each its own outboxFile. If no other ocre process uses it, delete ${file}.lock.`,
    );
    first.journal.close();
    expect(existsSync(`${file}.lock`)).toBe(false);

    writeFileSync(`${file}.lock`, '2147483646\n'); // no such process
    const taken = openJournal(file);
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    taken.journal.close();
  });

  it('fails at start with the path when the file cannot be created, and never overwrites a file that is not an outbox file', () => {
    const regular = fileIn();
    writeFileSync(regular, 'not a directory');
    const under = join(regular, 'outbox');
    expect(() => openJournal(under)).toThrow(
      expect.objectContaining({
        code: 'OUTBOX_FILE_UNUSABLE',
        message: `Outbox file ${under}: cannot create its lock file ${under}.lock (ENOTDIR). The directory must exist and be writable by this process; create it or change outboxFile.`,
      }),
    );
    const foreign = fileIn();
    writeFileSync(foreign, 'name: my system\n');
    expect(() => openJournal(foreign)).toThrow(
      expect.objectContaining({ code: 'OUTBOX_FILE_FOREIGN' }),
    );
    expect(readFileSync(foreign, 'utf8')).toBe('name: my system\n');
    expect(existsSync(`${foreign}.lock`)).toBe(false); // released on the refusal
  });
});
