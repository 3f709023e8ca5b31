// Owns the consumer side of the shared-memory queue: creating it, draining it, watching it.
// The memory layout is documented in ./shared-queue-layout.ts; producers live in
// ./shared-queue-producer.ts.

import { defaultLimits, defaultQueueCapacity, defaultSharedQueueBytes } from './defaults.ts';
import { OcreError } from './errors.ts';
import type { SharedQueueBounds } from './shared-queue-layout.ts';
import {
  copyFromRing,
  createSharedQueueBuffer,
  MAX_PRODUCER_ID,
  Q_NEXT_SEQUENCE,
  RECORD_HEADER_BYTES,
  SharedQueueHandle,
  sharedQueueRecordBytes,
  W_DRAINED,
  W_HEAD,
  W_LOCK,
  W_PUSHED,
  W_SIGNAL,
  W_TAIL,
} from './shared-queue-layout.ts';

/** Largest value accepted for the count and byte options. */
const MAX_OPTION = 2 ** 30;
const MAX_SEQUENCE = 2n ** 64n - 1n;
/** The consumer's token in the lock word while it repairs after a dead producer. */
const CONSUMER_TOKEN = -1;

/** Options of {@link createSharedQueue}; every one is optional. */
export interface SharedQueueOptions {
  /** Most records held at once; default 100 (the Ocre queue size). */
  readonly capacity?: number;
  /** Most ring bytes the held records take, framing included; default 1 MiB. */
  readonly byteCapacity?: number;
  /** Largest payload in bytes; default 65536. */
  readonly maxPayloadBytes?: number;
  /** Longest topic in UTF-8 bytes; default 256. */
  readonly maxTopicBytes?: number;
  /** Longest content type in UTF-8 bytes; default 128. */
  readonly maxContentTypeBytes?: number;
  /** Sequence number of the first accepted record, 0n to 2^64 - 1; default 0n. */
  readonly firstSequence?: bigint;
}

/** One record drained from a shared queue; it owns its memory (nothing aliases the buffer). */
export interface SharedQueueRecord {
  /** Assigned at push; dense and increasing in drain order, wrapping from 2^64 - 1 to 0. */
  readonly sequence: bigint;
  /** The producerId given to push. */
  readonly producerId: number;
  /** The topic, decoded as UTF-8 (invalid bytes become U+FFFD). */
  readonly topic: string;
  /** The content type, decoded as UTF-8 (invalid bytes become U+FFFD). */
  readonly contentType: string;
  /** A fresh copy of the payload bytes. */
  readonly payload: Uint8Array;
}

/** Where a consumer in a worker can `Atomics.wait` for the next push. */
export interface SharedQueueSignal {
  /** The Int32 view holding the signal word. */
  readonly array: Int32Array;
  /** Index of the signal word in `array`. */
  readonly index: number;
}

/**
 * The consumer side of a bounded multi-producer / single-consumer queue in a SharedArrayBuffer.
 * Post `buffer` to workers and {@link attachSharedQueue} there to push.
 */
export interface SharedQueue extends SharedQueueBounds {
  /** Records waiting to be drained. */
  readonly size: number;
  /** Ring bytes in use; may include a record a producer is writing right now. */
  readonly bytesUsed: number;
  /** The sequence the next accepted record will get. */
  readonly nextSequence: bigint;
  /** True when not even an empty record fits (by count or by bytes). */
  readonly isFull: boolean;
  /** Incremented (mod 2^32, as an Int32) after every accepted push; poll it for change. */
  readonly pushCount: number;
  /** The word producers notify after each push. */
  readonly signal: SharedQueueSignal;
  /**
   * Takes up to `max` records in FIFO order, frees their space and hands each to `onRecord`.
   * A record's space is freed before its callback runs; if the callback throws, that record
   * counts as drained and the error propagates.
   *
   * @param max - most records to take (`Infinity` for all that are there)
   * @param onRecord - called once per record, in sequence order
   * @returns how many records were drained
   */
  drain(max: number, onRecord: (record: SharedQueueRecord) => void): number;
  /**
   * Blocks the calling thread until a record is waiting or `timeoutMs` passes. For a consumer
   * running in a worker; the main thread must poll `pushCount` instead.
   *
   * @returns whether records are waiting
   */
  waitForRecords(timeoutMs: number): boolean;
  /**
   * Frees the lock if a producer died holding it (its worker was terminated mid-push) and rolls
   * back its unfinished record. Call only once that producer's thread has exited; while it is
   * stuck, pushes give `-1n` after spinning for 100 ms.
   *
   * @param producerId - the producerId the dead thread pushed with
   * @returns whether the lock was held by that producer and has been freed
   */
  releaseAbandonedLock(producerId: number): boolean;
}

