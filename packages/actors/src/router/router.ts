// Owns the router actor: accepting publishes into its bounded queue, routing each drained message to the mailboxes that subscribed (the plain path, or the hooked one), dead letters and counters.
import { OcreError, validatePublishTopic } from '@ocre-ts/core';
import type { OcreMessage, OcreMessagingPort, TopicMatchingMode } from '@ocre-ts/core';
import type { Clock } from '../clock.ts';
import type { DeadLetterReason } from '../dead-letter.ts';
import type { SystemBus } from '../streams/system-bus.ts';
import type { SystemHooks } from '../system-hooks.ts';
import { CellPort } from './cell-port.ts';
import type { PortRouter } from './cell-port.ts';
import { HookedRouting } from './hooked-routing.ts';
import type { RouterQueue } from './router-queue.ts';
import { RouterTurns } from './router-turns.ts';
import { SubscriptionTable } from './subscription-table.ts';
import { TopicStats } from './topic-stats.ts';
import type { CellRouter, RoutedCell, Subscription } from './types.ts';

/** Router life: accepting publishes, draining before a stop, or closed. */
export type RouterState = 'open' | 'draining' | 'closed';

/**
 * The router actor. `publish` validates nothing twice (the facade did), assigns the id through the
 * queue and answers at once; delivery happens later on the router's own turn.
 */
export class Router implements CellRouter, PortRouter {
  /** Accepted publishes. */
  published = 0;
  /** Refused publishes. */
  rejected = 0;
  /** Handler completions. */
  delivered = 0;
  /** Dead letters. */
  deadLettered = 0;
  /** Life state; publishes are refused unless `open`. */
  state: RouterState = 'open';

  private readonly subscriptions: SubscriptionTable;
  private readonly turns: RouterTurns;
  private readonly topicStats = new TopicStats();
  private readonly producers = new Map<number, RoutedCell>();
  /** The last topic that passed the wildcard publish check: a burst on one topic is checked once. */
  private checkedTopic: string | undefined;
  /** Tracing and interception; undefined (the plain path) unless the system has hooks. */
  private readonly hooked: HookedRouting | undefined;
  private readonly unwatch: (() => void) | undefined;

  /**
   * @param queue - the bounded queue this router owns
   * @param mode - topic matching mode
   * @param bus - where events, dead letters and topic taps go
   * @param hooks - tracing and fault-injection hooks, with the clock delays run on
   */
  constructor(
    readonly queue: RouterQueue,
    readonly mode: TopicMatchingMode,
    private readonly bus: SystemBus,
    hooks?: { readonly hooks: SystemHooks; readonly clock: Clock },
  ) {
    this.subscriptions = new SubscriptionTable(mode);
    // Only a tracer or an interceptor acts per message; `started` / `stopping` alone (a live
    // dashboard, a plan of timed faults) keep the plain path.
    const perMessage =
      hooks !== undefined &&
      (hooks.hooks.tracer !== undefined || hooks.hooks.intercept !== undefined);
    const hooked = perMessage
      ? new HookedRouting(
          {
            bus,
            subscriptions: this.subscriptions,
            producers: this.producers,
            router: this,
          },
          hooks.hooks,
          hooks.clock,
        )
      : undefined;
    this.hooked = hooked;
    this.turns = new RouterTurns(
      queue,
      hooked === undefined
        ? (message, producerId) => {
            if (producerId !== 0) this.countWorkerPublish(message, producerId);
            this.route(message);
          }
        : (message, producerId) => {
            if (producerId !== 0) this.countWorkerPublish(message, producerId);
            hooked.route(message, producerId);
          },
    );
    this.unwatch = queue.watch?.(() => this.turns.schedule());
  }

  /** Stop watching the shared queue (at shutdown). */
  close(): void {
    this.state = 'closed';
    this.unwatch?.();
  }

  /** Per-topic counters. */
  get topics(): TopicStats {
    return this.topicStats;
  }

  /** The messaging port a container's facade publishes into and subscribes through. */
  portFor(cell: RoutedCell): OcreMessagingPort {
    return new CellPort(this, cell);
  }

  /**
   * Accept a message into the queue: the accepted message (or its id, from a shared queue), or
   * `QUEUE_FULL` / `SHUTTING_DOWN` / `INVALID_TOPIC`.
   *
   * @param publisher - the publishing container, or undefined for the system itself
   */
  publish(
    topic: string,
    contentType: string,
    payload: Uint8Array,
    publisher?: RoutedCell,
  ): OcreMessage | bigint | OcreError {
    if (this.state !== 'open') return this.refuse(publisher, this.shuttingDown());
    if (this.mode === 'wildcard' && topic !== this.checkedTopic) {
      const invalid = validatePublishTopic(this.mode, topic);
      if (invalid !== undefined) return this.refuse(publisher, invalid);
      this.checkedTopic = topic;
    }
    const accepted = this.queue.push(topic, contentType, payload);
    if (accepted === undefined) {
      // A full queue always has something to drain: make sure a turn is coming.
      this.turns.schedule();
      this.bus.queueFull(topic, publisher?.name ?? 'system', this.queue.capacity);
      return this.refuse(
        publisher,
        new OcreError(
          'QUEUE_FULL',
          `ocre_publish_message: the router queue is full (${this.queue.capacity} messages); publish more slowly, retry later, or raise messaging.queueCapacity`,
        ),
      );
    }
    this.published++;
    const name = publisher?.name ?? 'system';
    this.topicStats.countPublished(topic, name);
    if (publisher !== undefined) publisher.counters.published++;
    if (this.hooked !== undefined) {
      const mid = typeof accepted === 'bigint' ? accepted : accepted.mid;
      this.hooked.published(mid, name);
    }
    this.turns.schedule();
    return accepted;
  }

