// Owns a container's bounded mailbox: (message, handler) pairs in FIFO order, grown on demand up to its capacity.
import type { OcreMessage } from '@ocre-ts/core';

const initialSlots = 4;

/**
 * A bounded FIFO of deliveries for one container. Storage starts small and doubles up to
 * `capacity`, so an idle container costs a few slots, not `capacity` of them.
 */
export class Mailbox {
  /** Most deliveries held at once. */
  readonly capacity: number;
  private messages: (OcreMessage | undefined)[] = [];
  private handlers: (string | undefined)[] = [];
  private head = 0;
  private count = 0;

  /** @param capacity - most deliveries held (a positive integer, checked by the system) */
  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Deliveries waiting. */
  get size(): number {
    return this.count;
  }

  /** Append a delivery; false when the mailbox is full. */
  push(message: OcreMessage, handler: string): boolean {
    if (this.count === this.capacity) return false;
    if (this.count === this.messages.length) this.grow();
    const slots = this.messages.length;
    let tail = this.head + this.count;
    if (tail >= slots) tail -= slots;
    this.messages[tail] = message;
    this.handlers[tail] = handler;
    this.count++;
    return true;
  }

  /** The head message, or undefined when empty. */
  peekMessage(): OcreMessage | undefined {
    return this.count === 0 ? undefined : this.messages[this.head];
  }

  /** The head delivery's handler, or undefined when empty. */
  peekHandler(): string | undefined {
    return this.count === 0 ? undefined : this.handlers[this.head];
  }

  /** The message `offset` places behind the head (0 is the head), or undefined past the tail. */
  messageAt(offset: number): OcreMessage | undefined {
    return offset < this.count ? this.messages[this.slotAt(offset)] : undefined;
  }

  /** The handler of the delivery `offset` places behind the head, or undefined past the tail. */
  handlerAt(offset: number): string | undefined {
    return offset < this.count ? this.handlers[this.slotAt(offset)] : undefined;
  }

  /** Drop the head delivery (after it was handled or dead-lettered). */
  dropHead(): void {
    if (this.count === 0) return;
    this.messages[this.head] = undefined;
    this.handlers[this.head] = undefined;
    this.head = this.head + 1 === this.messages.length ? 0 : this.head + 1;
    this.count--;
  }

  /** Remove every delivery, handing each to `onDelivery` in FIFO order. */
  clear(onDelivery: (message: OcreMessage, handler: string) => void): void {
    while (this.count > 0) {
      const message = this.messages[this.head] as OcreMessage;
      const handler = this.handlers[this.head] as string;
      this.dropHead();
      onDelivery(message, handler);
    }
  }

  private slotAt(offset: number): number {
    const slot = this.head + offset;
    return slot >= this.messages.length ? slot - this.messages.length : slot;
  }

  private grow(): void {
    const slots = Math.min(this.capacity, Math.max(initialSlots, this.messages.length * 2));
    const messages = new Array<OcreMessage | undefined>(slots);
    const handlers = new Array<string | undefined>(slots);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) % this.messages.length;
      messages[i] = this.messages[from];
      handlers[i] = this.handlers[from];
    }
    this.messages = messages;
    this.handlers = handlers;
    this.head = 0;
  }
}