/**
 * Creates a bounded MPSC queue in a new SharedArrayBuffer; this thread becomes its consumer.
 *
 * @param options - limits; see {@link SharedQueueOptions}
 * @throws OcreError `INVALID_OPTION` when an option is not an integer in range, or byteCapacity
 *   cannot hold one record of the maximum sizes
 * @example
 * const queue = createSharedQueue({ capacity: 64 });
 * worker.postMessage({ queue: queue.buffer });
 * setInterval(() => queue.drain(Infinity, (record) => route(record)), 1);
 */
export function createSharedQueue(options: SharedQueueOptions = {}): SharedQueue {
  const capacity = integerOption('capacity', options.capacity, defaultQueueCapacity);
  const maxPayloadBytes = integerOption(
    'maxPayloadBytes',
    options.maxPayloadBytes,
    defaultLimits.maxPayloadBytes,
  );
  const maxTopicBytes = integerOption(
    'maxTopicBytes',
    options.maxTopicBytes,
    defaultLimits.maxTopicBytes,
  );
  const maxContentTypeBytes = integerOption(
    'maxContentTypeBytes',
    options.maxContentTypeBytes,
    defaultLimits.maxContentTypeBytes,
  );
  const byteCapacity = integerOption('byteCapacity', options.byteCapacity, defaultSharedQueueBytes);
  const largest = sharedQueueRecordBytes(maxTopicBytes, maxContentTypeBytes, maxPayloadBytes);
  if (byteCapacity < largest) {
    throw new OcreError(
      'INVALID_OPTION',
      `createSharedQueue: byteCapacity must be at least ${largest} to hold one record of the largest size (${RECORD_HEADER_BYTES}-byte header + maxTopicBytes ${maxTopicBytes} + maxContentTypeBytes ${maxContentTypeBytes} + maxPayloadBytes ${maxPayloadBytes}, rounded up to 4); got ${byteCapacity}. Raise byteCapacity or lower the max*Bytes options.`,
    );
  }
  const firstSequence = options.firstSequence ?? 0n;
  if (typeof firstSequence !== 'bigint' || firstSequence < 0n || firstSequence > MAX_SEQUENCE) {
    throw new OcreError(
      'INVALID_OPTION',
      `createSharedQueue: firstSequence must be a bigint from 0n to ${MAX_SEQUENCE}n; got ${describe(firstSequence)}.`,
    );
  }
  const buffer = createSharedQueueBuffer({
    capacity,
    byteCapacity,
    maxTopicBytes,
    maxContentTypeBytes,
    maxPayloadBytes,
    firstSequence,
  });
  return new Consumer(buffer);
}

class Consumer extends SharedQueueHandle implements SharedQueue {
  readonly signal: SharedQueueSignal;
  // Topic and content type are decoded from an unshared copy: TextDecoder rejects shared views
  // in browsers, and a record may wrap around the ring.
  readonly #text: Uint8Array;
  readonly #decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  // Consumer-owned state, mirrored into the header for producers.
  #head = 0;
  #drained = 0;
  #drainSequence: bigint;

  constructor(buffer: SharedArrayBuffer) {
    super(buffer, 'createSharedQueue');
    const { layout } = this;
    this.#text = new Uint8Array(layout.maxTopicBytes + layout.maxContentTypeBytes);
    this.#drainSequence = layout.firstSequence;
    this.signal = { array: this.words, index: W_SIGNAL };
  }

