// Owns a pooled worker's delivery ring: the shared-memory layout, the main thread's writer (one producer) and the worker's reader (one consumer), with a doorbell each way.
import type { OcreMessage } from '@ocre-ts/core';
import type { SlotMessage } from './control-block.ts';

/*
 * Layout of the ring's SharedArrayBuffer (little-endian, as every wasm host):
 *
 *   header, 64 bytes of Int32 words
 *     [0] WRITE  bytes ever written (uint32, wraps)      main stores, worker loads
 *     [1] READ   bytes ever consumed (uint32, wraps)     worker stores, main loads
 *     [2] BELL   bumped + notified by main after a write  worker waits on it (Atomics.waitAsync)
 *     [3] DONE   bumped + notified by the worker after a batch (completions, space freed)
 *     [4] CAPACITY of the data area in bytes (a power of two)
 *     [5] WAITING 1 while the worker is about to wait or waits on BELL: only then does main ring it
 *         (a notify costs a lock; a busy worker finds the next record without one). The worker
 *         sets it, then reads BELL, then looks for records once more before it waits; main
 *         stores WRITE, then swaps WAITING to 0 and rings if it was 1: no record is missed.
 *   data, CAPACITY bytes: records back to back at WRITE mod CAPACITY, each 8-byte aligned
 *     +0  u32 size of the record, padding included
 *     +4  i32 instance id (0: padding to the end of the data area; skip it)
 *     +8  i32 mail epoch of the instance (records of an older epoch are skipped)
 *     +12 i32 sequence number of the delivery within its instance (mod 2^30)
 *     +16 u64 mid
 *     +24 i32 handler index, or OVERSIZED (-2): the message needs more than half the ring, so
 *         its bytes are left out and the worker fails this delivery, in its place in the order
 *     +28 u32 topic bytes, +32 u32 content-type bytes, +36 u32 payload bytes
 *     +40 topic (UTF-8), content type (UTF-8), payload
 *
 * A record never wraps: when it does not fit before the end, a padding record fills the rest
 * and it starts at offset 0. Free space is CAPACITY - (WRITE - READ); a full ring makes the
 * writer refuse, and the caller waits for DONE (back-pressure, never a drop).
 */
const H_WRITE = 0;
const H_READ = 1;
const H_BELL = 2;
const H_DONE = 3;
const H_CAPACITY = 4;
const H_WAITING = 5;
const HEADER_BYTES = 64;
const RECORD_HEADER_BYTES = 40;

/** The handler index of a record that stands for a message too large for the ring. */
export const OVERSIZED = -2;

/** A delivery as it is written into a ring. */
export interface RingRecord {
  readonly id: number;
  readonly epoch: number;
  readonly seq: number;
  readonly message: OcreMessage;
  readonly handlerIndex: number;
}

/** A record read from the ring: the message as views of shared memory, valid until the next record is read. */
export interface RingDelivery extends SlotMessage {
  readonly id: number;
  readonly epoch: number;
  readonly seq: number;
}

/** A fresh ring whose data area holds `capacity` bytes (a power of two, at least 4096). */
export function createDeliveryRing(capacity: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(HEADER_BYTES + capacity);
  new Int32Array(buffer, 0, HEADER_BYTES >> 2)[H_CAPACITY] = capacity;
  return buffer;
}

/** Bytes a record of `message` needs at most (the strings' UTF-8 bound), padding included. */
function boundBytes(message: OcreMessage): number {
  return align8(
    RECORD_HEADER_BYTES +
      message.topic.length * 3 +
      message.contentType.length * 3 +
      message.payloadLen,
  );
}

function align8(bytes: number): number {
  return (bytes + 7) & ~7;
}

const encoder = new TextEncoder();

/** Main thread: writes records and rings the worker's doorbell. One writer per ring. */
export class RingWriter {
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly capacity: number;

  /** @param ring - a buffer from {@link createDeliveryRing} */
  constructor(readonly ring: SharedArrayBuffer) {
    this.words = new Int32Array(ring, 0, HEADER_BYTES >> 2);
    this.capacity = this.words[H_CAPACITY] as number;
    this.bytes = new Uint8Array(ring, HEADER_BYTES, this.capacity);
    this.view = new DataView(ring, HEADER_BYTES, this.capacity);
  }

  /**
   * Write `record` if there is room for it now.
   *
   * @returns false when the ring is too full (write it later, after the worker's DONE)
   */
  tryWrite(record: RingRecord): boolean {
    const { words, bytes, view, capacity } = this;
    const write = Atomics.load(words, H_WRITE) >>> 0;
    const free = capacity - ((write - (Atomics.load(words, H_READ) >>> 0)) >>> 0);
    let at = write % capacity;
    const full = boundBytes(record.message);
    const oversized = full > capacity / 2;
    const bound = oversized ? RECORD_HEADER_BYTES : full;
    const tail = capacity - at;
    const padding = tail < bound ? tail : 0;
    if (padding + bound > free) return false;
    if (padding > 0) {
      view.setUint32(at, padding, true);
      view.setInt32(at + 4, 0, true);
      at = 0;
    }
    const { message } = record;
    if (oversized) {
      this.writeHeader(at, RECORD_HEADER_BYTES, record, OVERSIZED, 0, 0, message.payloadLen);
      this.publish(write, padding + RECORD_HEADER_BYTES);
      return true;
    }
    const start = at + RECORD_HEADER_BYTES;
    const topic = encoder.encodeInto(message.topic, bytes.subarray(start, start + bound)).written;
    const contentType = encoder.encodeInto(
      message.contentType,
      bytes.subarray(start + topic, start + bound),
    ).written;
    bytes.set(message.payload.subarray(0, message.payloadLen), start + topic + contentType);
    const size = align8(RECORD_HEADER_BYTES + topic + contentType + message.payloadLen);
    this.writeHeader(at, size, record, record.handlerIndex, topic, contentType, message.payloadLen);
    this.publish(write, padding + size);
    return true;
  }

