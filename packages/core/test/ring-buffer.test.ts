import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RingBuffer } from '../src/ring-buffer.ts';

describe('RingBuffer', () => {
  it('defaults to the Ocre queue size of 100', () => {
    expect(new RingBuffer().capacity).toBe(100);
  });

  it('is FIFO and refuses pushes when full', () => {
    const queue = new RingBuffer<string>(2);
    expect(queue.push('a')).toBe(true);
    expect(queue.push('b')).toBe(true);
    expect(queue.isFull).toBe(true);
    expect(queue.push('c')).toBe(false);
    expect(queue.shift()).toBe('a');
    expect(queue.push('c')).toBe(true);
    expect(queue.toArray()).toEqual(['b', 'c']);
    expect(queue.shift()).toBe('b');
    expect(queue.shift()).toBe('c');
    expect(queue.shift()).toBeUndefined();
    expect(queue.isEmpty).toBe(true);
  });

  it('drains at most max items in order and reports how many', () => {
    const queue = new RingBuffer<number>(5);
    for (let i = 0; i < 5; i++) queue.push(i);
    const seen: number[] = [];
    expect(queue.drain(3, (n) => seen.push(n))).toBe(3);
    expect(seen).toEqual([0, 1, 2]);
    expect(queue.size).toBe(2);
    expect(queue.takeAll()).toEqual([3, 4]);
    expect(queue.size).toBe(0);
  });

  it('hands the item that made the consumer throw to the consumer, keeping the rest', () => {
    const queue = new RingBuffer<number>(3);
    queue.push(1);
    queue.push(2);
    expect(() =>
      queue.drain(10, (n) => {
        if (n === 1) throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(queue.toArray()).toEqual([2]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: capacity must be an integer from 1 to 16777216, got 0]`,
    );
    expect(() => new RingBuffer(1.5)).toThrow(/capacity must be an integer/);
  });

  it('behaves like an array model: FIFO, nothing lost or duplicated, capacity never exceeded', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const) }),
      fc.record({ kind: fc.constant('drain' as const), max: fc.nat(6) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(op, { maxLength: 200 }),
        (capacity, ops) => {
          const queue = new RingBuffer<number>(capacity);
          const model: number[] = [];
          const out: number[] = [];
          const expectedOut: number[] = [];
          let next = 0;
          for (const step of ops) {
            if (step.kind === 'push') {
              const accepted = queue.push(next);
              expect(accepted).toBe(model.length < capacity);
              if (accepted) model.push(next);
              next++;
            } else {
              queue.drain(step.max, (n) => out.push(n));
              expectedOut.push(...model.splice(0, step.max));
            }
            expect(queue.size).toBe(model.length);
            expect(queue.size).toBeLessThanOrEqual(capacity);
          }
          expect(out).toEqual(expectedOut);
          expect(queue.toArray()).toEqual(model);
        },
      ),
    );
  });
});
