// Owns recognising redelivered messages: a bounded window of recently seen (origin, run, mid) keys.

/**
 * Remembers the last `capacity` keys seen, forgetting the oldest first. A redelivery after a
 * reconnect arrives within a few hundred messages of the original, far inside the default window.
 */
export class DedupeWindow {
  private readonly seen = new Set<string>();

  /** @param capacity - how many keys to remember (at least 1) */
  constructor(readonly capacity: number) {}

  /** Record `key`; false when it was already in the window (a duplicate). */
  admit(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.seen.size > this.capacity) {
      // A Set iterates in insertion order: its first key is the oldest.
      const oldest = this.seen.values().next().value as string;
      this.seen.delete(oldest);
    }
    return true;
  }

  /** Forget `key` again (its message could not be taken after all and will come back). */
  forget(key: string): void {
    this.seen.delete(key);
  }

  /** Keys remembered now. */
  get size(): number {
    return this.seen.size;
  }
}
