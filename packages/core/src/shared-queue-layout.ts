// Owns the memory layout of the shared-memory queue: header words, record framing, ring copies.
//
// One SharedArrayBuffer holds everything; offsets are bytes, "word" is an Int32 slot.
//
//   bytes   0..63   immutable after creation      [0] magic 'OCRQ'  [1] version  [2] capacity
//                                                 [3] byteCapacity  [4] ringBytes  [5] maxTopicBytes
//                                                 [6] maxContentTypeBytes  [7] maxPayloadBytes
//                                                 u64 at byte 32: firstSequence
//   bytes  64..127  producer-owned (under lock)   [16] lock: 0 free, else producerId + 1
//                                                 [17] tail: ring offset of the next record
//                                                 [18] pushed: accepted records mod 2^32 (commit word)
//                                                 [19] signal: +1 and Atomics.notify after each push
//                                                 u64 at byte 80: next sequence to assign
//   bytes 128..191  consumer-owned                [32] head: ring offset of the oldest record
//                                                 [33] drained: drained records mod 2^32
//   bytes 192..     the byte ring (ringBytes = byteCapacity rounded up to 4, plus 4 spare bytes so
//                   that head === tail always means empty)
//
// A record is four u32 words (topic length, content-type length, payload length, producerId) then
// topic, content type and payload bytes back to back, padded to 4 bytes. A record may wrap around
// the end of the ring: every word and byte offset is taken modulo ringBytes. A record's sequence
// is not stored: sequences are assigned in commit order, so the consumer derives them.
//
// A producer writes the record, then `tail` and the next sequence, then commits with one
// Atomics.store of `pushed`. The consumer reads only committed records, so a producer terminated
// mid-push leaves nothing half-visible; `tail` and the next sequence can be rebuilt from the
// committed records (see SharedQueue.releaseAbandonedLock).

import { OcreError } from './errors.ts';

/** The magic word 'OCRQ' that opens every shared queue buffer. */
const MAGIC = 0x4f435251;
/** Layout version; bumped on any incompatible change to this file. */
const LAYOUT_VERSION = 1;

/** Word index of the magic word. */
const W_MAGIC = 0;
/** Word index of the layout version. */
export const W_VERSION = 1;
/** Word index of the record capacity. */
const W_CAPACITY = 2;
/** Word index of the byte capacity. */
const W_BYTE_CAPACITY = 3;
/** Word index of the physical ring size in bytes. */
const W_RING_BYTES = 4;
/** Word index of the maximum topic length. */
const W_MAX_TOPIC = 5;
/** Word index of the maximum content-type length. */
const W_MAX_CONTENT_TYPE = 6;
/** Word index of the maximum payload length. */
const W_MAX_PAYLOAD = 7;
/** BigUint64 index of the first sequence number. */
const Q_FIRST_SEQUENCE = 4;

/** Word index of the producers' spin lock. */
export const W_LOCK = 16;
/** Word index of the ring offset where the next record goes. */
export const W_TAIL = 17;
/** Word index of the accepted-record counter (mod 2^32), the producers' commit word. */
export const W_PUSHED = 18;
/** Word index of the wake-up signal, incremented and notified after each push. */
export const W_SIGNAL = 19;
/** BigUint64 index of the next sequence number to assign. */
export const Q_NEXT_SEQUENCE = 10;

/** Word index of the ring offset of the oldest record. */
export const W_HEAD = 32;
/** Word index of the drained-record counter (mod 2^32). */
export const W_DRAINED = 33;

/** Bytes before the ring starts. */
export const HEADER_BYTES = 192;
/** Bytes of framing in front of each record's data. */
export const RECORD_HEADER_BYTES = 16;
/** Largest producerId, so that producerId + 1 fits the lock word. */
export const MAX_PRODUCER_ID = 0x7ffffffe;

/** The limits a shared queue buffer carries in its header. */
export interface SharedQueueLayout {
  readonly capacity: number;
  readonly byteCapacity: number;
  readonly ringBytes: number;
  readonly maxTopicBytes: number;
  readonly maxContentTypeBytes: number;
  readonly maxPayloadBytes: number;
  readonly firstSequence: bigint;
}

/**
 * Bytes of ring a record takes, which is what counts against `byteCapacity`.
 *
 * @param topicBytes - UTF-8 length of the topic
 * @param contentTypeBytes - UTF-8 length of the content type
 * @param payloadBytes - length of the payload
 * @example
 * sharedQueueRecordBytes(5, 10, 100); // 16 + 115 rounded up to 4 = 132
 */
