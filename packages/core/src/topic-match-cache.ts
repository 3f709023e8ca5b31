// Owns the topic index's match cache: recent topics' results in a bounded map, evicted in insertion order, admitting only a sample of misses while it rarely hits.

/** Lookups between two decisions on how many misses the cache admits. */
const admissionWindow = 4096;
/** Below one hit in this many lookups, the cache admits only a sample of misses. */
const lowHitRatio = 8;
/** While the cache rarely hits, one miss in this many is cached. */
const sampledAdmission = 16;

/**
 * At most `size` topics with their match results. Topics that rarely repeat would cost more to
 * cache (a Map delete and set per miss) than they save, so while fewer than one lookup in
 * {@link lowHitRatio} hits, only every {@link sampledAdmission}th miss is admitted; a hot topic
 * still gets in after a few sightings.
 */
export class TopicMatchCache<TSubscriber> {
  private readonly results = new Map<string, readonly TSubscriber[]>();
  /**
   * The cached topics in insertion order, as a ring: `oldest` is the next to evict once the ring
   * is full. Evicting the first key of the Map instead costs a scan past every deleted entry V8
   * has not compacted yet (hundreds of ns per miss).
   */
  private readonly order: string[] = [];
  private oldest = 0;
  /** Lookups and hits in the current admission window. */
  private windowLookups = 0;
  private windowHits = 0;
  /** Every `admitEvery`th miss is cached: 1 while the cache pays, {@link sampledAdmission} while it does not. */
  private admitEvery = 1;
  private missesSinceAdmit = 0;

  /** @param size - the most topics held (at least 1) */
  constructor(private readonly size: number) {}

  /** The cached result for `topic`, counting the lookup; undefined on a miss. */
  get(topic: string): readonly TSubscriber[] | undefined {
    const cached = this.results.get(topic);
    if (++this.windowLookups === admissionWindow) this.adaptAdmission();
    if (cached !== undefined) this.windowHits++;
    return cached;
  }

  /** A miss was matched: keep its result if this miss is admitted. */
  admit(topic: string, result: readonly TSubscriber[]): void {
    if (++this.missesSinceAdmit < this.admitEvery) return;
    this.missesSinceAdmit = 0;
    const { order } = this;
    if (order.length < this.size) order.push(topic);
    else {
      const at = this.oldest;
      this.results.delete(order[at] as string);
      order[at] = topic;
      this.oldest = at + 1 === order.length ? 0 : at + 1;
    }
    this.results.set(topic, result);
  }

  /** Forget every result (the subscriptions changed). */
  clear(): void {
    if (this.results.size === 0) return;
    this.results.clear();
    this.order.length = 0;
    this.oldest = 0;
  }

  /** At the end of a window: admit every miss while the cache hits often enough, else a sample. */
  private adaptAdmission(): void {
    this.admitEvery = this.windowHits * lowHitRatio < this.windowLookups ? sampledAdmission : 1;
    this.windowLookups = 0;
    this.windowHits = 0;
  }
}
