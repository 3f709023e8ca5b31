// Owns the exact-mode store of the topic index: one Map from pattern to its subscribers, so a match is one lookup.
import { SubscriberBucket, emptyMatch } from './topic-index-bucket.ts';
import type { PatternStore, SubscriberEntry } from './topic-index-bucket.ts';

/** Creates the store for `exact` mode: `match` is one Map lookup returning a cached frozen array. */
export function createExactStore<TSubscriber>(): PatternStore<TSubscriber> {
  const buckets = new Map<string, SubscriberBucket<TSubscriber>>();
  return {
    add(pattern: string, entry: SubscriberEntry<TSubscriber>): void {
      let bucket = buckets.get(pattern);
      if (bucket === undefined) buckets.set(pattern, (bucket = new SubscriberBucket()));
      bucket.insert(entry);
    },
    remove(pattern: string, entry: SubscriberEntry<TSubscriber>): void {
      const bucket = buckets.get(pattern);
      if (bucket?.delete(entry) === true && bucket.size === 0) buckets.delete(pattern);
    },
    match(topic: string): readonly TSubscriber[] {
      return buckets.get(topic)?.subscribers() ?? emptyMatch;
    },
  };
}
