// Tests one container's current-API event queue: FIFO, the named bound, coalesced timer firings, arrival notices, no head-of-line blocking between containers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CurrentEventQueue, resourceType } from '../../src/current-api/index.ts';
import type { CurrentEvent } from '../../src/current-api/index.ts';

const bytes = new Uint8Array([1]);
const message = (mid: number): CurrentEvent => ({
  type: resourceType.MESSAGE,
  mid,
  topic: bytes,
  contentType: bytes,
  payload: bytes,
});
const timer = (timerId: number): CurrentEvent => ({ type: resourceType.TIMER, timerId });
const gpio = (pin: number): CurrentEvent => ({ type: resourceType.GPIO, pin, port: 0, state: 1 });

describe('CurrentEventQueue', () => {
  it('hands events back in arrival order, whatever their kind', () => {
    const queue = new CurrentEventQueue();
    const pushed = [message(0), timer(1), gpio(3), message(1), timer(2)];
    for (const event of pushed) expect(queue.push(event)).toBe('queued');
    expect(Array.from({ length: 6 }, () => queue.take())).toEqual([...pushed, undefined]);
  });

  it('refuses messages and GPIO events past its capacity, and accepts again once one is taken', () => {
    const queue = new CurrentEventQueue(2);
    expect(queue.push(message(0))).toBe('queued');
    expect(queue.push(gpio(1))).toBe('queued');
    expect(queue.push(message(1))).toBe('full');
    // Timer firings do not count against the bound: at most one per timer is pending.
    expect(queue.push(timer(1))).toBe('queued');
    queue.take();
    expect(queue.push(message(2))).toBe('queued');
    expect(queue.size).toBe(3);
  });

  it('coalesces a timer that fires again before its firing was taken', () => {
    const queue = new CurrentEventQueue(1);
    expect(queue.push(timer(4))).toBe('queued');
    expect(queue.push(timer(4))).toBe('coalesced');
    expect(queue.push(timer(5))).toBe('queued');
    expect(queue.coalesced).toBe(1);
    expect(queue.take()).toEqual(timer(4));
    expect(queue.push(timer(4))).toBe('queued');
  });

  it('reports an arrival once, so a sleep is ended only by a newer event', () => {
    const queue = new CurrentEventQueue();
    expect(queue.takeArrival()).toBe(false);
    queue.push(message(0));
    expect(queue.takeArrival()).toBe(true);
    expect(queue.takeArrival()).toBe(false);
    expect(queue.push(message(1))).toBe('queued');
    expect(queue.takeArrival()).toBe(true);
  });

  it('gives every pending event back when drained, leaving it empty', () => {
    const queue = new CurrentEventQueue();
    queue.push(message(0));
    queue.push(timer(1));
    expect(queue.drain()).toEqual([message(0), timer(1)]);
    expect(queue.size).toBe(0);
    expect(queue.push(timer(1))).toBe('queued');
  });

  it('keeps containers apart: a full queue that is never polled does not stop another', () => {
    const idle = new CurrentEventQueue(1);
    const busy = new CurrentEventQueue(1);
    idle.push(message(0));
    expect(idle.push(message(1))).toBe('full');
    for (let mid = 2; mid < 100; mid++) {
      expect(busy.push(message(mid))).toBe('queued');
      expect(busy.take()).toEqual(message(mid));
    }
  });

  it('refuses a capacity that is not a whole number from 1', () => {
    expect(() => new CurrentEventQueue(0)).toThrow(/eventQueueCapacity must be an integer/);
    expect(() => new CurrentEventQueue(1.5)).toThrow(/eventQueueCapacity/);
  });

  it('loses nothing it accepted and keeps order (property)', () => {
    const op = fc.oneof(
      fc.record({
        push: fc.constant(true as const),
        timer: fc.option(fc.integer({ min: 1, max: 4 })),
      }),
      fc.record({ push: fc.constant(false as const) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(op, { maxLength: 60 }),
        (capacity, ops) => {
          const queue = new CurrentEventQueue(capacity, 4);
          const model: CurrentEvent[] = [];
          let mid = 0;
          for (const step of ops) {
            if (step.push) {
              const event = step.timer === null ? message(mid++) : timer(step.timer);
              const verdict = queue.push(event);
              const pendingTimer =
                event.type === resourceType.TIMER &&
                model.some(
                  (queued) =>
                    queued.type === resourceType.TIMER && queued.timerId === event.timerId,
                );
              const bounded = model.filter((queued) => queued.type !== resourceType.TIMER).length;
              const expected = pendingTimer
                ? 'coalesced'
                : event.type !== resourceType.TIMER && bounded >= capacity
                  ? 'full'
                  : 'queued';
              expect(verdict).toBe(expected);
              if (verdict === 'queued') model.push(event);
            } else {
              expect(queue.take()).toEqual(model.shift());
            }
          }
          expect(queue.drain()).toEqual(model);
        },
      ),
    );
  });
});