export function sharedQueueRecordBytes(
  topicBytes: number,
  contentTypeBytes: number,
  payloadBytes: number,
): number {
  return RECORD_HEADER_BYTES + ((topicBytes + contentTypeBytes + payloadBytes + 3) & ~3);
}

/** Physical ring size for a byte capacity: rounded up to 4, plus 4 so a full ring is never empty. */
function ringBytesFor(byteCapacity: number): number {
  return ((byteCapacity + 3) & ~3) + 4;
}

/** Allocates and initialises a queue buffer; the limits must already be validated. */
export function createSharedQueueBuffer(
  layout: Omit<SharedQueueLayout, 'ringBytes'>,
): SharedArrayBuffer {
  const ringBytes = ringBytesFor(layout.byteCapacity);
  const buffer = new SharedArrayBuffer(HEADER_BYTES + ringBytes);
  const words = new Int32Array(buffer, 0, HEADER_BYTES >> 2);
  const longs = new BigUint64Array(buffer, 0, HEADER_BYTES >> 3);
  words[W_VERSION] = LAYOUT_VERSION;
  words[W_CAPACITY] = layout.capacity;
  words[W_BYTE_CAPACITY] = layout.byteCapacity;
  words[W_RING_BYTES] = ringBytes;
  words[W_MAX_TOPIC] = layout.maxTopicBytes;
  words[W_MAX_CONTENT_TYPE] = layout.maxContentTypeBytes;
  words[W_MAX_PAYLOAD] = layout.maxPayloadBytes;
  longs[Q_FIRST_SEQUENCE] = layout.firstSequence;
  longs[Q_NEXT_SEQUENCE] = layout.firstSequence;
  // The magic word goes last, so a buffer posted before initialisation finished never attaches.
  Atomics.store(words, W_MAGIC, MAGIC);
  return buffer;
}

/** Reads and checks the header of a queue buffer; throws INVALID_OPTION for anything else. */
function readSharedQueueLayout(buffer: unknown, caller: string): SharedQueueLayout {
  const expected = `expected the SharedArrayBuffer of a queue made by createSharedQueue() (its .buffer)`;
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw invalid(`${caller}: ${expected}; got ${describeKind(buffer)}.`);
  }
  if (buffer.byteLength < HEADER_BYTES) {
    throw invalid(
      `${caller}: ${expected}; got a SharedArrayBuffer of ${buffer.byteLength} bytes, smaller than the ${HEADER_BYTES}-byte header.`,
    );
  }
  const words = new Int32Array(buffer, 0, HEADER_BYTES >> 2);
  if (Atomics.load(words, W_MAGIC) !== MAGIC) {
    throw invalid(`${caller}: ${expected}; this buffer does not start with the queue magic word.`);
  }
  const version = words[W_VERSION]!;
  if (version !== LAYOUT_VERSION) {
    throw invalid(
      `${caller}: the queue buffer has layout version ${version} but this build reads version ${LAYOUT_VERSION}; create and attach with the same @ocre-ts/core.`,
    );
  }
  const byteCapacity = words[W_BYTE_CAPACITY]!;
  const ringBytes = words[W_RING_BYTES]!;
  if (ringBytes !== ringBytesFor(byteCapacity) || buffer.byteLength !== HEADER_BYTES + ringBytes) {
    throw invalid(
      `${caller}: the queue buffer is ${buffer.byteLength} bytes but its header describes ${HEADER_BYTES + ringBytes}; it is damaged or not a queue buffer.`,
    );
  }
  return {
    capacity: words[W_CAPACITY]!,
    byteCapacity,
    ringBytes,
    maxTopicBytes: words[W_MAX_TOPIC]!,
    maxContentTypeBytes: words[W_MAX_CONTENT_TYPE]!,
    maxPayloadBytes: words[W_MAX_PAYLOAD]!,
    firstSequence: new BigUint64Array(buffer, 0, HEADER_BYTES >> 3)[Q_FIRST_SEQUENCE]!,
  };
}

/**
 * Copies `length` bytes from `source[sourceOffset…]` into the ring at `position`, wrapping at the
 * end; returns the ring offset just past the copy.
 */
