// Owns the producer side of the shared-memory queue: attaching to a buffer and pushing records.

import { OcreError } from './errors.ts';
import type { SharedQueueBounds } from './shared-queue-layout.ts';
import {
  copyIntoRing,
  MAX_PRODUCER_ID,
  Q_NEXT_SEQUENCE,
  SharedQueueHandle,
  sharedQueueRecordBytes,
  W_DRAINED,
  W_HEAD,
  W_LOCK,
  W_PUSHED,
  W_SIGNAL,
  W_TAIL,
} from './shared-queue-layout.ts';

/** How long a push spins for the lock before giving up with -1n (a holder died mid-push). */
const LOCK_TIMEOUT_MS = 100;
/** Longest run of lock polls between two attempts; the back-off doubles up to this. */
const MAX_SPIN = 1024;

const encoder = new TextEncoder();

/**
 * The producer side of a shared queue, usable from any thread (a container's worker or the main
 * thread). Every push returns its verdict at once and never waits for the consumer.
 */
export interface SharedQueueProducer extends SharedQueueBounds {
  /**
   * Enqueues one record whose strings are already UTF-8 encoded.
   *
   * @param topic - UTF-8 topic bytes, at most `maxTopicBytes`
   * @param contentType - UTF-8 content-type bytes, at most `maxContentTypeBytes`
   * @param payload - payload bytes, at most `maxPayloadBytes` (copied; may be empty)
   * @param producerId - who pushed it, an integer from 0 to 2147483646, handed to the consumer
   * @returns the record's sequence number, or `-1n` when the queue is full (by records or bytes)
   * @throws OcreError `TOPIC_TOO_LONG`, `CONTENT_TYPE_TOO_LONG`, `PAYLOAD_TOO_LARGE`, or
   *   `INVALID_OPTION` for a bad producerId; never for a full queue
   */
  push(topic: Uint8Array, contentType: Uint8Array, payload: Uint8Array, producerId: number): bigint;
  /**
   * Like {@link SharedQueueProducer.push} but encodes the strings itself, without allocating.
   *
   * @example
   * const sequence = producer.pushText('sensors/temp', 'text/plain', '21.5', 3);
   * if (sequence < 0n) console.warn('queue full');
   */
  pushText(
    topic: string,
    contentType: string,
    payload: Uint8Array | string,
    producerId: number,
  ): bigint;
}

/**
 * Attaches a producer to a queue buffer, typically one posted to a worker.
 *
 * @param buffer - the `buffer` of a queue made by {@link createSharedQueue}
 * @throws OcreError `INVALID_OPTION` when the buffer is not a shared queue of this layout version
 * @example
 * // in the worker
 * const producer = attachSharedQueue(workerData.queue);
 * producer.pushText('alerts', 'text/plain', 'hot', workerData.id);
 */
export function attachSharedQueue(buffer: SharedArrayBuffer): SharedQueueProducer {
  return new Producer(buffer);
}

class Producer extends SharedQueueHandle implements SharedQueueProducer {
  readonly #topicScratch: Uint8Array;
  readonly #contentTypeScratch: Uint8Array;
  #payloadScratch: Uint8Array | undefined;

  constructor(buffer: SharedArrayBuffer) {
    super(buffer, 'attachSharedQueue');
    const { layout } = this;
    this.#topicScratch = new Uint8Array(layout.maxTopicBytes);
    this.#contentTypeScratch = new Uint8Array(layout.maxContentTypeBytes);
  }

