// Owns the current-API messaging imports of one guest: `ocre_publish_message` and `ocre_subscribe_message` (prefix subscriptions, cut to Ocre's 63 bytes), checked against the system's limits.
import { OcreError } from '@ocre-ts/core';
import type { OcreLimits } from '@ocre-ts/core';
import type { GuestMemory, StringField } from '../guest/guest-memory.ts';
import type { CallGuard } from './call-guard.ts';
import { errno } from './errno.ts';
import { readRequiredString } from './required-string.ts';

/** Ocre's runtime keeps a subscription's topic in 64 bytes: longer prefixes are cut to 63. */
export const maxSubscriptionTopicBytes = 63;

/** How a current-API container reaches the system's messaging. */
export interface CurrentMessagingPort {
  /**
   * Publishes a message. `payload` is a view into guest memory: copy it before returning.
   *
   * @returns 0 when accepted and at least one subscription matched, `-ENOENT` when none
   *   matched (the message is not sent), `-ENOMEM` when the system's queue is full
   */
  publish(topic: string, contentType: string, payload: Uint8Array): number;
  /** Records a prefix subscription of this container (new to it). 0, or a negative errno. */
  subscribe(prefix: string): number;
}

/** The subscriptions this container holds, cut per Ocre's limit. */
export type SubscriptionSet = ReadonlySet<string>;

/** What the messaging imports of one guest instance need. */
export interface MessagingImportsOptions {
  /** The guest's memory, once instantiated. */
  readonly memory: () => GuestMemory;
  /** The system's messaging, as seen by this container. */
  readonly messaging: CurrentMessagingPort;
  /** A call failed; `reason` says why, for the container's diagnostics (rate-limit them). */
  readonly onCallError?: (call: string, result: number, reason: string) => void;
}

/** The two messaging imports, and the subscriptions they recorded. */
export interface MessagingImports {
  readonly ocre_publish_message: (
    topic: number,
    contentType: number,
    payload: number,
    length: number,
  ) => number;
  readonly ocre_subscribe_message: (topic: number) => number;
  /** The prefixes the container subscribed. */
  readonly subscriptions: SubscriptionSet;
}

/**
 * Makes `ocre_publish_message` and `ocre_subscribe_message` for one guest instance: topic,
 * content type and payload are read through GuestMemory and checked against `limits`; a
 * subscription is a prefix of at most {@link maxSubscriptionTopicBytes}, recorded once.
 */
export function createMessagingImports(
  options: MessagingImportsOptions,
  limits: OcreLimits,
  { refuse, guard }: CallGuard,
): MessagingImports {
  const { messaging } = options;
  const subscriptions = new Set<string>();
  return {
    subscriptions,
    ocre_publish_message: (topicPointer, typePointer, payloadPointer, length) =>
      guard('ocre_publish_message', () => {
        const call = 'ocre_publish_message';
        const topic = readRequiredString(options.memory(), topicPointer, topicField(call, limits));
        if (topic instanceof OcreError) return refuse(call, 'EINVAL', topic.message);
        const contentType = readRequiredString(options.memory(), typePointer, {
          call,
          name: 'content_type',
          maxBytes: limits.maxContentTypeBytes,
          invalid: 'INVALID_CONTENT_TYPE',
          tooLong: 'CONTENT_TYPE_TOO_LONG',
        });
        if (contentType instanceof OcreError) return refuse(call, 'EINVAL', contentType.message);
        // payload_len is a uint32 in C; at or above 2^31 it arrives negative.
        if (length <= 0 || length > limits.maxPayloadBytes) {
          return refuse(
            call,
            'EINVAL',
            `payload_len ${length >>> 0} is not from 1 to ${limits.maxPayloadBytes}`,
          );
        }
        const payload = options
          .memory()
          .readPayload(payloadPointer, length, limits.maxPayloadBytes, call);
        if (payload === null) return refuse(call, 'EINVAL', 'payload is NULL');
        if (payload instanceof OcreError) return refuse(call, 'EINVAL', payload.message);
        const result = messaging.publish(topic, contentType, payload);
        if (result === -errno.ENOMEM)
          options.onCallError?.(call, result, `${call}: the system's queue is full`);
        return result;
      }),

    ocre_subscribe_message: (topicPointer) =>
      guard('ocre_subscribe_message', () => {
        const call = 'ocre_subscribe_message';
        const topic = readRequiredString(options.memory(), topicPointer, topicField(call, limits));
        if (topic instanceof OcreError) return refuse(call, 'EINVAL', topic.message);
        const prefix = cutUtf8(topic, maxSubscriptionTopicBytes);
        if (subscriptions.has(prefix)) return 0;
        if (subscriptions.size >= limits.maxSubscriptions) {
          return refuse(
            call,
            'ENOMEM',
            `the container already holds ${limits.maxSubscriptions} subscriptions (maxSubscriptions)`,
          );
        }
        const result = messaging.subscribe(prefix);
        if (result === 0) subscriptions.add(prefix);
        return result;
      }),
  };
}

function topicField(call: string, limits: OcreLimits): StringField {
  return {
    call,
    name: 'topic',
    maxBytes: limits.maxTopicBytes,
    invalid: 'INVALID_TOPIC',
    tooLong: 'TOPIC_TOO_LONG',
  };
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes that ends on a character boundary. */
function cutUtf8(text: string, maxBytes: number): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut never splits a character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}
