// Owns the exact-mode store of the topic index: one Map from pattern to its subscribers, so a match is one lookup.
import { SubscriberBucket, emptyMatch } from './topic-index-bucket.ts';
import type { PatternStore, SubscriberEntry } from './topic-index-bucket.ts';

/**
 * Creates the store for `exact` mode: `match` is one Map lookup that, once a pattern's
 * subscribers are unchanged since the last match, finds their frozen array itself.
 */
export function createExactStore<TSubscriber>(): PatternStore<TSubscriber> {
  /** The subscribers of each pattern, for changes. */
  const buckets = new Map<string, SubscriberBucket<TSubscriber>>();
  /**
   * What `match` reads: each pattern's frozen subscribers, or its bucket after a change until the
   * next match refreezes it. Storing the array itself saves the visit to the bucket, a cache miss
   * per lookup in a large index.
   */
  const lookup = new Map<string, SubscriberBucket<TSubscriber> | readonly TSubscriber[]>();
  return {
    add(pattern: string, entry: SubscriberEntry<TSubscriber>): void {
      let bucket = buckets.get(pattern);
      if (bucket === undefined) buckets.set(pattern, (bucket = new SubscriberBucket()));
      bucket.insert(entry);
      lookup.set(pattern, bucket);
    },
    remove(pattern: string, entry: SubscriberEntry<TSubscriber>): void {
      const bucket = buckets.get(pattern);
      if (bucket?.delete(entry) !== true) return;
      if (bucket.size > 0) lookup.set(pattern, bucket);
      else {
        buckets.delete(pattern);
        lookup.delete(pattern);
      }
    },
    match(topic: string): readonly TSubscriber[] {
      const found = lookup.get(topic);
      if (found === undefined) return emptyMatch;
      if (!(found instanceof SubscriberBucket)) return found;
      const subscribers = found.subscribers();
      lookup.set(topic, subscribers);
      return subscribers;
    },
  };
}
