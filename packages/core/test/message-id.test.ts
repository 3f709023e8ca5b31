import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMessageIdCounter, maxMessageId } from '../src/message-id.ts';

describe('createMessageIdCounter', () => {
  it('starts at 0 and counts up by one', () => {
    const ids = createMessageIdCounter();
    expect([ids.next(), ids.next(), ids.next()]).toEqual([0n, 1n, 2n]);
    expect(ids.peek()).toBe(3n);
  });

  it('wraps from 2^64 - 1 to 0', () => {
    const ids = createMessageIdCounter(maxMessageId - 1n);
    expect([ids.next(), ids.next(), ids.next()]).toEqual([maxMessageId - 1n, maxMessageId, 0n]);
  });

  it('refuses a start outside uint64', () => {
    expect(() => createMessageIdCounter(-1n)).toThrow(RangeError);
    expect(() => createMessageIdCounter(maxMessageId + 1n)).toThrow(RangeError);
  });

  it('hands out dense, increasing ids (modulo 2^64)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: maxMessageId }), fc.nat(50), (start, count) => {
        const ids = createMessageIdCounter(start);
        let expected = start;
        for (let i = 0; i < count; i++) {
          expect(ids.next()).toBe(expected);
          expected = (expected + 1n) % (maxMessageId + 1n);
        }
      }),
    );
  });
});
