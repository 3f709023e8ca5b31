// Owns the router actor's own turn: when one is scheduled (microtasks, yielding to the event loop now and then), and what it does (drain a batch of the queue, then run each ready container's turn).
import type { OcreMessage } from '@ocre-ts/core';
import type { RouterQueue } from './router-queue.ts';
import type { RoutedCell } from './types.ts';

/** Messages drained per turn before the router yields to the event loop. */
const batchSize = 1024;
/** Consecutive microtask turns before the router yields a whole event-loop turn (I/O, timers). */
const microtaskTurnsBeforeYield = 32;

/**
 * The router's turns. Publishes and wake-ups only ask for a turn; the turn drains up to a batch
 * of the queue through `route` (which marks the containers it gave mail as ready), then runs
 * each ready container's turn once.
 */
export class RouterTurns {
  /** Cells with mail to handle this turn; a cell's `readyForTurn` flag keeps it listed once. */
  private readonly ready: RoutedCell[] = [];
  private scheduled = false;
  private microtaskTurns = 0;
  private readonly runTurn = () => this.turn();

  /**
   * @param queue - the router's queue
   * @param route - routes one drained message (`producerId` 0 for a main-thread publish)
   */
  constructor(
    private readonly queue: RouterQueue,
    private readonly route: (message: OcreMessage, producerId: number) => void,
  ) {}

  /** True when nothing is queued, nothing is ready and no turn is pending. */
  get idle(): boolean {
    return this.queue.size === 0 && this.ready.length === 0 && !this.scheduled;
  }

  /** Make sure a turn is coming. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.microtaskTurns < microtaskTurnsBeforeYield) {
      this.microtaskTurns++;
      queueMicrotask(this.runTurn);
    } else {
      this.microtaskTurns = 0;
      setImmediate(this.runTurn);
    }
  }

  /** List `cell` for the coming turn (once). */
  markReady(cell: RoutedCell): void {
    if (cell.readyForTurn) return;
    cell.readyForTurn = true;
    this.ready.push(cell);
  }

  /** Run turns now until the queue is empty and no container is ready (for stop and tests). */
  flush(): void {
    while (this.queue.size > 0 || this.ready.length > 0) this.turn(false);
  }

  private turn(reschedule = true): void {
    this.scheduled = false;
    this.queue.drain(batchSize, this.route);
    const ready = this.ready;
    // Handlers may wake more cells meanwhile: they join this same pass.
    for (let i = 0; i < ready.length; i++) {
      const cell = ready[i] as RoutedCell;
      cell.readyForTurn = false;
      cell.runTurn();
    }
    ready.length = 0;
    if (this.queue.size > 0 || this.ready.length > 0) {
      if (reschedule) this.schedule();
    } else {
      this.microtaskTurns = 0;
    }
  }
}
