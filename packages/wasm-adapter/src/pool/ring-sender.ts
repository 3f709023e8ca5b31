// Owns the main thread's side of a pooled worker's delivery ring: writing records (or holding them, in order, while the ring is full) and waking the instances with deliveries in flight when the worker reports a batch done.
import { RingWriter, createDeliveryRing } from '../channel/delivery-ring.ts';
import type { RingRecord } from '../channel/delivery-ring.ts';

/** An instance with deliveries in flight: told to collect its completions after each batch. */
export interface RingWatcher {
  collect(): void;
}

/**
 * Writes deliveries into one worker's ring. A full ring never drops: records wait here, in
 * order, until the worker frees space. Watchers are woken through one `Atomics.waitAsync` on
 * the ring's DONE word, armed only while something waits.
 */
export class RingSender {
  /** The ring's shared memory, for the worker. */
  readonly ring: SharedArrayBuffer;
  private readonly writer: RingWriter;
  private overflow: RingRecord[] = [];
  private readonly watchers = new Set<RingWatcher>();
  private waiting = false;
  private closed = false;
  private seen = 0;

  /** @param capacity - bytes of the ring's data area (a power of two) */
  constructor(capacity: number) {
    this.ring = createDeliveryRing(capacity);
    this.writer = new RingWriter(this.ring);
  }

  /** Records waiting for room in the ring. */
  get backlog(): number {
    return this.overflow.length;
  }

  /** Write `record`, or keep it (behind any already kept) until the ring has room. */
  send(record: RingRecord): void {
    if (this.closed) return;
    if (this.overflow.length === 0 && this.writer.tryWrite(record)) return;
    this.overflow.push(record);
    this.arm();
  }

  /** Call `watcher.collect()` after every batch the worker finishes, until {@link unwatch}. */
  watch(watcher: RingWatcher): void {
    this.watchers.add(watcher);
    this.arm();
  }

  /** Stop waking `watcher`. */
  unwatch(watcher: RingWatcher): void {
    this.watchers.delete(watcher);
  }

  /** The worker is gone: drop what waits (its instances account for their own mail). */
  close(): void {
    this.closed = true;
    this.overflow = [];
    this.watchers.clear();
  }

  private arm(): void {
    if (this.waiting || this.closed) return;
    if (this.watchers.size === 0 && this.overflow.length === 0) return;
    this.waiting = true;
    // Waits on the value seen at the last batch: one finished since resolves at once.
    void this.writer.waitDone(this.seen).then(() => this.batchDone());
  }

  private batchDone(): void {
    this.waiting = false;
    if (this.closed) return;
    this.seen = this.writer.done();
    for (const watcher of [...this.watchers]) watcher.collect();
    let sent = 0;
    while (sent < this.overflow.length && this.writer.tryWrite(this.overflow[sent] as RingRecord))
      sent++;
    if (sent > 0) this.overflow.splice(0, sent);
    this.arm();
  }
}
