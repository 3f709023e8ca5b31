// Owns the router's bounded queue behind one interface: an in-process ring buffer, or the shared-memory queue when workers publish.
import { RingBuffer, attachSharedQueue, createMessageSequence } from '@ocre-ts/core/internal';
import type { OcreMessage } from '@ocre-ts/core';
import type { SharedQueue } from '@ocre-ts/core/internal';

/** The router's bounded FIFO of accepted messages; it also assigns message ids. */
export interface RouterQueue {
  /** Most messages held. */
  readonly capacity: number;
  /** Messages waiting. */
  readonly size: number;
  /**
   * Accept a message and give it the next id: the accepted message (in process) or its id (shared
   * queue); undefined when full. `payload` must be private.
   */
  push(topic: string, contentType: string, payload: Uint8Array): OcreMessage | bigint | undefined;
  /**
   * Remove up to `max` messages in FIFO (= id) order. `producerId` is 0 for messages pushed
   * through `push` (counted at publish), else the id a worker pushed with (counted here).
   */
  drain(max: number, onMessage: (message: OcreMessage, producerId: number) => void): number;
  /**
   * Call `onPush` whenever another thread pushes (shared queues only); returns a function that
   * stops watching. The main thread cannot block, so this uses `Atomics.waitAsync`.
   */
  watch?(onPush: () => void): () => void;
}

/**
 * An in-process router queue: a ring buffer of messages numbered by a message sequence (no bigint
 * per message).
 *
 * @param firstId - the first message id (default 0n)
 */
export function createRingRouterQueue(capacity: number, firstId = 0n): RouterQueue {
  const ring = new RingBuffer<OcreMessage>(capacity);
  const sequence = createMessageSequence(firstId);
  return {
    capacity,
    get size() {
      return ring.size;
    },
    push(topic, contentType, payload) {
      if (ring.isFull) return undefined;
      const message = sequence.next(topic, contentType, payload);
      ring.push(message);
      return message;
    },
    drain(max, onMessage) {
      // One loop, no closure per turn: in-process publishes have producer id 0.
      let drained = 0;
      for (; drained < max && ring.size > 0; drained++) onMessage(ring.shift() as OcreMessage, 0);
      return drained;
    },
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
    watch(onPush) {
      const { array, index } = queue.signal;
      let watching = true;
      const arm = (): void => {
        if (!watching) return;
        const seen = Atomics.load(array, index);
        const wait = Atomics.waitAsync(array, index, seen);
        if (wait.async) {
          void wait.value.then(() => {
            if (!watching) return;
            onPush();
            arm();
          });
        } else {
          onPush();
          setImmediate(arm);
        }
      };
      arm();
      return () => {
        watching = false;
        // Wake the pending waitAsync so it does not keep the process alive.
        Atomics.notify(array, index);
      };
    },
    push(topic, contentType, payload) {
      const sequence = producer.pushText(topic, contentType, payload, 0);
      return sequence < 0n ? undefined : sequence;
    },
    drain: (max, onMessage) =>
      queue.drain(max, (record) =>
        onMessage(
          {
            mid: record.sequence,
            topic: record.topic,
            contentType: record.contentType,
            payload: record.payload,
            payloadLen: record.payload.length,
          },
          record.producerId,
        ),
      ),
  };
}
