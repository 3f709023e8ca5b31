// Owns the dashboard feed: batching a running system's events, counters and topic map into at most one update per period, with bounded memory however fast the system runs and nothing added to the message path.
import { topicMatches } from '@ocre-ts/core';
import type { TopicMatchingMode } from '@ocre-ts/core';
import type {
  ContainerInfo,
  OcreSystem,
  SystemEvent,
  SystemMetrics,
  TopicCounters,
} from '@ocre-ts/actors';
import type { LoggedEvent } from '../events-log.ts';
import { eventToJson } from '../events-log.ts';
import type { DashboardBatch, TopicSample, WireEvent } from './model/wire.ts';

/** Bounds of one batch. */
export interface FeedLimits {
  /** ms between batches. Default 100: at most 10 updates a second. */
  readonly periodMs: number;
  /** Lifecycle events and injected faults per batch; more are counted in `skippedEvents`. */
  readonly maxEvents: number;
  /** Dead letters per batch (the newest); more are counted in `skippedEvents`. */
  readonly maxDeadLetters: number;
  /** Topics per batch, the busiest first. */
  readonly maxTopics: number;
  /** The system-wide rates are averaged over this many ms (a steadier chart). */
  readonly rateWindowMs: number;
  /** Events kept for a page that connects later (its timeline and dead letters). */
  readonly backlog: number;
}

/** The default bounds. */
export const defaultFeedLimits: FeedLimits = {
  periodMs: 100,
  maxEvents: 200,
  maxDeadLetters: 50,
  maxTopics: 50,
  rateWindowMs: 1000,
  backlog: 500,
};

/** Something told of every batch. */
export type BatchListener = (batch: DashboardBatch) => void;

/** One system event (or a `fault.injected` record) as JSON, ids as strings. */
export function toWireEvent(event: LoggedEvent): WireEvent {
  return JSON.parse(eventToJson(event)) as WireEvent;
}

/**
 * Watches one system and sends its listeners one {@link DashboardBatch} per `periodMs` of the
 * system clock (the last one when it stops). Between batches it only appends to two bounded
 * buffers, so a system publishing a million messages a second costs it a counter increment per
 * dead letter beyond the caps.
 */
export class DashboardFeed {
  private readonly listeners = new Set<BatchListener>();
  private events: WireEvent[] = [];
  private deadLetters: SystemEvent[] = [];
  private skipped = 0;
  /** Relative time of the last batch, ms since start. */
  private lastTime = 0;
  /** The clock's time when the system started: batches count from there, like events. */
  private origin = 0;
  private closed = false;
  private history: WireEvent[] = [];
  /** Counter samples of the last `rateWindowMs`, oldest first: every rate is averaged over it. */
  private window: WindowSample[] = [
    { time: 0, published: 0, delivered: 0, deadLettered: 0, topics: {}, byContainer: new Map() },
  ];
  private latest: DashboardBatch | undefined;

  /**
   * @param system - the system to watch; call before it starts to see every event
   * @param matching - the system's topic matching mode, to find each topic's subscribers
   * @param limits - the batch bounds
   */
  constructor(
    private readonly system: OcreSystem,
    private readonly matching: TopicMatchingMode = 'exact',
    private readonly limits: FeedLimits = defaultFeedLimits,
  ) {
    system.events$.subscribe({
      next: (event) => this.onEvent(event),
      complete: () => this.finish(),
    });
    system.metrics$(limits.periodMs).subscribe((sample) => this.flush(sample));
  }