  private writeHeader(
    at: number,
    size: number,
    record: RingRecord,
    handlerIndex: number,
    topic: number,
    contentType: number,
    payload: number,
  ): void {
    const { view } = this;
    view.setUint32(at, size, true);
    view.setInt32(at + 4, record.id, true);
    view.setInt32(at + 8, record.epoch, true);
    view.setInt32(at + 12, record.seq, true);
    view.setBigUint64(at + 16, record.message.mid, true);
    view.setInt32(at + 24, handlerIndex, true);
    view.setUint32(at + 28, topic, true);
    view.setUint32(at + 32, contentType, true);
    view.setUint32(at + 36, payload, true);
  }

  /**
   * Make `bytes` more written bytes visible to the worker, and ring its doorbell once the
   * current run of writes is over (at the next microtask checkpoint: one wake-up per batch).
   */
  private publish(write: number, bytes: number): void {
    Atomics.store(this.words, H_WRITE, (write + bytes) | 0);
    if (this.ringing) return;
    this.ringing = true;
    queueMicrotask(this.ringBell);
  }

  private ringing = false;

  private readonly ringBell = (): void => {
    this.ringing = false;
    const { words } = this;
    if (Atomics.load(words, H_WAITING) !== 0 && Atomics.exchange(words, H_WAITING, 0) !== 0) {
      Atomics.add(words, H_BELL, 1);
      Atomics.notify(words, H_BELL);
    }
  };

  /** The DONE word now; wait for it to move with {@link RingWriter.waitDone}. */
  done(): number {
    return Atomics.load(this.words, H_DONE);
  }

  /** Resolves once DONE differs from `seen` (at once if it already does). */
  waitDone(seen: number): Promise<unknown> {
    const result = Atomics.waitAsync(this.words, H_DONE, seen);
    return result.async ? result.value : Promise.resolve();
  }
}

/** Worker: reads records in order and tells the main thread when a batch is done. One reader per ring. */
export class RingReader {
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly capacity: number;

  /** @param ring - the ring the main thread writes */
  constructor(ring: SharedArrayBuffer) {
    this.words = new Int32Array(ring, 0, HEADER_BYTES >> 2);
    this.capacity = this.words[H_CAPACITY] as number;
    this.bytes = new Uint8Array(ring, HEADER_BYTES, this.capacity);
    this.view = new DataView(ring, HEADER_BYTES, this.capacity);
  }

  /** Bytes of the data area. */
  get bytesCapacity(): number {
    return this.capacity;
  }

  /**
   * About to wait: ask to be rung, and return the doorbell to wait on. Look for records once
   * more ({@link RingReader.empty}) before waiting with {@link RingReader.waitBell}.
   */
  prepareWait(): number {
    Atomics.store(this.words, H_WAITING, 1);
    return Atomics.load(this.words, H_BELL);
  }

  /** Not waiting after all (records came): the main thread need not ring. */
  cancelWait(): void {
    Atomics.store(this.words, H_WAITING, 0);
  }

  /** True when no record waits to be read. */
  empty(): boolean {
    return Atomics.load(this.words, H_READ) === Atomics.load(this.words, H_WRITE);
  }

  /** Resolves once the doorbell differs from `seen` (at once if it already does). */
  waitBell(seen: number): Promise<unknown> {
    const result = Atomics.waitAsync(this.words, H_BELL, seen);
    return result.async ? result.value : Promise.resolve();
  }

  /**
   * Hand up to `limit` records to `visit`, in order, freeing each one's space after its visit.
   *
   * @returns how many records were visited (padding not counted)
   */
  read(limit: number, visit: (delivery: RingDelivery) => void): number {
    const { words, bytes, view, capacity } = this;
    let read = Atomics.load(words, H_READ) >>> 0;
    const write = Atomics.load(words, H_WRITE) >>> 0;
    let visited = 0;
    while (read !== write && visited < limit) {
      const at = read % capacity;
      const size = view.getUint32(at, true);
      const id = view.getInt32(at + 4, true);
      if (id !== 0) {
        const topicLength = view.getUint32(at + 28, true);
        const contentTypeLength = view.getUint32(at + 32, true);
        const handlerIndex = view.getInt32(at + 24, true);
        // An oversized record carries the payload's length but none of its bytes.
        const payloadLength = handlerIndex === OVERSIZED ? 0 : view.getUint32(at + 36, true);
        const topicAt = at + RECORD_HEADER_BYTES;
        const contentTypeAt = topicAt + topicLength;
        const payloadAt = contentTypeAt + contentTypeLength;
        visited++;
        try {
          visit({
            id,
            epoch: view.getInt32(at + 8, true),
            seq: view.getInt32(at + 12, true),
            mid: view.getBigUint64(at + 16, true),
            handlerIndex,
            topic: bytes.subarray(topicAt, contentTypeAt),
            contentType: bytes.subarray(contentTypeAt, payloadAt),
            payload: bytes.subarray(payloadAt, payloadAt + payloadLength),
          });
        } finally {
          read = (read + size) >>> 0;
          Atomics.store(words, H_READ, read | 0);
        }
        continue;
      }
      read = (read + size) >>> 0;
      Atomics.store(words, H_READ, read | 0);
    }
    return visited;
  }

  /** Tell the main thread a batch is done: completions to collect, space freed. */
  signalDone(): void {
    Atomics.add(this.words, H_DONE, 1);
    Atomics.notify(this.words, H_DONE);
  }
}
