// The in-process router queue: bounded with an immediate verdict, FIFO, and exact uint64 ids past 2^53.
import { describe, expect, it } from 'vitest';
import type { OcreMessage } from '@ocre-ts/core';
import { createRingRouterQueue } from '../src/router/router-queue.ts';

const bytes = new Uint8Array([42]);

function drainAll(queue: ReturnType<typeof createRingRouterQueue>): OcreMessage[] {
  const out: OcreMessage[] = [];
  queue.drain(Infinity, (message) => out.push(message));
  return out;
}

describe('createRingRouterQueue', () => {
  it('refuses a push when full and hands messages back in FIFO order', () => {
    const queue = createRingRouterQueue(2);
    expect(queue.push('a', 'x/y', bytes)).toBeDefined();
    expect(queue.push('b', 'x/y', bytes)).toBeDefined();
    expect(queue.push('c', 'x/y', bytes)).toBeUndefined();
    expect(drainAll(queue).map((m) => `${m.mid} ${m.topic}`)).toEqual(['0 a', '1 b']);
    expect(queue.size).toBe(0);
  });

  it('keeps message ids exact past 2^53 (Number would round 2^53 + 1 to 2^53)', () => {
    const first = 2n ** 53n - 1n;
    const queue = createRingRouterQueue(8, first);
    const accepted = [0, 1, 2, 3].map(() => queue.push('t', 'x/y', bytes));
    const drained = drainAll(queue).map((m) => m.mid);
    expect(drained).toEqual([first, first + 1n, first + 2n, first + 3n]);
    // What the publisher got back names the same ids as what subscribers read.
    expect(accepted.map((a) => (typeof a === 'bigint' ? a : a?.mid))).toEqual(drained);
  });

  it('counts on from 2^64 - 1 to 0', () => {
    const queue = createRingRouterQueue(4, 2n ** 64n - 1n);
    queue.push('t', 'x/y', bytes);
    queue.push('t', 'x/y', bytes);
    expect(drainAll(queue).map((m) => m.mid)).toEqual([2n ** 64n - 1n, 0n]);
  });
});