  /** Be told of every batch from now on; returns the way to stop. */
  subscribe(listener: BatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The newest events sent so far (bounded), for a page that connects now. */
  backlog(): readonly WireEvent[] {
    return this.history;
  }

  /** The last batch sent, if any. */
  get lastBatch(): DashboardBatch | undefined {
    return this.latest;
  }

  /** True once the system has stopped and the last batch went out. */
  get ended(): boolean {
    return this.closed;
  }

  /**
   * Tell the feed the clock's time at the system's start (a `started` hook's `clock.now()`), so
   * batch times count from the start as event times do. Default 0.
   */
  startedAt(origin: number): void {
    this.origin = origin;
    const [first] = this.window;
    if (this.window.length === 1 && first !== undefined)
      this.window[0] = { ...first, time: origin };
  }

  /** Add an event of the CLI's own (an injected fault) to the next batch. */
  record(event: WireEvent): void {
    this.keep(event);
  }

  private onEvent(event: SystemEvent): void {
    if (event.type === 'message.dead-lettered') {
      // Keep the newest: convert only when a batch goes out.
      this.deadLetters.push(event);
      if (this.deadLetters.length > this.limits.maxDeadLetters * 2) {
        const drop = this.deadLetters.length - this.limits.maxDeadLetters;
        this.deadLetters.splice(0, drop);
        this.skipped += drop;
      }
      return;
    }
    // Past the cap an event is only counted: a publisher hammering a full queue (one
    // `queue.full` per refusal) costs a comparison each, not a JSON round trip.
    if (this.events.length >= this.limits.maxEvents) this.skipped++;
    else this.events.push(toWireEvent(event));
  }

  private keep(event: WireEvent): void {
    if (this.events.length >= this.limits.maxEvents) this.skipped++;
    else this.events.push(event);
  }

  private finish(): void {
    if (this.closed) return;
    const counters = this.system.counters();
    const stop = this.events.find((e) => e.type === 'system.stopped');
    this.flush({
      time: Math.max(stop?.time ?? 0, this.lastTime) + this.origin,
      counters,
      publishedPerSecond: 0,
      deliveredPerSecond: 0,
      containers: this.system.containers(),
    });
    this.closed = true;
  }

  /** Send one batch built from `sample` and everything buffered since the last. */
  private flush(sample: SystemMetrics): void {
    if (this.closed) return;
    const { counters } = sample;
    this.window.push({
      time: sample.time,
      published: counters.published,
      delivered: counters.delivered,
      deadLettered: counters.deadLettered,
      topics: Object.fromEntries(
        Object.entries(counters.topics).map(([t, c]) => [
          t,
          { ...c, publishers: { ...c.publishers } },
        ]),
      ),
      byContainer: new Map(sample.containers.map((c) => [c.name, c.counters.published])),
    });
    while (
      this.window.length > 2 &&
      (this.window[1] as { time: number }).time <= sample.time - this.limits.rateWindowMs
    ) {
      this.window.shift();
    }
    const oldest = this.window[0] as WindowSample;
    const span = Math.max(1e-9, (sample.time - oldest.time) / 1000);
    const extra = Math.max(0, this.deadLetters.length - this.limits.maxDeadLetters);
    const letters = this.deadLetters.slice(extra).map(toWireEvent);
    const publishing = this.publishingNow(sample.containers, oldest, span);
    const batch: DashboardBatch = {
      time: sample.time - this.origin,
      counters: {
        published: counters.published,
        delivered: counters.delivered,
        deadLettered: counters.deadLettered,
        rejected: counters.rejected,
        queued: counters.queued,
        inFlight: counters.inFlight,
      },
      rates: {
        published: (counters.published - oldest.published) / span,
        delivered: (counters.delivered - oldest.delivered) / span,
        deadLettered: (counters.deadLettered - oldest.deadLettered) / span,
      },
      containers: sample.containers.map((c) => ({
        name: c.name,
        state: c.state,
        mailbox: c.mailbox,
        restarts: c.counters.restarts,
        faults: c.counters.faults,
        published: c.counters.published,
        delivered: c.counters.delivered,
        deadLettered: c.counters.deadLettered,
        ...(c.status === undefined ? {} : { status: c.status }),
      })),
      publishers: publishing,
      topics: this.topicSamples(counters.topics, sample.containers, oldest, span),
      events: [...this.events, ...letters],
      skippedEvents: this.skipped + extra,
    };
    this.events = [];
    this.deadLetters = [];
    this.skipped = 0;
    this.history.push(...batch.events);
    if (this.history.length > this.limits.backlog) {
      this.history = this.history.slice(-this.limits.backlog);
    }
    this.latest = batch;
    this.lastTime = sample.time - this.origin;
    for (const listener of this.listeners) listener(batch);
  }

  /**
   * Each topic's rates, subscribers (the containers with a matching subscription) and
   * publishers: those whose tally on the topic (the router counts each topic's publishes by
   * publisher) grew within the rate window, busiest first.
   */
  private topicSamples(
    now: Record<string, TopicCounters>,
    containers: readonly ContainerInfo[],
    oldest: WindowSample,
    seconds: number,
  ): TopicSample[] {
    const rate = (a: number, b: number | undefined) => (a - (b ?? 0)) / seconds;
    return Object.entries(now)
      .map(([topic, counts]): TopicSample => {
        const before = oldest.topics[topic];
        const publishedPerSecond = rate(counts.published, before?.published);
        return {
          topic,
          publishers: Object.entries(counts.publishers)
            .map(([name, n]) => ({ name, perSecond: rate(n, before?.publishers[name]) }))
            .filter((p) => p.perSecond > 0)
            .sort((a, b) => b.perSecond - a.perSecond || (a.name < b.name ? -1 : 1)),
          subscribers: containers
            .filter((c) =>
              c.subscriptions.some((s) => topicMatches(this.matching, s.pattern, topic)),
            )
            .map((c) => c.name),
          publishedPerSecond,
          deliveredPerSecond: rate(counts.delivered, before?.delivered),
          deadLetteredPerSecond: rate(counts.deadLettered, before?.deadLettered),
        };
      })
      .sort((a, b) => b.publishedPerSecond - a.publishedPerSecond || (a.topic < b.topic ? -1 : 1))
      .slice(0, this.limits.maxTopics);
  }

  /** The containers that published within the rate window, with their rates. */
  private publishingNow(
    containers: readonly ContainerInfo[],
    oldest: WindowSample,
    seconds: number,
  ): Publisher[] {
    const publishing: Publisher[] = [];
    for (const c of containers) {
      const perSecond = (c.counters.published - (oldest.byContainer.get(c.name) ?? 0)) / seconds;
      if (perSecond > 0) publishing.push({ name: c.name, perSecond });
    }
    return publishing;
  }
}

type Publisher = DashboardBatch['publishers'][number];

/** The counters at one batch, kept for the rate window. */
interface WindowSample {
  readonly time: number;
  readonly published: number;
  readonly delivered: number;
  readonly deadLettered: number;
  readonly topics: Readonly<Record<string, TopicCounters>>;
  readonly byContainer: ReadonlyMap<string, number>;
}
