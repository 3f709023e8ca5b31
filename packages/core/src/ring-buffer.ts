// Owns the bounded FIFO ring buffer used for the router queue and container mailboxes.
import { defaultQueueCapacity } from './defaults.ts';
import { checkPositiveInteger } from './limits.ts';

/** The largest capacity a ring buffer accepts (2^24 slots). */
export const maxQueueCapacity = 1 << 24;

/**
 * A bounded FIFO queue over a fixed array: O(1) push and shift, no allocation per item.
 *
 * @example
 * const queue = new RingBuffer<string>(2);
 * queue.push('a'); queue.push('b');
 * queue.push('c'); // false: full
 * queue.shift(); // 'a'
 */
export class RingBuffer<T> {
  /** How many items the buffer holds at most. */
  readonly capacity: number;
  private readonly slots: (T | undefined)[];
  private head = 0;
  private count = 0;

  /**
   * @param capacity - most items held at once (default 100, the Ocre value)
   * @throws OcreError `INVALID_OPTION` when capacity is not an integer in 1..2^24
   */
  constructor(capacity: number = defaultQueueCapacity) {
    this.capacity = checkPositiveInteger('capacity', capacity, maxQueueCapacity);
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
  }

  /** Number of items waiting. */
  get size(): number {
    return this.count;
  }

  /** True when a push would be refused. */
  get isFull(): boolean {
    return this.count === this.capacity;
  }

  /** True when there is nothing to shift. */
  get isEmpty(): boolean {
    return this.count === 0;
  }

  /** Append `item` at the tail; false (and nothing stored) when full. */
  push(item: T): boolean {
    if (this.count === this.capacity) return false;
    let tail = this.head + this.count;
    if (tail >= this.capacity) tail -= this.capacity;
    this.slots[tail] = item;
    this.count++;
    return true;
  }

  /** Remove and return the head item, or undefined when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    this.count--;
    return item;
  }

  /** The head item without removing it, or undefined when empty. */
  peek(): T | undefined {
    return this.count === 0 ? undefined : this.slots[this.head];
  }

  /**
   * Remove up to `max` items in FIFO order, handing each to `onItem`.
   * Each item leaves the buffer before `onItem` sees it; if `onItem` throws, draining stops
   * and that item belongs to the caller.
   *
   * @returns how many items were removed
   */
  drain(max: number, onItem: (item: T) => void): number {
    let drained = 0;
    while (drained < max && this.count > 0) {
      const item = this.slots[this.head] as T;
      this.slots[this.head] = undefined;
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
      this.count--;
      drained++;
      onItem(item);
    }
    return drained;
  }

  /** Remove every item and return them in FIFO order. */
  takeAll(): T[] {
    const items: T[] = [];
    this.drain(this.count, (item) => items.push(item));
    return items;
  }

  /** The waiting items in FIFO order, without removing them. */
  toArray(): T[] {
    const items: T[] = [];
    for (let i = 0; i < this.count; i++) {
      const index = (this.head + i) % this.capacity;
      items.push(this.slots[index] as T);
    }
    return items;
  }
}
