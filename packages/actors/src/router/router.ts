// Owns the router actor: the bounded queue, the subscription index, dispatch to mailboxes in batches on its own turn, dead letters and counters.
import { OcreError, createTopicIndex, validatePattern, validatePublishTopic } from '@ocre-ts/core';
import type { OcreMessage, OcreMessagingPort, TopicIndex, TopicMatchingMode } from '@ocre-ts/core';
import type { Clock } from '../clock.ts';
import type { DeadLetterReason } from '../dead-letter.ts';
import { HookedRouting } from './hooked-routing.ts';
import type { RouterQueue } from './router-queue.ts';
import type { SystemBus } from '../streams/system-bus.ts';
import type { SystemHooks } from '../system-hooks.ts';
import { TopicStats } from './topic-stats.ts';
import type { CellRouter, RoutedCell, Subscription } from './types.ts';

/** Router life: accepting publishes, draining before a stop, or closed. */
export type RouterState = 'open' | 'draining' | 'closed';

/** Messages drained per turn before the router yields to the event loop. */
const batchSize = 1024;
/** Consecutive microtask turns before the router yields a whole event-loop turn (I/O, timers). */
const microtaskTurnsBeforeYield = 32;

/**
 * The router actor. `publish` validates nothing twice (the facade did), assigns the id through the
 * queue and answers at once; delivery happens later on the router's own turn.
 */
export class Router implements CellRouter {
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

