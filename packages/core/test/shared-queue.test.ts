// Unit and property tests of the shared-memory queue, single-threaded.
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { isOcreError } from '../src/errors.ts';
import { createSharedQueue } from '../src/shared-queue.ts';
import type { SharedQueue, SharedQueueOptions, SharedQueueRecord } from '../src/shared-queue.ts';
import {
  HEADER_BYTES,
  Q_NEXT_SEQUENCE,
  sharedQueueRecordBytes,
  W_LOCK,
  W_TAIL,
  W_VERSION,
} from '../src/shared-queue-layout.ts';
import { attachSharedQueue } from '../src/shared-queue-producer.ts';

const utf8 = new TextEncoder();
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

function drainAll(queue: SharedQueue, max = Infinity): SharedQueueRecord[] {
  const records: SharedQueueRecord[] = [];
  queue.drain(max, (record) => records.push(record));
  return records;
}

function setup(options?: SharedQueueOptions) {
  const queue = createSharedQueue(options);
  return { queue, producer: attachSharedQueue(queue.buffer) };
}

describe('createSharedQueue', () => {
  it('has the Ocre defaults', () => {
    const { queue, producer } = setup();
    expect(queue.capacity).toBe(100);
    expect(queue.byteCapacity).toBe(1 << 20);
    expect([queue.maxTopicBytes, queue.maxContentTypeBytes, queue.maxPayloadBytes]).toEqual([
      256, 128, 65536,
    ]);
    expect(producer.capacity).toBe(100);
    expect(queue.nextSequence).toBe(0n);
    expect(queue.size).toBe(0);
    expect(queue.bytesUsed).toBe(0);
    expect(queue.isFull).toBe(false);
  });

  it('rejects options that are not integers in range, with messages naming them', () => {
    expect(() => createSharedQueue({ capacity: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: createSharedQueue: capacity must be an integer from 1 to 1073741824; got 0.]`,
    );
    expect(() => createSharedQueue({ maxPayloadBytes: 1.5 })).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: createSharedQueue: maxPayloadBytes must be an integer from 1 to 1073741824; got 1.5.]`,
    );
    expect(() => createSharedQueue({ maxTopicBytes: NaN })).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: createSharedQueue: maxTopicBytes must be an integer from 1 to 1073741824; got NaN.]`,
    );
    expect(() =>
      createSharedQueue({ capacity: '10' as unknown as number }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: createSharedQueue: capacity must be an integer from 1 to 1073741824; got "10".]`,
    );
    expect(() => createSharedQueue({ byteCapacity: 1000 })).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: createSharedQueue: byteCapacity must be at least 65936 to hold one record of the largest size (16-byte header + maxTopicBytes 256 + maxContentTypeBytes 128 + maxPayloadBytes 65536, rounded up to 4); got 1000. Raise byteCapacity or lower the max*Bytes options.]`,
    );
    expect(() => createSharedQueue({ firstSequence: -1n })).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: createSharedQueue: firstSequence must be a bigint from 0n to 18446744073709551615n; got -1n.]`,
    );
    expect(() => createSharedQueue({ firstSequence: 2n ** 64n })).toThrow(/firstSequence/);
    expect(() => createSharedQueue({ capacity: 2 ** 31 })).toThrow(/capacity/);
    try {
      createSharedQueue({ capacity: -1 });
      expect.unreachable();
    } catch (error) {
      expect(isOcreError(error, 'INVALID_OPTION')).toBe(true);
    }
  });

  it('accepts a byteCapacity exactly one largest record wide', () => {
    const byteCapacity = sharedQueueRecordBytes(4, 4, 10);
    const { queue, producer } = setup({
      byteCapacity,
      maxTopicBytes: 4,
      maxContentTypeBytes: 4,
      maxPayloadBytes: 10,
    });
    expect(producer.push(bytes(1, 2, 3, 4), bytes(5, 6, 7, 8), new Uint8Array(10), 0)).toBe(0n);
    expect(producer.push(bytes(), bytes(), bytes(), 0)).toBe(-1n);
    expect(queue.bytesUsed).toBe(byteCapacity);
  });
});

