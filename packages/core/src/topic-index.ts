// Owns the subscription index of @ocre-ts/core: which subscribers a published topic reaches, found without scanning every subscription.
import { defaultMatchCacheSize } from './defaults.ts';
import { OcreError } from './errors.ts';
import type { PatternStore, SubscriberEntry } from './topic-index-bucket.ts';
import { createStore, matchingTag, tagMatching } from './topic-index-stores.ts';
import { TopicMatchCache } from './topic-match-cache.ts';
import { isTopicMatchingMode, topicMatchingModes, validatePattern } from './topic-matching.ts';
import type { TopicMatchingMode } from './topic-matching.ts';

/** Tuning for {@link createTopicIndex}. */
export interface TopicIndexOptions {
  /**
   * How many topics' match results to remember in `prefix` and `wildcard` modes (default
   * {@link defaultMatchCacheSize}; 0 turns the cache off). `exact` mode needs no cache.
   */
  readonly matchCacheSize?: number;
}

/**
 * The set of (pattern, subscriber) subscriptions of one system, answering "who receives this
 * topic?" on the hot path.
 *
 * Each subscription is matched one way: the index's `mode` unless `add` names another. So one
 * system can hold exact subscriptions (the 2025 API) and prefix ones (Ocre's current API) side
 * by side: a subscriber is matched when any of its subscriptions matches. A pair is (matching,
 * pattern, subscriber): `"a"` exact and `"a"` prefix are two pairs.
 *
 * `match` returns each subscriber once, however many of its patterns match, in subscription
 * order: the order in which subscribers first entered the index. A subscriber that drops all its
 * patterns leaves the index; if it subscribes again it goes to the back. Results are frozen
 * arrays the index may hand out again; one already returned never changes, later changes to
 * the index show up only in later calls.
 *
 * Cost: `exact` is one Map lookup returning a cached array. `prefix` walks a radix tree along the
 * topic; `wildcard` looks the whole topic up among its wildcard-free patterns and walks a trie
 * over the topic's levels for the others. Both remember the results for the last
 * `matchCacheSize` distinct topics (oldest evicted first), and any successful `add` or `remove`
 * clears that cache, so a repeated topic costs one Map lookup and never sees a stale result.
 * While fewer than one lookup in 8 hits the cache (topics that rarely repeat), only one miss
 * in 16 is admitted, so a stream of fresh topics does not pay for caching each of them.
 * While subscriptions of more than one matching are present, each store is asked and the
 * results merged, and the cache is used in every mode; an index holding only exact
 * subscriptions keeps the exact fast path.
 *
 * @typeParam TSubscriber - what a subscription points at (a mailbox, a handler…), compared by identity
 */
export interface TopicIndex<TSubscriber> {
  /** The matching mode chosen at creation: how a subscription is matched unless `add` says otherwise. */
  readonly mode: TopicMatchingMode;
  /** Number of (pattern, subscriber) pairs. */
  readonly size: number;
  /**
   * Subscribes `subscriber` to `pattern`, matched by `matching` (default: the index's `mode`).
   *
   * @returns false when that exact pair was already there (re-subscribing is idempotent)
   * @throws OcreError `INVALID_TOPIC` or `INVALID_PATTERN` when the pattern is invalid for the
   *   matching, `INVALID_OPTION` for an unknown matching
   * @example
   * const index = createTopicIndex<string>('exact');
   * index.add('test/topic', 'seed-subscriber');
   * index.add('test/', 'current-subscriber', 'prefix');
   * index.match('test/topic'); // ['seed-subscriber', 'current-subscriber']
   */
  add(pattern: string, subscriber: TSubscriber, matching?: TopicMatchingMode): boolean;
  /** Removes one pair; returns false when it was not there. */
  remove(pattern: string, subscriber: TSubscriber, matching?: TopicMatchingMode): boolean;
  /** Removes every pattern of `subscriber`, whatever its matching; returns how many pairs went away. */
  removeSubscriber(subscriber: TSubscriber): number;
  /** True when the pair (matching, pattern, subscriber) is present. */
  has(pattern: string, subscriber: TSubscriber, matching?: TopicMatchingMode): boolean;
  /**
   * Every subscriber with at least one pattern matching `topic`, once each, in subscription
   * order, as a frozen array. `topic` should be valid (see `validatePublishTopic`).
   */
  match(topic: string): readonly TSubscriber[];
}

/**
 * Creates an empty subscription index for one matching mode.
 *
 * @param mode - the system's matching mode
 * @param options - cache tuning, see {@link TopicIndexOptions}
 * @throws OcreError `INVALID_OPTION` for an unknown mode or a bad cache size
 * @example
 * const index = createTopicIndex<string>('wildcard');
 * index.add('sensors/+/temperature', 'logger');
 * index.match('sensors/kitchen/temperature'); // ['logger']
 */
export function createTopicIndex<TSubscriber>(
  mode: TopicMatchingMode = 'exact',
  options: TopicIndexOptions = {},
): TopicIndex<TSubscriber> {
  if (!isTopicMatchingMode(mode)) throw unknownMode(mode);
  const cacheSize = options.matchCacheSize ?? defaultMatchCacheSize;
  if (!Number.isSafeInteger(cacheSize) || cacheSize < 0) {
    throw new OcreError(
      'INVALID_OPTION',
      `Invalid matchCacheSize ${String(cacheSize)}: expected a whole number >= 0, e.g. ${defaultMatchCacheSize}.`,
    );
  }
  return new SubscriptionIndex<TSubscriber>(mode, cacheSize);
}

