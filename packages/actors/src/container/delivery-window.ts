// Owns a pipelined container's deliveries in flight: up to the runtime's `maxInFlight` handed over at once, kept in the mailbox until they settle, settled in order, and sorted into handled, interrupted and never-run when the instance goes.
import type { OcreMessage } from '@ocre-ts/core';
import type { Clock, TimerHandle } from '../clock.ts';
import type { ContainerRuntime } from '../runtime.ts';
import type { Mailbox } from './mailbox.ts';
import { isPromiseLike } from './pending-handler.ts';
import type { PendingOutcomes } from './pending-handler.ts';

const PENDING = 0;
const RESOLVED = 1;
const REJECTED = 2;

interface Entry {
  readonly message: OcreMessage;
  readonly handler: string;
  readonly generation: number;
  state: number;
  error: unknown;
  /** Its timeout fired: it is already out of the mailbox and booked as a fault. */
  timedOut: boolean;
}

/** What a window needs from its container besides the outcomes of {@link PendingOutcomes}. */
export interface WindowOwner extends PendingOutcomes {
  /** May more mail be handed over now (the container is running)? */
  readonly accepting: boolean;
  /** Count a handled message. */
  countHandled(message: OcreMessage): void;
  /** Mail may be handed over again (a delivery settled). */
  wake(): void;
}

/** A delivery the instance started and did not finish. */
export interface InterruptedDelivery {
  readonly message: OcreMessage;
  readonly handler: string;
}

/**
 * The deliveries a pipelined runtime holds. They stay at the head of the mailbox while in
 * flight (so a restart finds every one the instance never ran, in order, and the mailbox's
 * bound counts them), leave it as they settle in order, and only the oldest one has a timeout
 * running: a handler's budget starts when the one before it has finished.
 */
export class DeliveryWindow {
  private entries: Entry[] = [];
  /** Entries still in the mailbox (all but a timed-out head). */
  private dispatched = 0;
  private generation = 0;
  /** One timer for the head's budget, re-armed lazily (not one per delivery). */
  private timer: TimerHandle | undefined;
  /** The entry whose budget runs, and since when. */
  private timerFor: Entry | undefined;
  private headSince = 0;

  /**
   * @param max - most deliveries in flight (the runtime's `maxInFlight`)
   * @param mailbox - the container's mailbox
   * @param runtime - the pipelined runtime
   * @param clock - for the head's timeout
   * @param timeoutMs - the container's `handlerTimeoutMs`
   * @param owner - the container
   */
  constructor(
    private readonly max: number,
    private readonly mailbox: Mailbox,
    private readonly runtime: ContainerRuntime,
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly owner: WindowOwner,
  ) {}

  /** Deliveries handed over and not settled. */
  get size(): number {
    return this.entries.length;
  }

  /** Hand over waiting mail until the window is full, the mailbox is drained, or the container stops accepting. */
  fill(): void {
    const { mailbox, owner } = this;
    while (owner.accepting && this.entries.length < this.max && this.dispatched < mailbox.size) {
      const message = mailbox.messageAt(this.dispatched) as OcreMessage;
      const handler = mailbox.handlerAt(this.dispatched) as string;
      const entry: Entry = {
        message,
        handler,
        generation: this.generation,
        state: PENDING,
        error: undefined,
        timedOut: false,
      };
      this.entries.push(entry);
      this.dispatched++;
      let outcome: void | Promise<void>;
      try {
        outcome = this.runtime.deliver(message, handler);
      } catch (error) {
        this.settle(entry, REJECTED, error);
        return;
      }
      if (isPromiseLike(outcome)) {
        outcome.then(
          () => this.settle(entry, RESOLVED, undefined),
          (error: unknown) => this.settle(entry, REJECTED, error),
        );
      } else {
        this.settle(entry, RESOLVED, undefined);
      }
    }
    this.armTimer();
  }

  /**
   * The instance is gone or going: ask the runtime how far it got, count what it handled, and
   * keep what it never ran in the mailbox. Later outcomes of these deliveries are ignored.
   *
   * @returns the delivery it was in the middle of, now out of the mailbox, if any
   */
  interrupt(): InterruptedDelivery | undefined {
    const { entries } = this;
    if (entries.length === 0) return undefined;
    const progress = this.runtime.inFlightProgress?.() ?? {
      completed: 0,
      started: entries.length,
    };
    const completed = Math.min(progress.completed, entries.length);
    const started = Math.min(Math.max(progress.started, completed), entries.length);
    let interrupted: InterruptedDelivery | undefined;
    for (let index = 0; index < started; index++) {
      const entry = entries[index] as Entry;
      if (entry.timedOut) continue;
      this.mailbox.dropHead();
      if (index < completed) this.owner.countHandled(entry.message);
      else interrupted = { message: entry.message, handler: entry.handler };
    }
    this.reset();
    return interrupted;
  }

  private reset(): void {
    this.generation++;
    this.entries = [];
    this.dispatched = 0;
    this.clearTimer();
  }

  private settle(entry: Entry, state: number, error: unknown): void {
    if (entry.generation !== this.generation || entry.state !== PENDING) return;
    entry.state = state;
    entry.error = error;
    const { entries, owner } = this;
    let handled = false;
    while (entries.length > 0 && (entries[0] as Entry).state !== PENDING) {
      const head = entries.shift() as Entry;
      if (head.timedOut) continue;
      this.mailbox.dropHead();
      this.dispatched--;
      if (head.state === RESOLVED) {
        owner.countHandled(head.message);
        handled = true;
        continue;
      }
      // Nothing after a failed delivery ran (the runtime's promise): it stays in the mailbox.
      this.reset();
      owner.rejected(head.message, head.handler, head.error);
      return;
    }
    this.armTimer();
    if (handled) owner.wake();
  }

  private armTimer(): void {
    const head = this.entries[0];
    if (head === undefined || head.timedOut) {
      // Nothing to time (and no timer may hold the process open once idle).
      this.clearTimer();
      return;
    }
    if (head === this.timerFor) return;
    this.timerFor = head;
    this.headSince = this.clock.now();
    // A timer already set fires no later than this head's budget ends: it re-arms then.
    if (this.timer === undefined) this.setTimer(this.timeoutMs);
  }

  private setTimer(delayMs: number): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      const head = this.timerFor;
      if (head === undefined || this.entries[0] !== head || head.state !== PENDING) return;
      const left = this.headSince + this.timeoutMs - this.clock.now();
      if (left > 0) {
        this.setTimer(left);
        return;
      }
      this.timerFor = undefined;
      head.timedOut = true;
      this.mailbox.dropHead();
      this.dispatched--;
      this.owner.timedOut(head.message, head.handler);
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerFor = undefined;
  }
}
