// Owns the router's bounded queue behind one interface: an in-process ring buffer, or the shared-memory queue when workers publish.
import { RingBuffer, attachSharedQueue, createMessageIdCounter } from '@ocre-ts/core';
import type { OcreMessage, SharedQueue } from '@ocre-ts/core';

/** The router's bounded FIFO of accepted messages; it also assigns message ids. */
export interface RouterQueue {
  /** Most messages held. */
  readonly capacity: number;
  /** Messages waiting. */
  readonly size: number;
  /** Accept a message and give it the next id; undefined when full. `payload` must be private. */
  push(topic: string, contentType: string, payload: Uint8Array): bigint | undefined;
  /** Remove up to `max` messages in FIFO (= id) order. */
  drain(max: number, onMessage: (message: OcreMessage) => void): number;
}

/** An in-process router queue: a ring buffer of messages plus the id counter. */
export function createRingRouterQueue(capacity: number): RouterQueue {
  const ring = new RingBuffer<OcreMessage>(capacity);
  const ids = createMessageIdCounter();
  return {
    capacity,
    get size() {
      return ring.size;
    },
    push(topic, contentType, payload) {
      if (ring.isFull) return undefined;
      const mid = ids.next();
      ring.push({ mid, topic, contentType, payload, payloadLen: payload.length });
      return mid;
    },
    drain: (max, onMessage) => ring.drain(max, onMessage),
  };
}

/**
 * A router queue over the shared-memory queue, so worker threads can push directly and get
 * their verdict at once; main-thread publishers push into the same queue (producer id 0).
 */
export function createSharedRouterQueue(queue: SharedQueue): RouterQueue {
  const producer = attachSharedQueue(queue.buffer);
  return {
    capacity: queue.capacity,
    get size() {
      return queue.size;
    },
    push(topic, contentType, payload) {
      const sequence = producer.pushText(topic, contentType, payload, 0);
      return sequence < 0n ? undefined : sequence;
    },
    drain: (max, onMessage) =>
      queue.drain(max, (record) =>
        onMessage({
          mid: record.sequence,
          topic: record.topic,
          contentType: record.contentType,
          payload: record.payload,
          payloadLen: record.payload.length,
        }),
      ),
  };
}