class SubscriptionIndex<TSubscriber> implements TopicIndex<TSubscriber> {
  readonly mode: TopicMatchingMode;
  private readonly store: PatternStore<TSubscriber>;
  /** Stores of the other matchings that hold pairs now, with their pair counts. */
  private readonly others = new Map<
    TopicMatchingMode,
    { store: PatternStore<TSubscriber>; pairs: number }
  >();
  private readonly entries = new Map<TSubscriber, SubscriberEntry<TSubscriber>>();
  private cache: TopicMatchCache<TSubscriber> | undefined;
  private readonly cacheSize: number;
  private nextOrder = 0;
  private pairs = 0;
  /**
   * What `match` asks: the mode's own store while it is the only one in use (so an exact-only
   * index keeps the exact path, one monomorphic call), else a view merging every store.
   */
  private lookup: Pick<PatternStore<TSubscriber>, 'match'>;
  private readonly merged: Pick<PatternStore<TSubscriber>, 'match'> = {
    match: (topic) => this.matchAll(topic),
  };

  constructor(mode: TopicMatchingMode, cacheSize: number) {
    this.mode = mode;
    this.store = createStore(mode);
    this.lookup = this.store;
    this.cacheSize = cacheSize;
    this.updateCache();
  }

  get size(): number {
    return this.pairs;
  }

  add(pattern: string, subscriber: TSubscriber, matching: TopicMatchingMode = this.mode): boolean {
    if (!isTopicMatchingMode(matching)) throw unknownMode(matching);
    const error = validatePattern(matching, pattern);
    if (error !== undefined) throw error;
    const key = matchingTag[matching] + pattern;
    let entry = this.entries.get(subscriber);
    if (entry === undefined) {
      entry = { subscriber, order: this.nextOrder++, patterns: new Set() };
      this.entries.set(subscriber, entry);
    } else if (entry.patterns.has(key)) {
      return false;
    }
    entry.patterns.add(key);
    this.storeFor(matching, +1).add(pattern, entry);
    this.pairs++;
    this.clearCache();
    return true;
  }

  remove(
    pattern: string,
    subscriber: TSubscriber,
    matching: TopicMatchingMode = this.mode,
  ): boolean {
    const entry = this.entries.get(subscriber);
    if (entry === undefined || !isTopicMatchingMode(matching)) return false;
    if (!entry.patterns.delete(matchingTag[matching] + pattern)) return false;
    this.forget(pattern, entry, matching);
    if (entry.patterns.size === 0) this.entries.delete(subscriber);
    this.clearCache();
    return true;
  }

  removeSubscriber(subscriber: TSubscriber): number {
    const entry = this.entries.get(subscriber);
    if (entry === undefined) return 0;
    const removed = entry.patterns.size;
    for (const key of entry.patterns) {
      this.forget(key.slice(1), entry, tagMatching[key.charAt(0)] ?? this.mode);
    }
    entry.patterns.clear();
    this.entries.delete(subscriber);
    this.clearCache();
    return removed;
  }

  has(pattern: string, subscriber: TSubscriber, matching: TopicMatchingMode = this.mode): boolean {
    const key = (matchingTag[matching] as string | undefined) ?? '?';
    return this.entries.get(subscriber)?.patterns.has(key + pattern) ?? false;
  }

  match(topic: string): readonly TSubscriber[] {
    const cache = this.cache;
    if (cache === undefined) return this.lookup.match(topic);
    const cached = cache.get(topic);
    if (cached !== undefined) return cached;
    const result = this.lookup.match(topic);
    cache.admit(topic, result);
    return result;
  }

  /** Asks every store in use and merges: each subscriber once, in subscription order. */
  private matchAll(topic: string): readonly TSubscriber[] {
    let merged = this.store.match(topic);
    for (const { store } of this.others.values()) {
      const found = store.match(topic);
      if (found.length === 0) continue;
      if (merged.length === 0) {
        merged = found;
        continue;
      }
      const entries = new Set<SubscriberEntry<TSubscriber>>();
      for (const subscriber of [...merged, ...found]) {
        const entry = this.entries.get(subscriber);
        if (entry !== undefined) entries.add(entry);
      }
      merged = Object.freeze(
        [...entries].sort((a, b) => a.order - b.order).map((entry) => entry.subscriber),
      );
    }
    return merged;
  }

  /** The store of `matching`, counting `delta` pairs into it (a store of another matching is made on first use). */
  private storeFor(matching: TopicMatchingMode, delta: 1 | -1): PatternStore<TSubscriber> {
    if (matching === this.mode) return this.store;
    let other = this.others.get(matching);
    if (other === undefined) {
      other = { store: createStore(matching), pairs: 0 };
      this.others.set(matching, other);
      this.updateCache();
    }
    other.pairs += delta;
    if (other.pairs === 0) {
      // The last pair of that matching left: back to the single-store path.
      this.others.delete(matching);
      this.updateCache();
    }
    return other.store;
  }

  private forget(
    pattern: string,
    entry: SubscriberEntry<TSubscriber>,
    matching: TopicMatchingMode,
  ): void {
    this.storeFor(matching, -1).remove(pattern, entry);
    this.pairs--;
  }

  /** Exact matching alone needs no cache; any other matching in use turns it on. */
  private updateCache(): void {
    this.lookup = this.others.size > 0 ? this.merged : this.store;
    const wanted = this.cacheSize > 0 && (this.mode !== 'exact' || this.others.size > 0);
    if (wanted && this.cache === undefined) this.cache = new TopicMatchCache(this.cacheSize);
    else if (!wanted) this.cache = undefined;
  }

  private clearCache(): void {
    this.cache?.clear();
  }
}

function unknownMode(mode: unknown): OcreError {
  return new OcreError(
    'INVALID_OPTION',
    `Unknown topic matching mode ${JSON.stringify(mode)}: expected one of ${topicMatchingModes.join(', ')}, e.g. "exact".`,
  );
}
