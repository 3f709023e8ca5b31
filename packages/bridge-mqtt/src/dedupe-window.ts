// Owns recognising redelivered messages: a bounded window of recently seen (origin, run, mid) keys.

/**
 * Remembers the last `capacity` keys seen, forgetting the oldest first. A redelivery after a
 * reconnect arrives within a few hundred messages of the original, far inside the default window.
 * The keys sit in a ring beside the set: evicting the oldest is O(1) (taking the first key of a
 * Set that has seen many deletions is not: V8 walks the deleted slots).
 */
export class DedupeWindow {
  private readonly seen = new Set<string>();
  private readonly ring: (string | undefined)[];
  private next = 0;

  /** @param capacity - how many keys to remember (at least 1) */
  constructor(readonly capacity: number) {
    this.ring = new Array<string | undefined>(capacity).fill(undefined);
  }

  /** Record `key`; false when it was already in the window (a duplicate). */
  admit(key: string): boolean {
    if (this.seen.has(key)) return false;
    const oldest = this.ring[this.next];
    if (oldest !== undefined) this.seen.delete(oldest);
    this.ring[this.next] = key;
    this.next = (this.next + 1) % this.capacity;
    this.seen.add(key);
    return true;
  }

  /** Forget `key` again (its message could not be taken after all and will come back). */
  forget(key: string): void {
    // Its ring slot stays; evicting it later deletes nothing, or a later admit of the same key
    // (harmless: that copy is then forgotten a little early).
    this.seen.delete(key);
  }

  /** Keys remembered now. */
  get size(): number {
    return this.seen.size;
  }
}