  private readonly index: TopicIndex<Subscription>;
  private readonly subscriptions = new Map<RoutedCell, Map<string, Subscription>>();
  /** Cells with mail to handle this turn; a cell's `readyForTurn` flag keeps it listed once. */
  private readonly ready: RoutedCell[] = [];
  private readonly topicStats = new TopicStats();
  private readonly producers = new Map<number, RoutedCell>();
  private turnScheduled = false;
  /** The last topic that passed the wildcard publish check: a burst on one topic is checked once. */
  private checkedTopic: string | undefined;
  private microtaskTurns = 0;
  /** The last routed topic and its subscriptions (valid until the next subscribe). */
  private lastTopic: string | undefined;
  private lastMatches: readonly Subscription[] = [];
  private readonly runTurn = () => this.turn();
  private readonly routeDrained: (message: OcreMessage, producerId: number) => void;
  /** Tracing and interception; undefined (the plain path) unless the system has hooks. */
  private readonly hooked: HookedRouting | undefined;

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
    this.index = createTopicIndex<Subscription>(mode);
    this.unwatch = queue.watch?.(() => this.scheduleTurn());
    // Only a tracer or an interceptor acts per message; `started` / `stopping` alone (a live
    // dashboard, a plan of timed faults) keep the plain path.
    const perMessage =
      hooks !== undefined &&
      (hooks.hooks.tracer !== undefined || hooks.hooks.intercept !== undefined);
    const hooked = perMessage ? this.hookedRouting(hooks.hooks, hooks.clock) : undefined;
    this.hooked = hooked;
    this.routeDrained =
      hooked === undefined
        ? (message, producerId) => {
            if (producerId !== 0) this.countWorkerPublish(message, producerId);
            this.route(message);
          }
        : (message, producerId) => {
            if (producerId !== 0) this.countWorkerPublish(message, producerId);
            hooked.route(message, producerId);
          };
  }

  private readonly unwatch: (() => void) | undefined;

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
      this.scheduleTurn();
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
    this.topicStats.get(topic).published++;
    if (publisher !== undefined) publisher.counters.published++;
    if (this.hooked !== undefined) {
      const mid = typeof accepted === 'bigint' ? accepted : accepted.mid;
      this.hooked.published(mid, publisher?.name ?? 'system');
    }
    this.scheduleTurn();
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
    const invalid = validatePattern(matching, pattern);
    if (invalid !== undefined) return invalid;
    let mine = this.subscriptions.get(cell);
    if (mine === undefined) {
      mine = new Map();
      this.subscriptions.set(cell, mine);
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

  /** The subscriptions a container holds, as (pattern, handler) pairs. */
  subscriptionsOf(cell: RoutedCell): { pattern: string; handler: string }[] {
    return [...(this.subscriptions.get(cell)?.values() ?? [])].map(({ pattern, handler }) => ({
      pattern,
      handler,
    }));
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
    this.scheduleTurn();
  }

  /** Ask for a turn for `cell`, which has mail it can now handle. */
  wake(cell: RoutedCell): void {
    this.markReady(cell);
    this.scheduleTurn();
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
    return this.queue.size === 0 && this.ready.length === 0 && !this.turnScheduled;
  }

  /** Deliveries a delivery hook holds back, to be handed over later. */
  get delayed(): number {
    return this.hooked?.delayed ?? 0;
  }

  /** Run turns now until the queue is empty and no container is ready (for stop and tests). */
  flush(): void {
    while (this.queue.size > 0 || this.ready.length > 0) this.turn(false);
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

  private hookedRouting(hooks: SystemHooks, clock: Clock): HookedRouting {
    return new HookedRouting(
      {
        match: (message) => {
          this.bus.tap(message);
          return this.index.match(message.topic);
        },
        offer: (cell, message, handler) => {
          const verdict = cell.accept(message, handler);
          if (verdict !== 'queued') {
            this.deadLetter(message, verdict, cell, handler);
            return;
          }
          this.markReady(cell);
          this.scheduleTurn();
        },
        deadLetter: (message, reason, cell, handler, error) =>
          this.deadLetter(message, reason, cell, handler, error),
        producerName: (producerId) =>
          this.producers.get(producerId)?.name ?? `producer ${producerId}`,
      },
      hooks,
      clock,
    );
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

  private scheduleTurn(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    if (this.microtaskTurns < microtaskTurnsBeforeYield) {
      this.microtaskTurns++;
      queueMicrotask(this.runTurn);
    } else {
      this.microtaskTurns = 0;
      setImmediate(this.runTurn);
    }
  }

  private markReady(cell: RoutedCell): void {
    if (cell.readyForTurn) return;
    cell.readyForTurn = true;
    this.ready.push(cell);
  }

  private turn(reschedule = true): void {
    this.turnScheduled = false;
    this.queue.drain(batchSize, this.routeDrained);
    const ready = this.ready;
    // Handlers may wake more cells meanwhile: they join this same pass.
    for (let i = 0; i < ready.length; i++) {
      const cell = ready[i] as RoutedCell;
      cell.readyForTurn = false;
      cell.runTurn();
    }
    ready.length = 0;
    if (this.queue.size > 0 || this.ready.length > 0) {
      if (reschedule) this.scheduleTurn();
    } else {
      this.microtaskTurns = 0;
    }
  }

  private countWorkerPublish(message: OcreMessage, producerId: number): void {
    this.published++;
    this.topicStats.get(message.topic).published++;
    const cell = this.producers.get(producerId);
    if (cell !== undefined) cell.counters.published++;
  }

  private route(message: OcreMessage): void {
    this.bus.tap(message);
    const topic = message.topic;
    // A burst on one topic (the usual case) looks it up once; subscribe forgets the answer.
    let matches = this.lastMatches;
    if (topic !== this.lastTopic) {
      matches = this.index.match(topic);
      this.lastTopic = topic;
      this.lastMatches = matches;
    }
    if (matches.length === 0) {
      this.deadLetter(message, 'no-subscriber');
      return;
    }
    for (let i = 0; i < matches.length; i++) {
      const { cell, handler } = matches[i] as Subscription;
      const verdict = cell.accept(message, handler);
      if (verdict === 'queued') this.markReady(cell);
      else this.deadLetter(message, verdict, cell, handler);
    }
  }
}

/** A container's messaging port: two prototype methods, not two closures per container. */
class CellPort implements OcreMessagingPort {
  constructor(
    private readonly router: Router,
    private readonly cell: RoutedCell,
  ) {}

  publish(
    topic: string,
    contentType: string,
    payload: Uint8Array,
  ): OcreMessage | bigint | OcreError {
    return this.router.publish(topic, contentType, payload, this.cell);
  }

  subscribe(topic: string, handler: string, matching?: TopicMatchingMode): OcreError | undefined {
    return this.router.subscribe(this.cell, topic, handler, matching);
  }
}
