// Owns the message-id counter: a dense uint64 sequence that wraps at 2^64.

/** The largest message id, 2^64 - 1; the next id after it is 0. */
export const maxMessageId = 0xffff_ffff_ffff_ffffn;

/** Hands out message ids: 0, 1, 2, … one per accepted message, wrapping at 2^64. */
export interface MessageIdCounter {
  /** Take the next id. Call only for a message that was accepted, so ids stay dense. */
  next(): bigint;
  /** The id the next call to `next()` will return, without taking it. */
  peek(): bigint;
}

/**
 * Create a message-id counter.
 *
 * @param start - the first id to hand out (default 0n, as in Ocre)
 * @example
 * const ids = createMessageIdCounter();
 * ids.next(); // 0n
 * ids.next(); // 1n
 */
export function createMessageIdCounter(start = 0n): MessageIdCounter {
  if (start < 0n || start > maxMessageId) {
    throw new RangeError(`message id start must be within 0..2^64-1, got ${start}`);
  }
  let upcoming = start;
  return {
    next() {
      const id = upcoming;
      upcoming = id === maxMessageId ? 0n : id + 1n;
      return id;
    },
    peek() {
      return upcoming;
    },
  };
}
