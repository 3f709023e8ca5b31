// Owns the bounded outbox: exported messages in order until the broker acknowledges them, resent from the oldest after a reconnect.

/** One exported message waiting for the broker. */
export interface OutboxEntry {
  /** The broker topic (prefix + local topic). */
  readonly topic: string;
  readonly payload: Buffer;
  readonly contentType: string;
  /** Its id in this system, sent as the `ocre-mid` user property. */
  readonly mid: bigint;
  /** Handed to the client on the current connection and not yet acknowledged. */
  sent: boolean;
  /** Acknowledged by the broker (PUBACK at QoS 1, written to the socket at QoS 0). */
  acked: boolean;
}

/**
 * A FIFO of at most `capacity` entries. An entry leaves only once acknowledged; entries sent on a
 * connection that was lost go back to unsent and are resent, in order, on the next one.
 */
export class Outbox {
  private entries: OutboxEntry[] = [];
  private head = 0;
  /** Index of the oldest entry not yet sent on this connection. */
  private sendAt = 0;
  private sentCount = 0;

  /** @param capacity - the most entries held at once */
  constructor(readonly capacity: number) {}

  /** Entries held (unacknowledged). */
  get size(): number {
    return this.entries.length - this.head;
  }

  /** Entries sent and not yet acknowledged. */
  get inFlight(): number {
    return this.sentCount;
  }

  /** True when no entry can be added. */
  get isFull(): boolean {
    return this.size >= this.capacity;
  }

  /** Append an entry; false (and nothing added) when full. */
  push(entry: Omit<OutboxEntry, 'sent' | 'acked'>): boolean {
    if (this.isFull) return false;
    this.entries.push({ ...entry, sent: false, acked: false });
    return true;
  }

  /** The oldest entry not yet sent, marked sent; undefined when every entry is sent. */
  takeUnsent(): OutboxEntry | undefined {
    while (this.sendAt < this.entries.length) {
      const entry = this.entries[this.sendAt++] as OutboxEntry;
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
    while (this.head < this.entries.length && (this.entries[this.head] as OutboxEntry).acked)
      this.head++;
    if (this.head > 1024 && this.head * 2 > this.entries.length) this.compact();
  }

  /** The connection was lost: every sent, unacknowledged entry will be sent again, oldest first. */
  resend(): void {
    for (let i = this.head; i < this.entries.length; i++)
      (this.entries[i] as OutboxEntry).sent = false;
    this.sentCount = 0;
    this.sendAt = this.head;
  }

  private compact(): void {
    this.entries = this.entries.slice(this.head);
    this.sendAt = Math.max(0, this.sendAt - this.head);
    this.head = 0;
  }
}
