// Owns the router's subscription bookkeeping: who subscribed which handler to which pattern, the topic index they are matched in, and the last topic's matches.
import { createTopicIndex, validatePattern } from '@ocre-ts/core';
import type { OcreError, TopicIndex, TopicMatchingMode } from '@ocre-ts/core';
import type { RoutedCell, Subscription } from './types.ts';

/**
 * Every subscription of a system, kept per container (for `containers()`) and in core's topic
 * index (for routing). Matching remembers the last topic's answer: a burst on one topic (the
 * usual case) looks it up once, and a new subscription forgets it.
 */
export class SubscriptionTable {
  private readonly index: TopicIndex<Subscription>;
  private readonly byCell = new Map<RoutedCell, Map<string, Subscription>>();
  /** The last matched topic and its subscriptions (valid until the next `add`). */
  private lastTopic: string | undefined;
  private lastMatches: readonly Subscription[] = [];

  /** @param mode - the system's topic matching mode */
  constructor(private readonly mode: TopicMatchingMode) {
    this.index = createTopicIndex<Subscription>(mode);
  }

  /**
   * Record that `cell`'s handler wants messages matching `pattern`, matched by `matching` (the
   * system's mode unless given); idempotent. Returns the error of an invalid pattern.
   */
  add(
    cell: RoutedCell,
    pattern: string,
    handler: string,
    matching: TopicMatchingMode = this.mode,
  ): OcreError | undefined {
    const invalid = validatePattern(matching, pattern);
    if (invalid !== undefined) return invalid;
    let mine = this.byCell.get(cell);
    if (mine === undefined) {
      mine = new Map();
      this.byCell.set(cell, mine);
    }
    const key =
      matching === this.mode
        ? `${pattern}\u0000${handler}`
        : `${pattern}\u0000${handler}\u0000${matching}`;
    if (mine.has(key)) return undefined;
    const subscription: Subscription = { cell, handler, pattern };
    mine.set(key, subscription);
    this.index.add(pattern, subscription, matching);
    this.lastTopic = undefined;
    return undefined;
  }

  /** The subscriptions `cell` holds, as (pattern, handler) pairs. */
  of(cell: RoutedCell): { pattern: string; handler: string }[] {
    return [...(this.byCell.get(cell)?.values() ?? [])].map(({ pattern, handler }) => ({
      pattern,
      handler,
    }));
  }

  /** The subscriptions matching `topic`. */
  match(topic: string): readonly Subscription[] {
    if (topic !== this.lastTopic) {
      this.lastMatches = this.index.match(topic);
      this.lastTopic = topic;
    }
    return this.lastMatches;
  }
}
