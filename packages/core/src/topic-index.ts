// Owns the subscription index of @ocre-ts/core: which subscribers a published topic reaches, found without scanning every subscription.
import { defaultMatchCacheSize } from './defaults.ts';
import { OcreError } from './errors.ts';
import type { PatternStore, SubscriberEntry } from './topic-index-bucket.ts';
import { createExactStore } from './topic-index-exact.ts';
import { createPrefixStore } from './topic-index-prefix.ts';
import { createWildcardStore } from './topic-index-wildcard.ts';
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
 *
 * @typeParam TSubscriber - what a subscription points at (a mailbox, a handler…), compared by identity
 */
export interface TopicIndex<TSubscriber> {
  /** The matching mode chosen at creation. */
  readonly mode: TopicMatchingMode;
  /** Number of (pattern, subscriber) pairs. */
  readonly size: number;
  /**
   * Subscribes `subscriber` to `pattern`.
   *
   * @returns false when that exact pair was already there (re-subscribing is idempotent)
   * @throws OcreError `INVALID_TOPIC` or `INVALID_PATTERN` when the pattern is invalid for the mode
   */
  add(pattern: string, subscriber: TSubscriber): boolean;
  /** Removes one pair; returns false when it was not there. */
  remove(pattern: string, subscriber: TSubscriber): boolean;
  /** Removes every pattern of `subscriber`; returns how many pairs went away. */
  removeSubscriber(subscriber: TSubscriber): number;
  /** True when the pair (pattern, subscriber) is present. */
  has(pattern: string, subscriber: TSubscriber): boolean;
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
  if (!isTopicMatchingMode(mode)) {
    throw new OcreError(
      'INVALID_OPTION',
      `Unknown topic matching mode ${JSON.stringify(mode)}: expected one of ${topicMatchingModes.join(', ')}, e.g. "exact".`,
    );
  }
  const cacheSize = options.matchCacheSize ?? defaultMatchCacheSize;
  if (!Number.isSafeInteger(cacheSize) || cacheSize < 0) {
    throw new OcreError(
      'INVALID_OPTION',
      `Invalid matchCacheSize ${String(cacheSize)}: expected a whole number >= 0, e.g. ${defaultMatchCacheSize}.`,
    );
  }
  return new SubscriptionIndex<TSubscriber>(mode, mode === 'exact' ? 0 : cacheSize);
}

class SubscriptionIndex<TSubscriber> implements TopicIndex<TSubscriber> {
  readonly mode: TopicMatchingMode;
  private readonly store: PatternStore<TSubscriber>;
  private readonly entries = new Map<TSubscriber, SubscriberEntry<TSubscriber>>();
  private readonly cache: Map<string, readonly TSubscriber[]> | undefined;
  private readonly cacheSize: number;
  /**
   * The cached topics in insertion order, as a ring: `cacheOldest` is the next to evict once the
   * ring is full. Evicting the first key of the Map instead costs a scan past every deleted entry
   * V8 has not compacted yet (hundreds of ns per miss).
   */
  private readonly cacheOrder: string[] = [];
  private cacheOldest = 0;
  private nextOrder = 0;
  private pairs = 0;

  constructor(mode: TopicMatchingMode, cacheSize: number) {
    this.mode = mode;
    this.store =
      mode === 'exact'
        ? createExactStore()
        : mode === 'prefix'
          ? createPrefixStore()
          : createWildcardStore();
    this.cacheSize = cacheSize;
    this.cache = cacheSize > 0 ? new Map() : undefined;
  }

  get size(): number {
    return this.pairs;
  }

  add(pattern: string, subscriber: TSubscriber): boolean {
    const error = validatePattern(this.mode, pattern);
    if (error !== undefined) throw error;
    let entry = this.entries.get(subscriber);
    if (entry === undefined) {
      entry = { subscriber, order: this.nextOrder++, patterns: new Set() };
      this.entries.set(subscriber, entry);
    } else if (entry.patterns.has(pattern)) {
      return false;
    }
    entry.patterns.add(pattern);
    this.store.add(pattern, entry);
    this.pairs++;
    this.clearCache();
    return true;
  }

  remove(pattern: string, subscriber: TSubscriber): boolean {
    const entry = this.entries.get(subscriber);
    if (entry === undefined || !entry.patterns.delete(pattern)) return false;
    this.store.remove(pattern, entry);
    this.pairs--;
    if (entry.patterns.size === 0) this.entries.delete(subscriber);
    this.clearCache();
    return true;
  }

  removeSubscriber(subscriber: TSubscriber): number {
    const entry = this.entries.get(subscriber);
    if (entry === undefined) return 0;
    const removed = entry.patterns.size;
    for (const pattern of entry.patterns) this.store.remove(pattern, entry);
    entry.patterns.clear();
    this.entries.delete(subscriber);
    this.pairs -= removed;
    this.clearCache();
    return removed;
  }

  has(pattern: string, subscriber: TSubscriber): boolean {
    return this.entries.get(subscriber)?.patterns.has(pattern) ?? false;
  }

  match(topic: string): readonly TSubscriber[] {
    const cache = this.cache;
    if (cache === undefined) return this.store.match(topic);
    const cached = cache.get(topic);
    if (cached !== undefined) return cached;
    const result = this.store.match(topic);
    const order = this.cacheOrder;
    if (order.length < this.cacheSize) order.push(topic);
    else {
      const at = this.cacheOldest;
      cache.delete(order[at] as string);
      order[at] = topic;
      this.cacheOldest = at + 1 === order.length ? 0 : at + 1;
    }
    cache.set(topic, result);
    return result;
  }

  private clearCache(): void {
    const cache = this.cache;
    if (cache === undefined || cache.size === 0) return;
    cache.clear();
    this.cacheOrder.length = 0;
    this.cacheOldest = 0;
  }
}
