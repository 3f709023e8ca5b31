// Owns numbering accepted messages without a bigint per message: a shared bigint base plus a small number offset, exact over the whole uint64 range.
import type { OcreMessage } from './message.ts';
import { maxMessageId } from './message-id.ts';

/** Offsets stay below this; then the base moves on. 2^32 keeps every offset a small integer. */
const chunk = 2 ** 32;

/**
 * An accepted message whose `mid` is computed when read: the hot path stores a number and a
 * shared bigint, and only a reader of `mid` pays for a bigint.
 */
class SequencedMessage implements OcreMessage {
  /**
   * @param base - the id of offset 0 (shared by up to 2^32 messages)
   * @param offset - this message's distance from `base`
   */
  constructor(
    private readonly base: bigint,
    private readonly offset: number,
    readonly topic: string,
    readonly contentType: string,
    readonly payload: Uint8Array,
    readonly payloadLen: number,
  ) {}

  /** The message id: exact, a uint64. */
  get mid(): bigint {
    return this.base + BigInt(this.offset);
  }
}

/** Hands out accepted messages with dense ids: 0, 1, 2, … wrapping at 2^64, like `createMessageIdCounter`. */
export interface MessageSequence {
  /** Build the next accepted message; call only once it is accepted, so ids stay dense. */
  next(topic: string, contentType: string, payload: Uint8Array): OcreMessage;
}

/**
 * Create a message sequence.
 *
 * @param start - the first id (default 0n, as in Ocre)
 * @example
 * const sequence = createMessageSequence();
 * sequence.next('t', 'text/plain', new Uint8Array([1])).mid; // 0n
 */
export function createMessageSequence(start = 0n): MessageSequence {
  if (start < 0n || start > maxMessageId) {
    throw new RangeError(`message id start must be within 0..2^64-1, got ${start}`);
  }
  let base = start;
  let offset = 0;
  // The last chunk before 2^64 is shorter, so the id after 2^64 - 1 is exactly 0.
  let limit = Number(maxMessageId - base + 1n < BigInt(chunk) ? maxMessageId - base + 1n : chunk);
  return {
    next(topic, contentType, payload) {
      if (offset === limit) {
        base = (base + BigInt(limit)) & maxMessageId;
        offset = 0;
        const left = maxMessageId - base + 1n;
        limit = left < BigInt(chunk) ? Number(left) : chunk;
      }
      return new SequencedMessage(base, offset++, topic, contentType, payload, payload.length);
    },
  };
}