  push(
    topic: Uint8Array,
    contentType: Uint8Array,
    payload: Uint8Array,
    producerId: number,
  ): bigint {
    return this.#push(
      topic,
      topic.length,
      contentType,
      contentType.length,
      payload,
      payload.length,
      producerId,
    );
  }

  pushText(
    topic: string,
    contentType: string,
    payload: Uint8Array | string,
    producerId: number,
  ): bigint {
    const topicLength = encode(topic, this.#topicScratch, 'TOPIC_TOO_LONG');
    const contentTypeLength = encode(
      contentType,
      this.#contentTypeScratch,
      'CONTENT_TYPE_TOO_LONG',
    );
    if (typeof payload !== 'string') {
      return this.#push(
        this.#topicScratch,
        topicLength,
        this.#contentTypeScratch,
        contentTypeLength,
        payload,
        payload.length,
        producerId,
      );
    }
    this.#payloadScratch ??= new Uint8Array(this.maxPayloadBytes);
    const payloadLength = encode(payload, this.#payloadScratch, 'PAYLOAD_TOO_LARGE');
    return this.#push(
      this.#topicScratch,
      topicLength,
      this.#contentTypeScratch,
      contentTypeLength,
      this.#payloadScratch,
      payloadLength,
      producerId,
    );
  }

  #push(
    topic: Uint8Array,
    topicLength: number,
    contentType: Uint8Array,
    contentTypeLength: number,
    payload: Uint8Array,
    payloadLength: number,
    producerId: number,
  ): bigint {
    if (!Number.isInteger(producerId) || producerId < 0 || producerId > MAX_PRODUCER_ID) {
      throw new OcreError(
        'INVALID_OPTION',
        `push: producerId must be an integer from 0 to ${MAX_PRODUCER_ID}; got ${String(producerId)}.`,
      );
    }
    checkLength('TOPIC_TOO_LONG', topicLength, this.maxTopicBytes);
    checkLength('CONTENT_TYPE_TOO_LONG', contentTypeLength, this.maxContentTypeBytes);
    checkLength('PAYLOAD_TOO_LARGE', payloadLength, this.maxPayloadBytes);
    const size = sharedQueueRecordBytes(topicLength, contentTypeLength, payloadLength);
    const words = this.words;
    // Checking before locking keeps a full queue from becoming a contended lock.
    if (!this.#hasRoom(size) || !this.#lock(producerId + 1)) return -1n;
    let sequence: bigint;
    try {
      if (!this.#hasRoom(size)) return -1n;
      const ring = this.ring;
      const start = Atomics.load(words, W_TAIL);
      const ringWords = this.ringWords;
      let word = start >> 2;
      ringWords[word] = topicLength;
      word = word + 1 === ringWords.length ? 0 : word + 1;
      ringWords[word] = contentTypeLength;
      word = word + 1 === ringWords.length ? 0 : word + 1;
      ringWords[word] = payloadLength;
      word = word + 1 === ringWords.length ? 0 : word + 1;
      ringWords[word] = producerId;
      let position = word + 1 === ringWords.length ? 0 : (word + 1) << 2;
      position = copyIntoRing(ring, position, topic, 0, topicLength);
      position = copyIntoRing(ring, position, contentType, 0, contentTypeLength);
      copyIntoRing(ring, position, payload, 0, payloadLength);
      const end = start + size;
      sequence = this.longs[Q_NEXT_SEQUENCE]!;
      this.longs[Q_NEXT_SEQUENCE] = sequence + 1n; // BigUint64Array wraps 2^64 to 0
      Atomics.store(words, W_TAIL, end >= ring.length ? end - ring.length : end);
      // The commit: once `pushed` moves, the consumer may read the record.
      Atomics.store(words, W_PUSHED, (Atomics.load(words, W_PUSHED) + 1) | 0);
    } finally {
      Atomics.store(words, W_LOCK, 0);
    }
    Atomics.add(words, W_SIGNAL, 1);
    Atomics.notify(words, W_SIGNAL);
    return sequence;
  }

  #hasRoom(size: number): boolean {
    const words = this.words;
    const pending = (Atomics.load(words, W_PUSHED) - Atomics.load(words, W_DRAINED)) | 0;
    if (pending >= this.capacity) return false;
    let used = Atomics.load(words, W_TAIL) - Atomics.load(words, W_HEAD);
    if (used < 0) used += this.ring.length;
    return used + size <= this.byteCapacity;
  }

  // Test-and-test-and-set with a doubling, bounded run of polls between attempts. It never
  // Atomics.wait()s, so it is safe on the main thread; holders only keep it for a memcpy.
  #lock(token: number): boolean {
    const words = this.words;
    if (Atomics.compareExchange(words, W_LOCK, 0, token) === 0) return true;
    let spin = 4;
    let deadline = 0;
    for (;;) {
      for (let i = 0; i < spin && Atomics.load(words, W_LOCK) !== 0; i++);
      if (Atomics.compareExchange(words, W_LOCK, 0, token) === 0) return true;
      if (spin < MAX_SPIN) {
        spin <<= 1;
      } else if (deadline === 0) {
        deadline = Date.now() + LOCK_TIMEOUT_MS;
      } else if (Date.now() > deadline) {
        return false;
      }
    }
  }
}

type TooLongCode = 'TOPIC_TOO_LONG' | 'CONTENT_TYPE_TOO_LONG' | 'PAYLOAD_TOO_LARGE';

const TOO_LONG: Record<TooLongCode, { what: string; option: string }> = {
  TOPIC_TOO_LONG: { what: 'topic is', option: 'maxTopicBytes' },
  CONTENT_TYPE_TOO_LONG: { what: 'content type is', option: 'maxContentTypeBytes' },
  PAYLOAD_TOO_LARGE: { what: 'payload is', option: 'maxPayloadBytes' },
};

/** Encodes `text` into `scratch` and returns the byte length, or throws when it does not fit. */
function encode(text: string, scratch: Uint8Array, code: TooLongCode): number {
  const { read, written } = encoder.encodeInto(text, scratch);
  if (read < text.length) throw tooLong(code, encoder.encode(text).length, scratch.length);
  return written;
}

function checkLength(code: TooLongCode, length: number, max: number): void {
  if (length > max) throw tooLong(code, length, max);
}

function tooLong(code: TooLongCode, length: number, max: number): OcreError {
  const { what, option } = TOO_LONG[code];
  return new OcreError(
    code,
    `push: the ${what} ${length} bytes but this queue takes at most ${max} (${option}); shorten it or create the queue with a larger ${option}.`,
  );
}