  /**
   * Record that `cell`'s handler wants messages matching `pattern`, matched by `matching` (the
   * system's mode unless given: Ocre's current API subscribes by prefix); idempotent.
   */
  subscribe(
    cell: RoutedCell,
    pattern: string,
    handler: string,
    matching: TopicMatchingMode = this.mode,
  ): OcreError | undefined {
    if (this.state === 'closed') return this.shuttingDown();
    return this.subscriptions.add(cell, pattern, handler, matching);
  }

  /** The subscriptions a container holds, as (pattern, handler) pairs. */
  subscriptionsOf(cell: RoutedCell): { pattern: string; handler: string }[] {
    return this.subscriptions.of(cell);
  }

  /**
   * Register `cell` as a worker-side producer pushing straight into the shared queue with
   * `producerId` (1 or more); its accepted publishes are counted when drained.
   */
  registerProducer(producerId: number, cell: RoutedCell): void {
    this.producers.set(producerId, cell);
  }

  /** Count publishes a worker-side producer had refused (it reports them in batches). */
  countRejected(cell: RoutedCell, count: number): void {
    this.rejected += count;
    cell.counters.rejected += count;
  }

  /** Drain on the next turn even though no push signalled it (a producer thread died mid-push). */
  poke(): void {
    this.turns.schedule();
  }

  /** Ask for a turn for `cell`, which has mail it can now handle. */
  wake(cell: RoutedCell): void {
    this.turns.markReady(cell);
    this.turns.schedule();
  }

  /** Record a dead letter: counters, events and `deadLetters$`. */
  deadLetter(
    message: OcreMessage,
    reason: DeadLetterReason,
    cell?: RoutedCell,
    handler?: string,
    error?: string,
  ): void {
    this.deadLettered++;
    this.topicStats.get(message.topic).deadLettered++;
    if (cell !== undefined) cell.counters.deadLettered++;
    this.bus.deadLetter(message, reason, cell?.name, handler, error);
  }

  /** Count a handler completion. */
  countDelivered(cell: RoutedCell, message: OcreMessage): void {
    this.delivered++;
    cell.counters.delivered++;
    this.topicStats.get(message.topic).delivered++;
    if (this.hooked !== undefined) this.hooked.delivered(message, cell);
  }

  /** True when nothing is queued, nothing is ready and no turn is pending. */
  get idle(): boolean {
    return this.turns.idle;
  }

  /** Deliveries a delivery hook holds back, to be handed over later. */
  get delayed(): number {
    return this.hooked?.delayed ?? 0;
  }

  /** Run turns now until the queue is empty and no container is ready (for stop and tests). */
  flush(): void {
    this.turns.flush();
  }

  /** Dead-letter every queued message with `reason` (used at shutdown). */
  deadLetterQueued(reason: DeadLetterReason): void {
    const hooked = this.hooked;
    this.queue.drain(Infinity, (message, producerId) => {
      if (producerId !== 0) this.countWorkerPublish(message, producerId);
      hooked?.accepted(message, producerId);
      this.deadLetter(message, reason);
    });
    hooked?.deadLetterDelayed(reason);
  }

  private refuse(publisher: RoutedCell | undefined, error: OcreError): OcreError {
    this.rejected++;
    if (publisher !== undefined) publisher.counters.rejected++;
    return error;
  }

  private shuttingDown(): OcreError {
    return new OcreError(
      'SHUTTING_DOWN',
      'ocre_publish_message: the system is stopping and accepts no new messages',
    );
  }

  private countWorkerPublish(message: OcreMessage, producerId: number): void {
    this.published++;
    const cell = this.producers.get(producerId);
    this.topicStats.countPublished(message.topic, cell?.name ?? 'system');
    if (cell !== undefined) cell.counters.published++;
  }

  private route(message: OcreMessage): void {
    this.bus.tap(message);
    const matches = this.subscriptions.match(message.topic);
    if (matches.length === 0) {
      this.deadLetter(message, 'no-subscriber');
      return;
    }
    for (let i = 0; i < matches.length; i++) {
      const { cell, handler } = matches[i] as Subscription;
      const verdict = cell.accept(message, handler);
      if (verdict === 'queued') this.turns.markReady(cell);
      else this.deadLetter(message, verdict, cell, handler);
    }
  }
}
