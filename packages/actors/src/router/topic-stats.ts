// Owns the per-topic counters, with each topic's publishes tallied by publisher, and one-entry caches so a burst on one topic costs no map lookup.
import type { TopicCounters } from '../counters.ts';

/** One topic's live counts; its publishes by publisher are kept as boxes so a count is one increment. */
interface TopicTally {
  published: number;
  delivered: number;
  deadLettered: number;
  readonly byPublisher: Map<string, { count: number }>;
}

/** Per-topic counters keyed by topic. */
export class TopicStats {
  private readonly byTopic = new Map<string, TopicTally>();
  private lastTopic: string | undefined;
  private lastTally: TopicTally | undefined;
  /** The (topic, publisher) pair counted last, and its box. */
  private lastPublishTopic: string | undefined;
  private lastPublisher: string | undefined;
  private lastBox: { count: number } | undefined;
  private lastPublishTally: TopicTally | undefined;

  /** The live counts of `topic`, created on first use (for delivered and dead-lettered). */
  get(topic: string): TopicTally {
    if (topic === this.lastTopic) return this.lastTally as TopicTally;
    let tally = this.byTopic.get(topic);
    if (tally === undefined) {
      tally = { published: 0, delivered: 0, deadLettered: 0, byPublisher: new Map() };
      this.byTopic.set(topic, tally);
    }
    this.lastTopic = topic;
    this.lastTally = tally;
    return tally;
  }

  /**
   * Count one accepted publish of `topic` by `publisher` (a container's name, or `system`).
   * A run of publishes by one publisher on one topic costs two comparisons and two increments.
   */
  countPublished(topic: string, publisher: string): void {
    if (topic === this.lastPublishTopic && publisher === this.lastPublisher) {
      (this.lastPublishTally as TopicTally).published++;
      (this.lastBox as { count: number }).count++;
      return;
    }
    const tally = this.get(topic);
    let box = tally.byPublisher.get(publisher);
    if (box === undefined) {
      box = { count: 0 };
      tally.byPublisher.set(publisher, box);
    }
    tally.published++;
    box.count++;
    this.lastPublishTopic = topic;
    this.lastPublisher = publisher;
    this.lastPublishTally = tally;
    this.lastBox = box;
  }

  /** A copy of every topic's counters. */
  snapshot(): Record<string, TopicCounters> {
    const copy: Record<string, TopicCounters> = {};
    for (const [topic, tally] of this.byTopic) {
      const publishers: Record<string, number> = {};
      for (const [name, box] of tally.byPublisher) publishers[name] = box.count;
      const { published, delivered, deadLettered } = tally;
      copy[topic] = { published, delivered, deadLettered, publishers };
    }
    return copy;
  }
}
