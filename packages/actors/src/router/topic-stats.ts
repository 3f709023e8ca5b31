// Owns the per-topic counters, with a one-entry cache so a burst on one topic costs no map lookup.
import { createTopicCounters } from '../counters.ts';
import type { TopicCounters } from '../counters.ts';

/** Per-topic counters keyed by topic. */
export class TopicStats {
  private readonly byTopic = new Map<string, TopicCounters>();
  private lastTopic: string | undefined;
  private lastCounters: TopicCounters | undefined;

  /** The counters of `topic`, created on first use. */
  get(topic: string): TopicCounters {
    if (topic === this.lastTopic) return this.lastCounters as TopicCounters;
    let counters = this.byTopic.get(topic);
    if (counters === undefined) {
      counters = createTopicCounters();
      this.byTopic.set(topic, counters);
    }
    this.lastTopic = topic;
    this.lastCounters = counters;
    return counters;
  }

  /** A copy of every topic's counters. */
  snapshot(): Record<string, TopicCounters> {
    const copy: Record<string, TopicCounters> = {};
    for (const [topic, counters] of this.byTopic) copy[topic] = { ...counters };
    return copy;
  }
}
