// Owns routing when a system has hooks: tracing each message's path, and the interceptor's drops and FIFO delay lines between router and mailbox.
import type { OcreMessage } from '@ocre-ts/core';
import type { Clock, TimerHandle } from '../clock.ts';
import type { DeadLetterReason } from '../dead-letter.ts';
import type { SystemHooks } from '../system-hooks.ts';
import type { CellRouter, RoutedCell, Subscription } from './types.ts';

/** What hooked routing works with: the router's parts. */
export interface RoutingCore {
  /** Where topic$ taps see each routed message. */
  readonly bus: { tap(message: OcreMessage): void };
  /** The subscriptions a message is matched against. */
  readonly subscriptions: { match(topic: string): readonly Subscription[] };
  /** The worker-side producers, by producer id. */
  readonly producers: ReadonlyMap<number, RoutedCell>;
  /** The router: dead letters, and a turn for a cell with new mail. */
  readonly router: Pick<CellRouter, 'deadLetter' | 'wake'>;
}

interface Held {
  readonly message: OcreMessage;
  readonly handler: string;
  readonly due: number;
}

/** Deliveries to one container held back by the interceptor, released in order. */
interface DelayLine {
  readonly held: Held[];
  timer: TimerHandle | undefined;
}

/**
 * The router's path when hooks are set: every message is traced, every delivery goes through the
 * interceptor. Kept apart so a system without hooks runs the plain path untouched.
 */
export class HookedRouting {
  /** Deliveries held in delay lines. */
  delayed = 0;
  private readonly publishers = new Map<bigint, string>();
  private readonly lines = new Map<RoutedCell, DelayLine>();

  /**
   * @param core - the router
   * @param hooks - the system's hooks
   * @param clock - the system clock, for delays
   */
  constructor(
    private readonly core: RoutingCore,
    private readonly hooks: SystemHooks,
    private readonly clock: Clock,
  ) {}

  /** A main-thread publish was accepted: remember who sent it until it is drained. */
  published(mid: bigint, publisher: string): void {
    if (this.hooks.tracer !== undefined) this.publishers.set(mid, publisher);
  }

  /** Trace `message` as accepted (called as it leaves the queue, in id order). */
  accepted(message: OcreMessage, producerId: number): void {
    const tracer = this.hooks.tracer;
    if (tracer === undefined) return;
    let publisher: string;
    if (producerId === 0) {
      publisher = this.publishers.get(message.mid) ?? 'system';
      this.publishers.delete(message.mid);
    } else {
      publisher = this.core.producers.get(producerId)?.name ?? `producer ${producerId}`;
    }
    tracer.accepted(message, publisher);
  }

  /** Route one drained message: trace it, match it, let the interceptor decide each delivery. */
  route(message: OcreMessage, producerId: number): void {
    this.accepted(message, producerId);
    this.core.bus.tap(message);
    const matches = this.core.subscriptions.match(message.topic);
    this.hooks.tracer?.routed(
      message,
      matches.map((subscription) => subscription.cell.name),
    );
    if (matches.length === 0) {
      this.core.router.deadLetter(message, 'no-subscriber');
      return;
    }
    for (const { cell, handler } of matches) this.decide(cell, message, handler);
  }

  /** A handler completed. */
  delivered(message: OcreMessage, cell: RoutedCell): void {
    this.hooks.tracer?.delivered(message, cell.name);
  }

  /** Dead-letter every held delivery with `reason` and cancel the lines' timers (at shutdown). */
  deadLetterDelayed(reason: DeadLetterReason): void {
    for (const [cell, line] of this.lines) {
      if (line.timer !== undefined) this.clock.clearTimeout(line.timer);
      line.timer = undefined;
      for (const { message, handler } of line.held.splice(0)) {
        this.delayed--;
        this.core.router.deadLetter(message, reason, cell, handler, 'held back by a delivery hook');
      }
    }
  }

  /** Hand a delivery to `cell`'s mailbox now, or dead-letter it with the cell's verdict. */
  private offer(cell: RoutedCell, message: OcreMessage, handler: string): void {
    const verdict = cell.accept(message, handler);
    if (verdict === 'queued') this.core.router.wake(cell);
    else this.core.router.deadLetter(message, verdict, cell, handler);
  }

  private decide(cell: RoutedCell, message: OcreMessage, handler: string): void {
    const verdict = this.hooks.intercept?.(message, cell.name, handler) ?? 'deliver';
    if (verdict === 'drop') {
      this.core.router.deadLetter(message, 'dropped', cell, handler, 'dropped by a delivery hook');
      return;
    }
    const line = this.lines.get(cell);
    const delayMs = typeof verdict === 'number' && verdict > 0 ? verdict : 0;
    if (delayMs === 0 && (line === undefined || line.held.length === 0)) {
      this.offer(cell, message, handler);
      return;
    }
    this.hold(cell, line, { message, handler, due: this.clock.now() + delayMs });
  }

  private hold(cell: RoutedCell, existing: DelayLine | undefined, held: Held): void {
    let line = existing;
    if (line === undefined) {
      line = { held: [], timer: undefined };
      this.lines.set(cell, line);
    }
    // FIFO per container: nothing overtakes a delivery held before it.
    const last = line.held.at(-1);
    line.held.push(last !== undefined && last.due > held.due ? { ...held, due: last.due } : held);
    this.delayed++;
    if (line.timer === undefined) this.arm(cell, line);
  }

  private arm(cell: RoutedCell, line: DelayLine): void {
    const head = line.held[0];
    if (head === undefined) return;
    line.timer = this.clock.setTimeout(() => {
      line.timer = undefined;
      const now = this.clock.now();
      while (line.held.length > 0 && (line.held[0] as Held).due <= now) {
        const { message, handler } = line.held.shift() as Held;
        this.delayed--;
        this.offer(cell, message, handler);
      }
      this.arm(cell, line);
    }, head.due - this.clock.now());
  }
}
