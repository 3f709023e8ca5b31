// Owns the building blocks shared by every topic-index store: subscriber entries, per-pattern buckets kept in subscription order, and merging matches.

/** One subscriber known to a topic index: its identity, its place in the subscription order and its patterns. */
export interface SubscriberEntry<TSubscriber> {
  readonly subscriber: TSubscriber;
  /** Position in the subscription order: smaller means subscribed earlier. Unique per index. */
  readonly order: number;
  /** Its pairs, each keyed by its matching's tag and the pattern (see `topic-index-stores.ts`). */
  readonly patterns: Set<string>;
}

/** How one matching mode stores (pattern, subscriber) pairs; the index guarantees pairs are unique and patterns valid. */
export interface PatternStore<TSubscriber> {
  /** Records a pair that is not yet present. */
  add(pattern: string, entry: SubscriberEntry<TSubscriber>): void;
  /** Forgets a pair that is present. */
  remove(pattern: string, entry: SubscriberEntry<TSubscriber>): void;
  /** Every subscriber with a pattern matching `topic`, once each, in subscription order, frozen. */
  match(topic: string): readonly TSubscriber[];
}

/** The frozen empty match, shared so a miss allocates nothing. */
export const emptyMatch: readonly never[] = Object.freeze([]);

/**
 * The subscribers of one pattern (or one trie node), sorted by subscription order, with a frozen
 * snapshot rebuilt lazily after a change so lookups return it without allocating.
 */
export class SubscriberBucket<TSubscriber> {
  private readonly sorted: SubscriberEntry<TSubscriber>[] = [];
  private snapshot: readonly TSubscriber[] | undefined = undefined;

  /** Number of subscribers in the bucket. */
  get size(): number {
    return this.sorted.length;
  }

  /** The entries in subscription order; read-only view for merging. */
  get entries(): readonly SubscriberEntry<TSubscriber>[] {
    return this.sorted;
  }

  /** Adds an entry that is not yet in the bucket. */
  insert(entry: SubscriberEntry<TSubscriber>): void {
    const sorted = this.sorted;
    const last = sorted[sorted.length - 1];
    // New subscribers have the highest order, so appending is the common case.
    if (last === undefined || last.order < entry.order) sorted.push(entry);
    else sorted.splice(this.lowerBound(entry.order), 0, entry);
    this.snapshot = undefined;
  }

  /** Removes an entry; returns false when it was not in the bucket. */
  delete(entry: SubscriberEntry<TSubscriber>): boolean {
    const at = this.lowerBound(entry.order);
    if (this.sorted[at] !== entry) return false;
    this.sorted.splice(at, 1);
    this.snapshot = undefined;
    return true;
  }

  /** The subscribers in subscription order, as a frozen array reused until the bucket changes. */
  subscribers(): readonly TSubscriber[] {
    return (this.snapshot ??= Object.freeze(this.sorted.map((entry) => entry.subscriber)));
  }

  private lowerBound(order: number): number {
    const sorted = this.sorted;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((sorted[mid]?.order ?? Infinity) < order) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/**
 * Unites the subscribers of two or more matching buckets: each once, in subscription order, frozen.
 */
function mergeBuckets<TSubscriber>(
  buckets: readonly SubscriberBucket<TSubscriber>[],
): readonly TSubscriber[] {
  const all: SubscriberEntry<TSubscriber>[] = [];
  for (const bucket of buckets) for (const entry of bucket.entries) all.push(entry);
  all.sort((a, b) => a.order - b.order);
  const result: TSubscriber[] = [];
  let previous = -1;
  for (const entry of all) {
    if (entry.order === previous) continue;
    result.push(entry.subscriber);
    previous = entry.order;
  }
  return Object.freeze(result);
}

/**
 * The buckets one match finds, reused by a store from match to match (a match never re-enters
 * its store). The first is kept apart so the usual match (one bucket, whose cached snapshot is
 * the answer) allocates nothing; the list is emptied after every match so it keeps no bucket
 * alive.
 */
export class FoundBuckets<TSubscriber> {
  private first: SubscriberBucket<TSubscriber> | undefined = undefined;
  private firstSubscribers: readonly TSubscriber[] = emptyMatch;
  private readonly others: SubscriberBucket<TSubscriber>[] = [];

  /** Adds a matching bucket with its current snapshot. */
  add(bucket: SubscriberBucket<TSubscriber>, subscribers: readonly TSubscriber[]): void {
    if (this.first === undefined) {
      this.first = bucket;
      this.firstSubscribers = subscribers;
    } else this.others.push(bucket);
  }

  /** The merged subscribers of every bucket added since the last call; resets the list. */
  take(): readonly TSubscriber[] {
    const first = this.first;
    if (first === undefined) return emptyMatch;
    const subscribers = this.firstSubscribers;
    this.first = undefined;
    this.firstSubscribers = emptyMatch;
    if (this.others.length === 0) return subscribers;
    const result = mergeBuckets([first, ...this.others]);
    this.others.length = 0;
    return result;
  }
}
