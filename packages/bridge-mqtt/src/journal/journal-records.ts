// Owns the outbox file's format: a magic header, then append-only records each framed by a length and a CRC32, and reading them back.
import { crc32 } from 'node:zlib';

/** The first bytes of every outbox file: a file without them is not ours and is never overwritten. */
export const journalMagic = Buffer.from('OCREOBX1', 'latin1');

/** Record framing: a u32 body length and a u32 CRC32 of the body, little-endian. */
const frameBytes = 8;
const entryKind = 1;
const doneKind = 2;
/** Kind, seq (u48), mid (u64), three u16 lengths. */
const entryFixedBytes = 1 + 6 + 8 + 2 + 2 + 2;
/** Kind, first seq, last seq (u48 each). */
const doneBodyBytes = 1 + 6 + 6;
/** The largest body a reader accepts: an MQTT packet's limit plus the fixed fields. */
const maxBodyBytes = 268_435_455 + entryFixedBytes + 3 * 0xffff;

/** One export as the file holds it. */
export interface JournalEntry {
  /** Its number in the file (ascending in file order). */
  readonly seq: number;
  readonly mid: bigint;
  /** The origin after the mid: `' <run> <system>'` of the run that first exported it. */
  readonly origin: string;
  readonly topic: string;
  readonly contentType: string;
  readonly payload: Uint8Array;
}

/** The encoded size of an entry record, or undefined when a field is too long for the format. */
export function entryRecordBytes(entry: JournalEntry): number | undefined {
  const origin = Buffer.byteLength(entry.origin);
  const topic = Buffer.byteLength(entry.topic);
  const contentType = Buffer.byteLength(entry.contentType);
  if (origin > 0xffff || topic > 0xffff || contentType > 0xffff) return undefined;
  return frameBytes + entryFixedBytes + origin + topic + contentType + entry.payload.length;
}

/** Write an entry record at `at` (its size from {@link entryRecordBytes}); returns the end. */
export function writeEntryRecord(out: Buffer, at: number, entry: JournalEntry): number {
  const body = at + frameBytes;
  out[body] = entryKind;
  out.writeUIntLE(entry.seq, body + 1, 6);
  out.writeBigUInt64LE(entry.mid, body + 7);
  let p = body + entryFixedBytes;
  const origin = out.write(entry.origin, p, 'utf8');
  p += origin;
  const topic = out.write(entry.topic, p, 'utf8');
  p += topic;
  const contentType = out.write(entry.contentType, p, 'utf8');
  p += contentType;
  out.writeUInt16LE(origin, body + 15);
  out.writeUInt16LE(topic, body + 17);
  out.writeUInt16LE(contentType, body + 19);
  out.set(entry.payload, p);
  p += entry.payload.length;
  return frame(out, at, p);
}

/** The size of a done record. */
export const doneRecordBytes = frameBytes + doneBodyBytes;

/** Write a record saying entries `first`..`last` (inclusive) left the outbox; returns the end. */
export function writeDoneRecord(out: Buffer, at: number, first: number, last: number): number {
  const body = at + frameBytes;
  out[body] = doneKind;
  out.writeUIntLE(first, body + 1, 6);
  out.writeUIntLE(last, body + 7, 6);
  return frame(out, at, body + doneBodyBytes);
}

function frame(out: Buffer, at: number, end: number): number {
  const body = out.subarray(at + frameBytes, end);
  out.writeUInt32LE(body.length, at);
  out.writeUInt32LE(crc32(body), at + 4);
  return end;
}

/** What a file held. */
export interface JournalContents {
  /** Entries not marked done, in file order. */
  readonly pending: JournalEntry[];
  /** Entry records read (done or not). */
  readonly records: number;
  /** Bytes of an incomplete last record (a write cut short by a crash), 0 for none. */
  readonly tornBytes: number;
  /** Offset of the first record that fails its checksum or layout; everything from it on is not read. */
  readonly corruptAt: number | undefined;
  /** The file does not start with the magic (and is not a prefix of it): not an outbox file. */
  readonly foreign: boolean;
}

/** Read a whole outbox file's bytes. An empty file (or a torn magic) holds nothing. */
export function readJournal(bytes: Buffer): JournalContents {
  const empty = { pending: [], records: 0, tornBytes: 0, corruptAt: undefined };
  if (bytes.length < journalMagic.length) {
    const prefix = journalMagic.subarray(0, bytes.length).equals(bytes);
    return { ...empty, tornBytes: prefix ? bytes.length : 0, foreign: !prefix };
  }
  if (!bytes.subarray(0, journalMagic.length).equals(journalMagic))
    return { ...empty, foreign: true };
  const live = new Map<number, JournalEntry>();
  let records = 0;
  let at = journalMagic.length;
  while (at < bytes.length) {
    if (bytes.length - at < frameBytes) return result(live, records, bytes.length - at);
    const length = bytes.readUInt32LE(at);
    if (length > maxBodyBytes) return result(live, records, 0, at);
    if (bytes.length - at - frameBytes < length) return result(live, records, bytes.length - at);
    const body = bytes.subarray(at + frameBytes, at + frameBytes + length);
    if (crc32(body) !== bytes.readUInt32LE(at + 4)) return result(live, records, 0, at);
    if (body[0] === entryKind && length >= entryFixedBytes) {
      const entry = readEntry(body);
      if (entry === undefined) return result(live, records, 0, at);
      live.set(entry.seq, entry);
      records++;
    } else if (body[0] === doneKind && length === doneBodyBytes) {
      const first = body.readUIntLE(1, 6);
      const last = body.readUIntLE(7, 6);
      if (last - first < live.size) for (let seq = first; seq <= last; seq++) live.delete(seq);
      else for (const seq of live.keys()) if (seq >= first && seq <= last) live.delete(seq);
    } else {
      return result(live, records, 0, at);
    }
    at += frameBytes + length;
  }
  return result(live, records, 0);
}

function result(
  live: Map<number, JournalEntry>,
  records: number,
  tornBytes: number,
  corruptAt?: number,
): JournalContents {
  return { pending: [...live.values()], records, tornBytes, corruptAt, foreign: false };
}

function readEntry(body: Buffer): JournalEntry | undefined {
  const originBytes = body.readUInt16LE(15);
  const topicBytes = body.readUInt16LE(17);
  const contentTypeBytes = body.readUInt16LE(19);
  const payloadAt = entryFixedBytes + originBytes + topicBytes + contentTypeBytes;
  if (payloadAt > body.length) return undefined;
  let p = entryFixedBytes;
  const text = (bytes: number): string => body.toString('utf8', p, (p += bytes));
  return {
    seq: body.readUIntLE(1, 6),
    mid: body.readBigUInt64LE(7),
    origin: text(originBytes),
    topic: text(topicBytes),
    contentType: text(contentTypeBytes),
    // A copy: the file's buffer is let go once read.
    payload: Buffer.from(body.subarray(payloadAt)),
  };
}
