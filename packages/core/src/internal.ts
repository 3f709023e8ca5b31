// Owns @ocre-ts/core/internal: the plumbing sibling packages build routers and workers from (queues, the shared-memory queue, UTF-8 helpers). Unstable: it changes without notice.
export { defaultSharedQueueBytes } from './defaults.ts';
export { checkPositiveInteger } from './limits.ts';
export { RingBuffer } from './ring-buffer.ts';
export { utf8ByteLength, encodeUtf8, decodeUtf8 } from './utf8.ts';
export { createSharedQueue } from './shared-queue.ts';
export type {
  SharedQueue,
  SharedQueueOptions,
  SharedQueueRecord,
  SharedQueueSignal,
} from './shared-queue.ts';
export { attachSharedQueue } from './shared-queue-producer.ts';
export type { SharedQueueProducer } from './shared-queue-producer.ts';
export { sharedQueueRecordBytes } from './shared-queue-layout.ts';
export type { SharedQueueBounds } from './shared-queue-layout.ts';
export { createMessageSequence } from './message-sequence.ts';
export type { MessageSequence } from './message-sequence.ts';