describe('attachSharedQueue', () => {
  it('rejects buffers that are not shared queues', () => {
    expect(() =>
      attachSharedQueue(new ArrayBuffer(4096) as unknown as SharedArrayBuffer),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: attachSharedQueue: expected the SharedArrayBuffer of a queue made by createSharedQueue() (its .buffer); got an ArrayBuffer (not shared).]`,
    );
    expect(() => attachSharedQueue(new SharedArrayBuffer(16))).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: attachSharedQueue: expected the SharedArrayBuffer of a queue made by createSharedQueue() (its .buffer); got a SharedArrayBuffer of 16 bytes, smaller than the 192-byte header.]`,
    );
    expect(() => attachSharedQueue(new SharedArrayBuffer(4096))).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: attachSharedQueue: expected the SharedArrayBuffer of a queue made by createSharedQueue() (its .buffer); this buffer does not start with the queue magic word.]`,
    );
  });

  it('rejects another layout version and a resized buffer', () => {
    const { queue } = setup({ capacity: 4 });
    const copy = new SharedArrayBuffer(queue.buffer.byteLength + 8);
    new Uint8Array(copy).set(new Uint8Array(queue.buffer));
    expect(() => attachSharedQueue(copy)).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: attachSharedQueue: the queue buffer is 1048780 bytes but its header describes 1048772; it is damaged or not a queue buffer.]`,
    );
    new Int32Array(queue.buffer)[W_VERSION] = 99;
    expect(() => attachSharedQueue(queue.buffer)).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: attachSharedQueue: the queue buffer has layout version 99 but this build reads version 1; create and attach with the same @ocre-ts/core.]`,
    );
  });
});

describe('push and drain', () => {
  it('is FIFO and hands back what was pushed', () => {
    const { queue, producer } = setup();
    expect(producer.pushText('a/b', 'text/plain', 'one', 1)).toBe(0n);
    expect(producer.push(utf8.encode('c'), utf8.encode('application/json'), bytes(1, 2), 2)).toBe(
      1n,
    );
    expect(producer.pushText('émoji/🙂', 'text/plain; charset=utf-8', bytes(9), 3)).toBe(2n);
    expect(queue.size).toBe(3);
    const records = drainAll(queue);
    expect(records).toEqual([
      {
        sequence: 0n,
        producerId: 1,
        topic: 'a/b',
        contentType: 'text/plain',
        payload: utf8.encode('one'),
      },
      {
        sequence: 1n,
        producerId: 2,
        topic: 'c',
        contentType: 'application/json',
        payload: bytes(1, 2),
      },
      {
        sequence: 2n,
        producerId: 3,
        topic: 'émoji/🙂',
        contentType: 'text/plain; charset=utf-8',
        payload: bytes(9),
      },
    ]);
    expect(queue.size).toBe(0);
    expect(queue.bytesUsed).toBe(0);
  });

  it('drains at most max records, and nothing when empty', () => {
    const { queue, producer } = setup();
    for (let i = 0; i < 5; i++) producer.pushText('t', 'c', String(i), 0);
    expect(drainAll(queue, 2).map((r) => r.sequence)).toEqual([0n, 1n]);
    expect(queue.drain(0, () => expect.unreachable())).toBe(0);
    expect(drainAll(queue).map((r) => r.sequence)).toEqual([2n, 3n, 4n]);
    expect(queue.drain(10, () => expect.unreachable())).toBe(0);
  });

  it('copies payloads in and out, never aliasing the shared buffer', () => {
    const { queue, producer } = setup();
    const payload = bytes(1, 2, 3);
    producer.push(utf8.encode('t'), utf8.encode('c'), payload, 0);
    payload[0] = 42;
    const [record] = drainAll(queue);
    expect(record!.payload).toEqual(bytes(1, 2, 3));
    expect(record!.payload.buffer).toBeInstanceOf(ArrayBuffer);
    expect(record!.payload.buffer).not.toBe(queue.buffer);
  });

  it('decodes invalid UTF-8 leniently', () => {
    const { queue, producer } = setup();
    producer.push(bytes(0x61, 0xff, 0x62), bytes(0xc3), bytes(), 0);
    expect(drainAll(queue)[0]).toMatchObject({ topic: 'a\uFFFDb', contentType: '\uFFFD' });
  });

  it('takes empty records and the largest records', () => {
    const { queue, producer } = setup({
      maxTopicBytes: 8,
      maxContentTypeBytes: 8,
      maxPayloadBytes: 1000,
      byteCapacity: 2100,
    });
    expect(producer.push(bytes(), bytes(), bytes(), 0)).toBe(0n);
    const big = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    expect(producer.push(utf8.encode('12345678'), utf8.encode('abcdefgh'), big, 0)).toBe(1n);
    expect(producer.pushText('12345678', 'abcdefgh', 'x'.repeat(1000), 0)).toBe(2n);
    const records = drainAll(queue);
    expect(records.map((r) => r.payload.length)).toEqual([0, 1000, 1000]);
    expect(records[0]).toMatchObject({ topic: '', contentType: '' });
    expect(records[1]!.payload).toEqual(big);
    expect(records[2]!.payload).toEqual(utf8.encode('x'.repeat(1000)));
  });

  it('throws for fields beyond the limits instead of corrupting the ring', () => {
    const { queue, producer } = setup({
      maxTopicBytes: 4,
      maxContentTypeBytes: 4,
      maxPayloadBytes: 8,
    });
    expect(() =>
      producer.push(utf8.encode('12345'), bytes(), bytes(), 0),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: push: the topic is 5 bytes but this queue takes at most 4 (maxTopicBytes); shorten it or create the queue with a larger maxTopicBytes.]`,
    );
    expect(() => producer.pushText('é/é', 'c', '', 0)).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: push: the topic is 5 bytes but this queue takes at most 4 (maxTopicBytes); shorten it or create the queue with a larger maxTopicBytes.]`,
    );
    expect(() => producer.pushText('t', 'text/plain', '', 0)).toThrow(
      expect.objectContaining({ code: 'CONTENT_TYPE_TOO_LONG' }),
    );
    expect(() =>
      producer.push(bytes(), bytes(), new Uint8Array(9), 0),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: push: the payload is 9 bytes but this queue takes at most 8 (maxPayloadBytes); shorten it or create the queue with a larger maxPayloadBytes.]`,
    );
    expect(() => producer.pushText('t', 'c', '123456789', 0)).toThrow(
      expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }),
    );
    expect(() => producer.pushText('t', 'c', '', -1)).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: push: producerId must be an integer from 0 to 2147483646; got -1.]`,
    );
    expect(() => producer.pushText('t', 'c', '', 2 ** 31 - 1)).toThrow(/producerId/);
    expect(queue.size).toBe(0);
    expect(producer.pushText('1234', '1234', '12345678', 2 ** 31 - 2)).toBe(0n);
    expect(drainAll(queue)[0]!.producerId).toBe(2 ** 31 - 2);
  });
});

describe('bounds', () => {
  it('is full by record count, then recovers after a drain', () => {
    const { queue, producer } = setup({ capacity: 3 });
    expect([0, 1, 2].map((i) => producer.pushText('t', 'c', String(i), 0))).toEqual([0n, 1n, 2n]);
    expect(queue.isFull).toBe(true);
    expect(producer.pushText('t', 'c', 'x', 0)).toBe(-1n);
    expect(producer.pushText('t', 'c', 'x', 0)).toBe(-1n);
    expect(queue.nextSequence).toBe(3n);
    expect(drainAll(queue, 1).map((r) => r.sequence)).toEqual([0n]);
    expect(queue.isFull).toBe(false);
    expect(producer.pushText('t', 'c', '3', 0)).toBe(3n);
    expect(drainAll(queue).map((r) => r.sequence)).toEqual([1n, 2n, 3n]);
  });

  it('is full by bytes, then recovers after a drain', () => {
    const options = { maxTopicBytes: 4, maxContentTypeBytes: 4, maxPayloadBytes: 100 };
    const recordBytes = sharedQueueRecordBytes(1, 1, 50); // 68
    const { queue, producer } = setup({ ...options, byteCapacity: 200 });
    const payload = new Uint8Array(50);
    expect(producer.push(bytes(1), bytes(2), payload, 0)).toBe(0n);
    expect(producer.push(bytes(1), bytes(2), payload, 0)).toBe(1n);
    expect(queue.bytesUsed).toBe(2 * recordBytes);
    expect(producer.push(bytes(1), bytes(2), payload, 0)).toBe(-1n);
    // A smaller record still fits in the 64 bytes left.
    expect(producer.push(bytes(), bytes(), new Uint8Array(48), 0)).toBe(2n);
    expect(queue.bytesUsed).toBe(200);
    expect(queue.isFull).toBe(true);
    expect(producer.push(bytes(), bytes(), bytes(), 0)).toBe(-1n);
    expect(drainAll(queue, 1)).toHaveLength(1);
    expect(producer.push(bytes(1), bytes(2), payload, 0)).toBe(3n);
    expect(drainAll(queue).map((r) => r.sequence)).toEqual([1n, 2n, 3n]);
  });

  it('wraps the byte ring with mixed record sizes', () => {
    const { queue, producer } = setup({
      capacity: 16,
      byteCapacity: 301,
      maxTopicBytes: 8,
      maxContentTypeBytes: 8,
      maxPayloadBytes: 120,
    });
    const pending: Uint8Array[] = [];
    let pushedBytes = 0;
    let sequence = 0n;
    for (let round = 0; round < 500; round++) {
      const length = (round * 37) % 121;
      const payload = Uint8Array.from({ length }, (_, i) => (round + i) & 0xff);
      const topic = 'abcdefgh'.slice(0, round % 9);
      const result = producer.pushText(topic, 'ct', payload, round);
      if (result >= 0n) {
        expect(result).toBe(sequence++);
        pending.push(payload);
        pushedBytes += sharedQueueRecordBytes(topic.length, 2, length);
      }
      if (result < 0n || round % 3 === 0) {
        for (const record of drainAll(queue, 1 + (round % 2))) {
          expect(record.payload).toEqual(pending.shift());
          expect(record.contentType).toBe('ct');
        }
      }
    }
    for (const record of drainAll(queue)) expect(record.payload).toEqual(pending.shift());
    expect(pending).toEqual([]);
    expect(pushedBytes).toBeGreaterThan(50 * 304); // the ring went round many times
  });
});

describe('sequences', () => {
  it('start at firstSequence, count only accepted records and wrap at 2^64', () => {
    const { queue, producer } = setup({ capacity: 2, firstSequence: 2n ** 64n - 3n });
    expect(queue.nextSequence).toBe(2n ** 64n - 3n);
    expect(producer.pushText('t', 'c', '', 0)).toBe(2n ** 64n - 3n);
    expect(producer.pushText('t', 'c', '', 0)).toBe(2n ** 64n - 2n);
    expect(producer.pushText('t', 'c', '', 0)).toBe(-1n);
    expect(drainAll(queue).map((r) => r.sequence)).toEqual([2n ** 64n - 3n, 2n ** 64n - 2n]);
    expect(producer.pushText('t', 'c', '', 0)).toBe(2n ** 64n - 1n);
    expect(producer.pushText('t', 'c', '', 0)).toBe(0n);
    expect(queue.nextSequence).toBe(1n);
    expect(drainAll(queue).map((r) => r.sequence)).toEqual([2n ** 64n - 1n, 0n]);
    expect(producer.pushText('t', 'c', '', 0)).toBe(1n);
  });

  it('are shared by every producer attached to the buffer', () => {
    const queue = createSharedQueue({ firstSequence: 10n });
    const a = attachSharedQueue(queue.buffer);
    const b = attachSharedQueue(queue.buffer);
    expect([a.pushText('t', 'c', '', 1), b.pushText('t', 'c', '', 2)]).toEqual([10n, 11n]);
    expect(drainAll(queue).map((r) => [r.sequence, r.producerId])).toEqual([
      [10n, 1],
      [11n, 2],
    ]);
  });
});

describe('signalling', () => {
  it('bumps pushCount and the signal word on each accepted push', () => {
    const { queue, producer } = setup({ capacity: 1 });
    const { array, index } = queue.signal;
    expect(queue.pushCount).toBe(0);
    producer.pushText('t', 'c', '', 0);
    producer.pushText('t', 'c', '', 0); // full: no signal
    expect(queue.pushCount).toBe(1);
    expect(Atomics.load(array, index)).toBe(1);
  });

  it('waitForRecords returns at once when records wait, else after the timeout', () => {
    const { queue, producer } = setup();
    expect(queue.waitForRecords(1)).toBe(false);
    producer.pushText('t', 'c', '', 0);
    expect(queue.waitForRecords(10_000)).toBe(true);
  });

  it('lets onRecord drain re-entrantly without losing order', () => {
    const { queue, producer } = setup();
    for (let i = 0; i < 6; i++) producer.pushText('t', 'c', '', 0);
    const seen: bigint[] = [];
    const count = queue.drain(Infinity, (record) => {
      seen.push(record.sequence);
      if (record.sequence === 1n) queue.drain(2, (inner) => seen.push(inner.sequence));
    });
    expect(seen).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
    expect(count).toBe(4);
  });
});

describe('a producer that died holding the lock', () => {
  it('makes pushes fail fast-ish until releaseAbandonedLock rolls its record back', () => {
    const { queue, producer } = setup({ capacity: 8 });
    producer.pushText('t', 'c', 'kept', 1);
    // Simulate producer 7 terminated mid-push: lock held, tail and sequence advanced, no commit.
    const words = new Int32Array(queue.buffer, 0, HEADER_BYTES >> 2);
    const longs = new BigUint64Array(queue.buffer, 0, HEADER_BYTES >> 3);
    Atomics.store(words, W_LOCK, 7 + 1);
    Atomics.store(words, W_TAIL, words[W_TAIL]! + 40);
    longs[Q_NEXT_SEQUENCE] = 5n;
    const started = Date.now();
    expect(producer.pushText('t', 'c', 'lost', 2)).toBe(-1n);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(queue.releaseAbandonedLock(6)).toBe(false);
    expect(queue.releaseAbandonedLock(7)).toBe(true);
    expect(queue.releaseAbandonedLock(7)).toBe(false);
    expect(producer.pushText('t', 'c', 'next', 2)).toBe(1n);
    expect(drainAll(queue).map((r) => new TextDecoder().decode(r.payload))).toEqual([
      'kept',
      'next',
    ]);
    expect(queue.bytesUsed).toBe(0);
  });
});

describe('against a model (property)', () => {
  const limits = { maxTopicBytes: 6, maxContentTypeBytes: 6, maxPayloadBytes: 40 };
  const largest = sharedQueueRecordBytes(6, 6, 40);
  const push = fc.record({
    kind: fc.constant('push' as const),
    topic: fc.string({ maxLength: 6 }),
    contentType: fc.string({ maxLength: 6 }),
    payload: fc.uint8Array({ maxLength: 40 }),
    producerId: fc.nat({ max: 1000 }),
  });
  const drain = fc.record({ kind: fc.constant('drain' as const), max: fc.nat({ max: 6 }) });
  type Entry = Omit<SharedQueueRecord, 'payload'> & { payload: Uint8Array; bytes: number };

  it('loses, duplicates and reorders nothing, and accepts iff there is room', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: largest, max: largest * 5 }),
        fc.oneof(fc.bigInt(0n, 2n ** 64n - 1n), fc.bigInt(2n ** 64n - 20n, 2n ** 64n - 1n)),
        fc.array(fc.oneof({ arbitrary: push, weight: 3 }, { arbitrary: drain, weight: 1 }), {
          maxLength: 150,
        }),
        (capacity, byteCapacity, firstSequence, operations) => {
          const { queue, producer } = setup({ ...limits, capacity, byteCapacity, firstSequence });
          const model: Entry[] = [];
          let modelBytes = 0;
          let next = firstSequence;
          for (const operation of operations) {
            if (operation.kind === 'push') {
              const { topic, contentType, payload, producerId } = operation;
              const size = sharedQueueRecordBytes(topic.length, contentType.length, payload.length);
              const room = model.length < capacity && modelBytes + size <= byteCapacity;
              const sequence = producer.pushText(topic, contentType, payload, producerId);
              expect(sequence).toBe(room ? next : -1n);
              if (room) {
                model.push({
                  sequence: next,
                  producerId,
                  topic,
                  contentType,
                  payload,
                  bytes: size,
                });
                modelBytes += size;
                next = BigInt.asUintN(64, next + 1n);
              }
            } else {
              const expected = model.splice(0, operation.max);
              const got = drainAll(queue, operation.max);
              expect(got).toEqual(expected.map(({ bytes: _, ...record }) => record));
              modelBytes -= expected.reduce((sum, entry) => sum + entry.bytes, 0);
            }
            expect(queue.size).toBe(model.length);
            expect(queue.bytesUsed).toBe(modelBytes);
            expect(queue.nextSequence).toBe(next);
            expect(queue.size).toBeLessThanOrEqual(capacity);
            expect(queue.bytesUsed).toBeLessThanOrEqual(byteCapacity);
          }
          expect(drainAll(queue).map((r) => r.sequence)).toEqual(model.map((e) => e.sequence));
        },
      ),
      { numRuns: 200 },
    );
  });
});