  get size(): number {
    return (Atomics.load(this.words, W_PUSHED) - this.#drained) | 0;
  }

  get bytesUsed(): number {
    const used = Atomics.load(this.words, W_TAIL) - this.#head;
    return used < 0 ? used + this.ring.length : used;
  }

  get nextSequence(): bigint {
    return BigInt.asUintN(64, this.#drainSequence + BigInt(this.size));
  }

  get isFull(): boolean {
    return this.size >= this.capacity || this.bytesUsed + RECORD_HEADER_BYTES > this.byteCapacity;
  }

  get pushCount(): number {
    return Atomics.load(this.words, W_SIGNAL);
  }

  drain(max: number, onRecord: (record: SharedQueueRecord) => void): number {
    const words = this.words;
    const ring = this.ring;
    const ringWords = this.ringWords;
    const text = this.#text;
    // Reading the commit word once makes every record up to it safe to read.
    const pushed = Atomics.load(words, W_PUSHED);
    let count = 0;
    // Re-checked each turn, as onRecord may itself drain.
    while (count < max && ((pushed - this.#drained) | 0) > 0) {
      const start = this.#head;
      let word = start >> 2;
      const topicLength = ringWords[word]!;
      word = word + 1 === ringWords.length ? 0 : word + 1;
      const contentTypeLength = ringWords[word]!;
      word = word + 1 === ringWords.length ? 0 : word + 1;
      const payloadLength = ringWords[word]!;
      word = word + 1 === ringWords.length ? 0 : word + 1;
      const producerId = ringWords[word]!;
      let position = word + 1 === ringWords.length ? 0 : (word + 1) << 2;
      position = copyFromRing(ring, position, text, 0, topicLength + contentTypeLength);
      const payload = new Uint8Array(payloadLength);
      copyFromRing(ring, position, payload, 0, payloadLength);
      const topic = this.#decoder.decode(text.subarray(0, topicLength));
      const contentType = this.#decoder.decode(
        text.subarray(topicLength, topicLength + contentTypeLength),
      );
      const sequence = this.#drainSequence;
      this.#drainSequence = sequence === MAX_SEQUENCE ? 0n : sequence + 1n;
      const end = start + sharedQueueRecordBytes(topicLength, contentTypeLength, payloadLength);
      this.#head = end >= ring.length ? end - ring.length : end;
      this.#drained = (this.#drained + 1) | 0;
      // Space is released only after the copies above: a producer may overwrite it next.
      Atomics.store(words, W_HEAD, this.#head);
      Atomics.store(words, W_DRAINED, this.#drained);
      count++;
      onRecord({ sequence, producerId, topic, contentType, payload });
    }
    return count;
  }

  waitForRecords(timeoutMs: number): boolean {
    const seen = Atomics.load(this.words, W_SIGNAL);
    if (this.size > 0) return true;
    // A push committed after the check above bumps the signal, so the wait cannot miss it.
    Atomics.wait(this.words, W_SIGNAL, seen, timeoutMs);
    return this.size > 0;
  }

  releaseAbandonedLock(producerId: number): boolean {
    if (!Number.isInteger(producerId) || producerId < 0 || producerId > MAX_PRODUCER_ID) {
      return false;
    }
    const words = this.words;
    const token = producerId + 1;
    if (Atomics.compareExchange(words, W_LOCK, token, CONSUMER_TOKEN) !== token) return false;
    // Rebuild the producer-owned words from the committed records, dropping whatever the dead
    // producer wrote but never committed.
    const pending = (Atomics.load(words, W_PUSHED) - this.#drained) | 0;
    const ringWords = this.ringWords;
    let position = this.#head;
    for (let i = 0; i < pending; i++) {
      let word = position >> 2;
      const topicLength = ringWords[word]!;
      word = word + 1 === ringWords.length ? 0 : word + 1;
      const contentTypeLength = ringWords[word]!;
      word = word + 1 === ringWords.length ? 0 : word + 1;
      const payloadLength = ringWords[word]!;
      position += sharedQueueRecordBytes(topicLength, contentTypeLength, payloadLength);
      if (position >= this.ring.length) position -= this.ring.length;
    }
    Atomics.store(words, W_TAIL, position);
    this.longs[Q_NEXT_SEQUENCE] = BigInt.asUintN(64, this.#drainSequence + BigInt(pending));
    Atomics.store(words, W_LOCK, 0);
    return true;
  }
}

function integerOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_OPTION) {
    throw new OcreError(
      'INVALID_OPTION',
      `createSharedQueue: ${name} must be an integer from 1 to ${MAX_OPTION}; got ${describe(value)}.`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
