// Owns the publish and subscribe validation rules of the Ocre contract, one typed error per rule.
import { OcreError } from './errors.ts';
import type { OcreLimits } from './limits.ts';
import { utf8ByteLength } from './utf8.ts';

/** Something `ocre_publish_message` accepts as a payload: bytes, or a string sent as UTF-8. */
export type PayloadInput = Uint8Array | string;

/** What {@link textProblem} returns for a value that is not a non-empty string. */
const notText = -1;

/**
 * What is wrong with a string argument: 0 when it is a non-empty string within `maxBytes` of
 * UTF-8, {@link notText} when it is not a non-empty string, else its (too large) byte count.
 * Callers build the error only on failure, so the success path allocates nothing; a cheap length
 * test skips the byte count for strings that cannot be too long.
 */
function textProblem(value: unknown, maxBytes: number): number {
  if (typeof value !== 'string' || value.length === 0) return notText;
  if (value.length * 3 <= maxBytes) return 0;
  const bytes = utf8ByteLength(value);
  return bytes > maxBytes ? bytes : 0;
}

/**
 * Check the topic of a publish or subscribe.
 *
 * @returns undefined when valid, else `INVALID_TOPIC` or `TOPIC_TOO_LONG`
 */
export function validateTopic(
  topic: unknown,
  limits: OcreLimits,
  call: string,
): OcreError | undefined {
  const problem = textProblem(topic, limits.maxTopicBytes);
  if (problem === 0) return undefined;
  if (problem === notText) {
    return new OcreError(
      'INVALID_TOPIC',
      `${call}: topic must be a non-empty string, got ${describe(topic)}; pass a topic such as "sensors/temperature"`,
    );
  }
  return new OcreError(
    'TOPIC_TOO_LONG',
    `${call}: topic is ${problem} bytes, over the limit of ${limits.maxTopicBytes}; shorten it or raise limits.maxTopicBytes`,
  );
}

/**
 * Check every argument of `ocre_publish_message` except the queue's room.
 *
 * @returns undefined when valid, else the error of the first rule broken, in the seed's order:
 *   topic, content type, payload, payload length
 */
export function validatePublish(
  topic: unknown,
  contentType: unknown,
  payload: unknown,
  payloadLen: unknown,
  limits: OcreLimits,
): OcreError | undefined {
  const call = 'ocre_publish_message';
  const topicError = validateTopic(topic, limits, call);
  if (topicError !== undefined) return topicError;
  const typeProblem = textProblem(contentType, limits.maxContentTypeBytes);
  if (typeProblem === notText) {
    return new OcreError(
      'INVALID_CONTENT_TYPE',
      `${call}: content_type must be a non-empty string, got ${describe(contentType)}; pass a MIME type such as "application/json"`,
    );
  }
  if (typeProblem !== 0) {
    return new OcreError(
      'CONTENT_TYPE_TOO_LONG',
      `${call}: content_type is ${typeProblem} bytes, over the limit of ${limits.maxContentTypeBytes}; shorten it or raise limits.maxContentTypeBytes`,
    );
  }
  return validatePayload(payload, payloadLen, limits);
}

/**
 * Check the payload and payload length of `ocre_publish_message` (the rules after topic and
 * content type): what a publisher on an already checked topic still needs.
 *
 * @returns undefined when valid, else `INVALID_PAYLOAD` or `PAYLOAD_TOO_LARGE`
 */
export function validatePayload(
  payload: unknown,
  payloadLen: unknown,
  limits: OcreLimits,
): OcreError | undefined {
  const call = 'ocre_publish_message';
  if (!(payload instanceof Uint8Array) && typeof payload !== 'string') {
    return new OcreError(
      'INVALID_PAYLOAD',
      `${call}: payload must be a Uint8Array or a string, got ${describe(payload)}`,
    );
  }
  if (typeof payloadLen !== 'number' || !Number.isInteger(payloadLen) || payloadLen <= 0) {
    return new OcreError(
      'INVALID_PAYLOAD',
      `${call}: payload_len must be a positive integer, got ${describe(payloadLen)}; an empty message cannot be published`,
    );
  }
  if (payloadLen > limits.maxPayloadBytes) {
    return new OcreError(
      'PAYLOAD_TOO_LARGE',
      `${call}: payload_len ${payloadLen} is over the limit of ${limits.maxPayloadBytes} bytes; split the payload or raise limits.maxPayloadBytes`,
    );
  }
  // A string has at least as many UTF-8 bytes as UTF-16 units, so most need no byte count.
  const available =
    typeof payload !== 'string'
      ? payload.byteLength
      : payloadLen <= payload.length
        ? payloadLen
        : utf8ByteLength(payload);
  if (payloadLen > available) {
    return new OcreError(
      'INVALID_PAYLOAD',
      `${call}: payload_len ${payloadLen} is more than the ${available} bytes of payload given`,
    );
  }
  return undefined;
}

/**
 * Check the arguments of `ocre_subscribe_message`, apart from whether the handler exists.
 *
 * @returns undefined when valid, else `INVALID_TOPIC`, `TOPIC_TOO_LONG` or `INVALID_HANDLER`
 */
export function validateSubscribe(
  topic: unknown,
  handlerName: unknown,
  limits: OcreLimits,
): OcreError | undefined {
  const call = 'ocre_subscribe_message';
  const topicError = validateTopic(topic, limits, call);
  if (topicError !== undefined) return topicError;
  if (typeof handlerName !== 'string' || handlerName.length === 0) {
    return new OcreError(
      'INVALID_HANDLER',
      `${call}: handler_name must be a non-empty string, got ${describe(handlerName)}; pass the name of an exported handler`,
    );
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'NULL';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string')
    return value.length === 0 ? 'an empty string' : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return `a value of type ${typeof value}`;
}
