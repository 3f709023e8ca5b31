// Tests the outbox file's records: any entries and done ranges read back as written, and every truncation of a file reads as its complete records plus a torn tail.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  doneRecordBytes,
  entryRecordBytes,
  journalMagic,
  readJournal,
  writeDoneRecord,
  writeEntryRecord,
} from '../src/journal/journal-records.ts';
import type { JournalEntry } from '../src/journal/journal-records.ts';

const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 });
const entries = fc.uniqueArray(
  fc.record({
    seq: fc.integer({ min: 1, max: 2 ** 40 }),
    mid: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    origin: text,
    topic: text,
    contentType: text,
    payload: fc.uint8Array({ minLength: 1, maxLength: 200 }),
  }),
  { selector: (e) => e.seq, maxLength: 20 },
);

/** A file of `written` entry records followed by one done record per `[first, last]`. */
function file(written: readonly JournalEntry[], done: readonly (readonly [number, number])[] = []) {
  const size =
    journalMagic.length +
    written.reduce((n, e) => n + (entryRecordBytes(e) as number), 0) +
    done.length * doneRecordBytes;
  const out = Buffer.alloc(size);
  let at = journalMagic.copy(out, 0);
  for (const e of written) at = writeEntryRecord(out, at, e);
  for (const [first, last] of done) at = writeDoneRecord(out, at, first, last);
  return out;
}

const plain = (list: readonly JournalEntry[]) =>
  list.map((e) => ({ ...e, payload: [...e.payload] }));

describe('journal records', () => {
  it('reads back any entries, less those a done range covers, in file order', () => {
    fc.assert(
      fc.property(
        entries,
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.nat(2 ** 20),
        (written, first, span) => {
          const last = first + span;
          const contents = readJournal(file(written, [[first, last]]));
          expect(plain(contents.pending)).toEqual(
            plain(written.filter((e) => e.seq < first || e.seq > last)),
          );
          expect(contents).toMatchObject({
            records: written.length,
            tornBytes: 0,
            corruptAt: undefined,
            foreign: false,
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads every truncation of a file as its whole records and a torn tail', () => {
    fc.assert(
      fc.property(entries, fc.double({ min: 0, max: 1, noNaN: true }), (written, cut) => {
        const bytes = file(written);
        const length = Math.floor(cut * bytes.length);
        const contents = readJournal(bytes.subarray(0, length));
        let whole = journalMagic.length;
        const kept = written.filter((e) => {
          const end = whole + (entryRecordBytes(e) as number);
          if (end > length) return false;
          whole = end;
          return true;
        });
        expect(plain(contents.pending)).toEqual(plain(kept));
        expect(contents.tornBytes).toBe(length < journalMagic.length ? length : length - whole);
        expect(contents.corruptAt).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('reads a zeroed tail (a power cut without fsync) as a corrupt record after the whole ones', () => {
    const written = [
      { seq: 1, mid: 7n, origin: ' r s', topic: 't', contentType: 'c', payload: Buffer.from('x') },
    ];
    const bytes = file(written);
    const contents = readJournal(Buffer.concat([bytes, Buffer.alloc(4096)]));
    expect(plain(contents.pending)).toEqual(plain(written));
    expect(contents.corruptAt).toBe(bytes.length);
  });

  it('tells an outbox file from any other file', () => {
    expect(readJournal(Buffer.alloc(0))).toMatchObject({ foreign: false, pending: [] });
    expect(readJournal(Buffer.from('{"a":1}\n'))).toMatchObject({ foreign: true, pending: [] });
    expect(readJournal(Buffer.from('OCR'))).toMatchObject({ foreign: false, tornBytes: 3 });
  });
});