export function copyIntoRing(
  ring: Uint8Array,
  position: number,
  source: Uint8Array,
  sourceOffset: number,
  length: number,
): number {
  const room = ring.length - position;
  if (length < room) {
    copyBytes(ring, position, source, sourceOffset, length);
    return position + length;
  }
  copyBytes(ring, position, source, sourceOffset, room);
  copyBytes(ring, 0, source, sourceOffset + room, length - room);
  return length - room;
}

/**
 * Copies `length` bytes out of the ring from `position`, wrapping at the end, into
 * `target[targetOffset…]`; returns the ring offset just past the copy.
 */
export function copyFromRing(
  ring: Uint8Array,
  position: number,
  target: Uint8Array,
  targetOffset: number,
  length: number,
): number {
  const room = ring.length - position;
  if (length < room) {
    copyBytes(target, targetOffset, ring, position, length);
    return position + length;
  }
  copyBytes(target, targetOffset, ring, position, room);
  copyBytes(target, targetOffset + room, ring, 0, length - room);
  return length - room;
}

// Short copies (topics, content types) are cheaper as a loop than as subarray() + set(), and
// allocate nothing; long ones go through set().
function copyBytes(
  target: Uint8Array,
  targetOffset: number,
  source: Uint8Array,
  sourceOffset: number,
  length: number,
): void {
  if (length < 64) {
    for (let i = 0; i < length; i++) target[targetOffset + i] = source[sourceOffset + i]!;
  } else if (sourceOffset === 0 && length === source.length) {
    target.set(source, targetOffset);
  } else {
    target.set(source.subarray(sourceOffset, sourceOffset + length), targetOffset);
  }
}

function describeKind(value: unknown): string {
  if (value instanceof ArrayBuffer) return 'an ArrayBuffer (not shared)';
  if (value === null) return 'null';
  if (typeof value === 'object')
    return `an object (${value.constructor?.name ?? 'no constructor'})`;
  return typeof value;
}

function invalid(message: string): OcreError {
  return new OcreError('INVALID_OPTION', message);
}

/** The buffer and the bounds of a shared queue, as both its producers and its consumer see them. */
export interface SharedQueueBounds {
  /** The memory shared between threads. */
  readonly buffer: SharedArrayBuffer;
  /** Most records held at once. */
  readonly capacity: number;
  /** Most ring bytes the held records take (see {@link sharedQueueRecordBytes}). */
  readonly byteCapacity: number;
  /** Longest topic accepted, in UTF-8 bytes. */
  readonly maxTopicBytes: number;
  /** Longest content type accepted, in UTF-8 bytes. */
  readonly maxContentTypeBytes: number;
  /** Largest payload accepted, in bytes. */
  readonly maxPayloadBytes: number;
}

/**
 * What the producer and the consumer of one queue buffer share: its checked layout, the
 * public limits, and typed views over the header and the ring.
 */
export abstract class SharedQueueHandle implements SharedQueueBounds {
  // The bounds, documented on SharedQueueBounds; plain fields because push reads them per record.
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
  readonly byteCapacity: number;
  readonly maxTopicBytes: number;
  readonly maxContentTypeBytes: number;
  readonly maxPayloadBytes: number;
  protected readonly layout: SharedQueueLayout;
  protected readonly words: Int32Array;
  protected readonly longs: BigUint64Array;
  protected readonly ring: Uint8Array;
  protected readonly ringWords: Uint32Array;

  /**
   * @param buffer - a queue buffer made by createSharedQueue
   * @param caller - the public function's name, for error messages
   */
  constructor(buffer: SharedArrayBuffer, caller: string) {
    const layout = readSharedQueueLayout(buffer, caller);
    this.layout = layout;
    this.buffer = buffer;
    this.capacity = layout.capacity;
    this.byteCapacity = layout.byteCapacity;
    this.maxTopicBytes = layout.maxTopicBytes;
    this.maxContentTypeBytes = layout.maxContentTypeBytes;
    this.maxPayloadBytes = layout.maxPayloadBytes;
    this.words = new Int32Array(buffer, 0, HEADER_BYTES >> 2);
    this.longs = new BigUint64Array(buffer, 0, HEADER_BYTES >> 3);
    this.ring = new Uint8Array(buffer, HEADER_BYTES, layout.ringBytes);
    this.ringWords = new Uint32Array(buffer, HEADER_BYTES, layout.ringBytes >> 2);
  }
}
