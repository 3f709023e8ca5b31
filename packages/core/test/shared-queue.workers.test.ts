// Real threads against the shared-memory queue: four producer workers, the consumer here.
import { Worker } from 'node:worker_threads';
import { describe, it, expect } from 'vitest';
import { createSharedQueue } from '../src/shared-queue.ts';
import type { SharedQueueRecord } from '../src/shared-queue.ts';
import type {
  ProducerLoopData,
  ProducerLoopResult,
} from './fixtures/shared-queue-producer-loop.ts';

const PRODUCERS = 4;
const PER_PRODUCER = 20_000;

function startProducer(data: ProducerLoopData): {
  ready: Promise<void>;
  done: Promise<ProducerLoopResult>;
} {
  const worker = new Worker(new URL('./fixtures/shared-queue-worker.mjs', import.meta.url), {
    workerData: data,
  });
  let result: ProducerLoopResult | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  const done = new Promise<ProducerLoopResult>((resolve, reject) => {
    worker.on('message', (message: unknown) => {
      if (message !== 'ready') result = message as ProducerLoopResult;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code === 0 && result) resolve(result);
      else reject(new Error(`producer ${data.producerId} exited with ${code} and no result`));
    });
  });
  return { ready, done };
}

describe('shared queue across worker threads', () => {
  it('delivers every accepted record once, in per-producer and sequence order', async () => {
    const queue = createSharedQueue({
      capacity: 64,
      byteCapacity: 4096,
      maxPayloadBytes: 64,
      maxTopicBytes: 16,
      maxContentTypeBytes: 32,
    });
    const start = new SharedArrayBuffer(4);
    const producers = Array.from({ length: PRODUCERS }, (_, producerId) =>
      startProducer({ buffer: queue.buffer, producerId, count: PER_PRODUCER, start }),
    );
    await Promise.all(producers.map((producer) => producer.ready));

    const nextCounter = new Array<number>(PRODUCERS).fill(0);
    const drainedSequences = Array.from(
      { length: PRODUCERS },
      () => new BigUint64Array(PER_PRODUCER),
    );
    const problems: string[] = [];
    let expectedSequence = 0n;
    let drained = 0;
    let largestSize = 0;
    let largestBytes = 0;
    const onRecord = (record: SharedQueueRecord): void => {
      const view = new DataView(record.payload.buffer);
      const producerId = view.getUint32(0);
      const counter = view.getUint32(4);
      if (record.producerId !== producerId || record.topic !== `p/${producerId}`) {
        problems.push(`record ${record.sequence} is from ${record.producerId}/${record.topic}`);
      }
      if (counter !== nextCounter[producerId]) {
        problems.push(
          `producer ${producerId}: got ${counter}, expected ${nextCounter[producerId]}`,
        );
      }
      if (record.sequence !== expectedSequence) {
        problems.push(`sequence ${record.sequence}, expected ${expectedSequence}`);
      }
      if (
        record.payload.length !== 8 + (counter % 37) ||
        record.payload.some((byte, i) => i >= 8 && byte !== (counter & 0xff))
      ) {
        problems.push(`producer ${producerId} record ${counter}: payload damaged`);
      }
      nextCounter[producerId] = counter + 1;
      drainedSequences[producerId]![counter] = record.sequence;
      expectedSequence = record.sequence + 1n;
      drained++;
    };

    const started = performance.now();
    Atomics.store(new Int32Array(start), 0, 1);
    Atomics.notify(new Int32Array(start), 0);
    let finished = false;
    const results = Promise.all(producers.map((producer) => producer.done)).finally(() => {
      finished = true;
    });
    while (!finished || queue.size > 0) {
      largestSize = Math.max(largestSize, queue.size);
      largestBytes = Math.max(largestBytes, queue.bytesUsed);
      queue.drain(Infinity, onRecord);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const reports = await results;
    const elapsed = performance.now() - started;

    expect(problems.slice(0, 5)).toEqual([]);
    expect(drained).toBe(PRODUCERS * PER_PRODUCER);
    expect(nextCounter).toEqual(new Array<number>(PRODUCERS).fill(PER_PRODUCER));
    expect(queue.nextSequence).toBe(BigInt(PRODUCERS * PER_PRODUCER));
    for (const report of reports) {
      // The sequence a producer was told is the one the consumer saw for that record.
      expect(report.sequences).toEqual(drainedSequences[report.producerId]);
    }
    const fulls = reports.reduce((sum, report) => sum + report.fulls, 0);
    expect(fulls).toBeGreaterThan(0);
    expect(largestSize).toBeLessThanOrEqual(64);
    expect(largestBytes).toBeLessThanOrEqual(4096);
    // Recovered: empty and accepting again after all those fulls.
    expect(queue.size).toBe(0);
    expect(queue.isFull).toBe(false);
    console.info(
      `${drained} records from ${PRODUCERS} threads in ${elapsed.toFixed(0)} ms, ${fulls} fulls`,
    );
  }, 30_000);
});
