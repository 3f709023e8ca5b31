// Owns the bounded outbox: exported messages in order until the broker acknowledges them, resent from the oldest after a reconnect.

/** One exported message waiting for the broker. */
export class OutboxEntry {
  /** Handed to the client on the current connection and not yet acknowledged. */
  sent = false;
  /** Acknowledged by the broker (PUBACK at QoS 1, written to the socket at QoS 0). */
  acked = false;
  /** Its record's number in the outbox file (0 without one). */
  seq = 0;
  /** Its record is in the outbox file. */
  written = false;

  /**
   * @param topic - the broker topic (prefix + local topic)
   * @param payload - the payload bytes
   * @param contentType - the MQTT 5 content type
   * @param mid - its id in the system that exported it, sent in the origin user property
   * @param origin - the origin after the mid, `' <run> <system>'`: this run's, or an earlier
   *   run's for an entry replayed from the outbox file (so a receiver recognises a resend)
   */
  constructor(
    readonly topic: string,
    readonly payload: Uint8Array,
    readonly contentType: string,
    readonly mid: bigint,
    readonly origin: string,
  ) {}
}

/** Told of every entry that enters and leaves an outbox (the outbox file). */
export interface OutboxListener {
  /** `entry` was added. */
  entered(entry: OutboxEntry): void;
  /** `entry` was acknowledged (or let go) and will never be sent again. */
  left(entry: OutboxEntry): void;
}

/** Slots a ring starts with; it doubles up to the capacity as the outbox fills. */
const initialSlots = 1024;

/**
 * A FIFO of at most `capacity` entries in a ring that grows by doubling. An entry leaves only
 * once acknowledged (and every older one with it); entries sent on a connection that was lost go
 * back to unsent and are resent, in order, on the next one. Positions are absolute counts, so
 * head ≤ sendAt ≤ tail always.
 */
export class Outbox {
  private slots: (OutboxEntry | undefined)[];
  private mask: number;
  /** Position of the oldest unacknowledged entry. */
  private head = 0;
  /** Position of the next entry to send on this connection. */
  private sendAt = 0;
  /** Position after the newest entry. */
  private tail = 0;
  private sentCount = 0;
  /** Told of entries entering and leaving; none without an outbox file. */
  listener: OutboxListener | undefined;

  /** @param capacity - the most entries held at once */
  constructor(readonly capacity: number) {
    const size = Math.min(initialSlots, 2 ** Math.ceil(Math.log2(Math.max(1, capacity))));
    this.slots = new Array<OutboxEntry | undefined>(size).fill(undefined);
    this.mask = size - 1;
  }

  /** Entries held (unacknowledged). */
  get size(): number {
    return this.tail - this.head;
  }

  /** Entries sent and not yet acknowledged. */
  get inFlight(): number {
    return this.sentCount;
  }

  /** True when no entry can be added. */
  get isFull(): boolean {
    return this.tail - this.head >= this.capacity;
  }

  /** Append an entry; false (and nothing added) when full. */
  push(entry: OutboxEntry): boolean {
    if (this.tail - this.head >= this.capacity) return false;
    if (this.tail - this.head === this.slots.length) this.grow();
    this.slots[this.tail & this.mask] = entry;
    this.tail++;
    this.listener?.entered(entry);
    return true;
  }

  /** The oldest entry not yet sent, marked sent; undefined when every entry is sent. */
  takeUnsent(): OutboxEntry | undefined {
    while (this.sendAt < this.tail) {
      const entry = this.slots[this.sendAt++ & this.mask] as OutboxEntry;
      if (!entry.sent && !entry.acked) {
        entry.sent = true;
        this.sentCount++;
        return entry;
      }
    }
    return undefined;
  }

  /** The broker acknowledged `entry`: it leaves once every older entry has left too. */
  ack(entry: OutboxEntry): void {
    if (entry.acked) return;
    entry.acked = true;
    if (entry.sent) this.sentCount--;
    entry.sent = false;
    this.listener?.left(entry);
    const { slots, mask } = this;
    while (this.head < this.tail && (slots[this.head & mask] as OutboxEntry).acked) {
      slots[this.head & mask] = undefined;
      this.head++;
    }
  }

  /** The connection was lost: every sent, unacknowledged entry will be sent again, oldest first. */
  resend(): void {
    for (let at = this.head; at < this.tail; at++)
      (this.slots[at & this.mask] as OutboxEntry).sent = false;
    this.sentCount = 0;
    this.sendAt = this.head;
  }

  /** The entries held and not yet acknowledged, oldest first. */
  held(): OutboxEntry[] {
    const held: OutboxEntry[] = [];
    for (let at = this.head; at < this.tail; at++) {
      const entry = this.slots[at & this.mask] as OutboxEntry;
      if (!entry.acked) held.push(entry);
    }
    return held;
  }

  /** Double the ring (it is full), keeping every entry at its absolute position. */
  private grow(): void {
    const size = this.slots.length * 2;
    const slots = new Array<OutboxEntry | undefined>(size).fill(undefined);
    for (let at = this.head; at < this.tail; at++)
      slots[at & (size - 1)] = this.slots[at & this.mask];
    this.slots = slots;
    this.mask = size - 1;
  }
}
