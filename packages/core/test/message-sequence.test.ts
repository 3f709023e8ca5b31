import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxMessageId } from '../src/message-id.ts';
import { createMessageSequence } from '../src/message-sequence.ts';

const bytes = new Uint8Array([1, 2, 3]);

describe('createMessageSequence', () => {
  it('numbers messages 0, 1, 2, … and keeps what was published', () => {
    const sequence = createMessageSequence();
    const [a, b] = [sequence.next('t', 'x/y', bytes), sequence.next('u', 'x/z', bytes)];
    expect([a.mid, b.mid]).toEqual([0n, 1n]);
    expect(a).toMatchObject({ topic: 't', contentType: 'x/y', payload: bytes, payloadLen: 3 });
  });

  it('stays exact past 2^53, where a number would round', () => {
    const start = 2n ** 53n - 2n;
    const sequence = createMessageSequence(start);
    const ids = Array.from({ length: 5 }, () => sequence.next('t', 'x/y', bytes).mid);
    expect(ids).toEqual([start, start + 1n, start + 2n, start + 3n, start + 4n]);
    expect(new Set(ids.map(String)).size).toBe(5);
  });

  it('wraps after 2^64 - 1 to 0 without a gap', () => {
    const nearEnd = createMessageSequence(maxMessageId - 1n);
    expect(Array.from({ length: 3 }, () => nearEnd.next('t', 'x', bytes).mid)).toEqual([
      maxMessageId - 1n,
      maxMessageId,
      0n,
    ]);
  });

  it('rejects a start outside uint64', () => {
    expect(() => createMessageSequence(-1n)).toThrow(RangeError);
    expect(() => createMessageSequence(maxMessageId + 1n)).toThrow(RangeError);
  });

  it('hands out the ids a bigint counter would, from any start', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: maxMessageId }), fc.nat(40), (start, count) => {
        const sequence = createMessageSequence(start);
        for (let i = 0n; i < BigInt(count); i++) {
          expect(sequence.next('t', 'x', bytes).mid).toBe((start + i) % (maxMessageId + 1n));
        }
      }),
    );
  });
});
