// Owns the Ocre message type and the helpers that build payloads from text, JSON or bytes and read them back.
import { OcreError } from './errors.ts';
import { decodeUtf8, encodeUtf8 } from './utf8.ts';

/**
 * A message as a subscriber receives it: the TypeScript twin of C's `ocre_msg_t`.
 * `payloadLen` is what the publisher passed (the seed's C example counts the trailing NUL).
 */
export interface OcreMessage {
  /** Message id: global to the system, from 0, one per accepted message (uint64). */
  readonly mid: bigint;
  /** The topic it was published to. */
  readonly topic: string;
  /** Its content type; a MIME type is recommended. */
  readonly contentType: string;
  /** The payload bytes; exactly `payloadLen` long. */
  readonly payload: Uint8Array;
  /** Length of the payload in bytes, as the publisher gave it. */
  readonly payloadLen: number;
}

/** A message before it is published: everything but the id. */
export interface OcreDraft {
  /** Topic to publish to. */
  readonly topic: string;
  /** Content type, e.g. `application/json`. */
  readonly contentType: string;
  /** Payload bytes. */
  readonly payload: Uint8Array;
}

/** Options of {@link draftFromText}. */
export interface TextDraftOptions {
  /** Content type; default `text/plain`. */
  readonly contentType?: string;
  /** Append a NUL byte, as C publishers do with `strlen(s) + 1`. Default false. */
  readonly nulTerminated?: boolean;
}

/**
 * Make a draft whose payload is `text` in UTF-8.
 *
 * @example
 * system.publish(draftFromText('greetings', 'hello', { nulTerminated: true }));
 */
export function draftFromText(
  topic: string,
  text: string,
  options: TextDraftOptions = {},
): OcreDraft {
  const encoded = encodeUtf8(text);
  let payload = encoded;
  if (options.nulTerminated === true) {
    payload = new Uint8Array(encoded.length + 1);
    payload.set(encoded);
  }
  return { topic, contentType: options.contentType ?? 'text/plain', payload };
}

/**
 * Make a draft whose payload is `value` as JSON text, content type `application/json`.
 *
 * @throws OcreError `INVALID_PAYLOAD` when `value` cannot be serialised (undefined, a cycle, a bigint)
 */
export function draftFromJson(
  topic: string,
  value: unknown,
  contentType = 'application/json',
): OcreDraft {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new OcreError(
      'INVALID_PAYLOAD',
      `cannot serialise the payload for topic "${topic}" as JSON: ${(error as Error).message}`,
    );
  }
  if (text === undefined) {
    throw new OcreError(
      'INVALID_PAYLOAD',
      `cannot serialise ${typeof value} as JSON for topic "${topic}"; pass an object, array, string, number, boolean or null`,
    );
  }
  return { topic, contentType, payload: encodeUtf8(text) };
}

/** Make a draft carrying `bytes` as they are, content type `application/octet-stream` by default. */
export function draftFromBytes(
  topic: string,
  bytes: Uint8Array,
  contentType = 'application/octet-stream',
): OcreDraft {
  return { topic, contentType, payload: bytes };
}

/** The payload as text (UTF-8), without the trailing NUL a C publisher may have counted. */
export function readText(message: Pick<OcreMessage, 'payload'>): string {
  const { payload } = message;
  const end =
    payload.length > 0 && payload[payload.length - 1] === 0 ? payload.length - 1 : payload.length;
  return decodeUtf8(payload.subarray(0, end));
}

/**
 * The payload parsed as JSON (a trailing NUL is ignored).
 *
 * @throws OcreError `INVALID_PAYLOAD` naming the topic and id when the payload is not JSON
 */
export function readJson(message: Pick<OcreMessage, 'payload' | 'topic' | 'mid'>): unknown {
  const text = readText(message);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new OcreError(
      'INVALID_PAYLOAD',
      `message ${message.mid} on "${message.topic}" is not JSON (${(error as Error).message})`,
    );
  }
}

/** The payload bytes, exactly `payloadLen` long. */
export function readBytes(message: Pick<OcreMessage, 'payload'>): Uint8Array {
  return message.payload;
}
