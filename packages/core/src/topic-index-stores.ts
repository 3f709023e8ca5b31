// Owns choosing the store for each matching mode and the keys that tell a subscriber's pairs of different matchings apart.
import type { PatternStore } from './topic-index-bucket.ts';
import { createExactStore } from './topic-index-exact.ts';
import { createPrefixStore } from './topic-index-prefix.ts';
import { createWildcardStore } from './topic-index-wildcard.ts';
import type { TopicMatchingMode } from './topic-matching.ts';

/** Key of a pair in a subscriber's set: the matching's initial, then the pattern. */
export const matchingTag: Readonly<Record<TopicMatchingMode, string>> = {
  exact: 'e',
  prefix: 'p',
  wildcard: 'w',
};
/** The matching a pair key's first character names. */
export const tagMatching: Readonly<Record<string, TopicMatchingMode>> = {
  e: 'exact',
  p: 'prefix',
  w: 'wildcard',
};

/** An empty store for one matching. */
export function createStore<TSubscriber>(matching: TopicMatchingMode): PatternStore<TSubscriber> {
  return matching === 'exact'
    ? createExactStore()
    : matching === 'prefix'
      ? createPrefixStore()
      : createWildcardStore();
}
