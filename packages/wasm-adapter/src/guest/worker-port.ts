// Owns the messaging port of a container's worker-side facade: publishes straight into the router's shared queue, subscribes by a blocking round trip to the main thread.
import { OcreError, validatePublishTopic } from '@ocre-ts/core';
import { attachSharedQueue } from '@ocre-ts/core/internal';
import type { OcreErrorCode, OcreMessagingPort, TopicMatchingMode } from '@ocre-ts/core';
import type { SharedQueueProducer } from '@ocre-ts/core/internal';
import { C_REPLY, readReply } from '../channel/control-block.ts';
import type { PublishCall, SubscribeCall, WorkerReport } from '../channel/worker-protocol.ts';

/** How long a call waits for the main thread before giving up. */
const callTimeoutMs = 30_000;
/** Refused publishes are reported at every yield, or once this many have piled up. */
const rejectedBatch = 1024;

/** What the port needs from its worker. */
export interface WorkerPortOptions {
  readonly generation: number;
  readonly control: Int32Array;
  readonly sharedQueue: SharedArrayBuffer | undefined;
  readonly producerId: number;
  readonly topicMatching: TopicMatchingMode;
  readonly post: (report: WorkerReport) => void;
}

/**
 * The router as seen from inside a worker. Publishing never waits for the main thread: it pushes
 * into the shared queue and the verdict is immediate. Subscribing is rare and needs the router,
 * so it blocks the worker (never the main thread) until the main thread has answered.
 */
export class WorkerMessagingPort implements OcreMessagingPort {
  private readonly producer: SharedQueueProducer | undefined;
  private rejected = 0;

  /** @param options - the instance's generation, control block, queue and reporting channel */
  constructor(private readonly options: WorkerPortOptions) {
    this.producer =
      options.sharedQueue === undefined ? undefined : attachSharedQueue(options.sharedQueue);
  }

  /** Push a validated message; its id, or why it was refused. */
  publish(topic: string, contentType: string, payload: Uint8Array): bigint | OcreError {
    const invalid = validatePublishTopic(this.options.topicMatching, topic);
    if (invalid !== undefined) return this.refuse(invalid);
    const { producer } = this;
    if (producer === undefined) {
      const refused = this.call({
        type: 'publish',
        generation: this.options.generation,
        topic,
        contentType,
        payload,
      });
      return refused ?? 0n;
    }
    const sequence = producer.pushText(topic, contentType, payload, this.options.producerId);
    if (sequence >= 0n) return sequence;
    return this.refuse(
      new OcreError(
        'QUEUE_FULL',
        `ocre_publish_message: the router queue is full (${producer.capacity} messages); publish more slowly, retry later, or raise messaging.queueCapacity`,
      ),
    );
  }

  /**
   * Ask the main thread to record the subscription (by `prefix` for Ocre's current API, else in
   * the system's mode); blocks until it answers.
   */
  subscribe(topic: string, handlerName: string, matching?: 'prefix'): OcreError | undefined {
    return this.call({
      type: 'subscribe',
      generation: this.options.generation,
      topic,
      handler: handlerName,
      ...(matching === undefined ? {} : { matching }),
    });
  }

  /** Report refused publishes counted since the last report. */
  flushRejected(): void {
    if (this.rejected === 0) return;
    this.options.post({
      type: 'rejected',
      generation: this.options.generation,
      count: this.rejected,
    });
    this.rejected = 0;
  }

  private refuse(error: OcreError): OcreError {
    this.rejected++;
    if (this.rejected >= rejectedBatch) this.flushRejected();
    return error;
  }

  private call(request: SubscribeCall | PublishCall): OcreError | undefined {
    const { control } = this.options;
    Atomics.store(control, C_REPLY, 0);
    this.options.post(request);
    const deadline = performance.now() + callTimeoutMs;
    while (Atomics.load(control, C_REPLY) === 0) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        return new OcreError(
          'SHUTTING_DOWN',
          `${request.type === 'subscribe' ? 'ocre_subscribe_message' : 'ocre_publish_message'}: the host did not answer within ${callTimeoutMs} ms`,
        );
      }
      Atomics.wait(control, C_REPLY, 0, remaining);
    }
    const reply = readReply(control);
    if (reply.status === 0) return undefined;
    return new OcreError((reply.code ?? 'SHUTTING_DOWN') as OcreErrorCode, reply.message ?? '');
  }
}
