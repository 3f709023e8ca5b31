// Owns a pooled instance's deliveries in flight on the main thread: their promises, in sequence order, settled from the instance's lane (completions) and its failure reports.
import type { InFlightProgress } from '@ocre-ts/actors';
import { completedMark, createLane, fence, nextSeq, reached } from '../channel/delivery-lane.ts';
import { handlerError } from '../channel/instance-lifecycle.ts';
import type { HandlerFailedReport } from '../channel/worker-protocol.ts';

interface Entry {
  readonly seq: number;
  readonly handler: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** The deliveries of one instance that its worker has not settled yet, oldest first. */
export class InFlight {
  /** The lane shared with the worker (see channel/delivery-lane.ts). */
  readonly lane: SharedArrayBuffer = createLane();
  /** The mail epoch records are sent with; moves on after a delivery that could not be placed. */
  epoch = 0;
  private readonly words = new Int32Array(this.lane);
  private entries: Entry[] = [];
  private seq = 0;

  /** Deliveries not settled. */
  get size(): number {
    return this.entries.length;
  }

  /**
   * Track a new delivery of `handler`.
   *
   * @returns its sequence number, to write in its record
   */
  add(handler: string, resolve: () => void, reject: (error: unknown) => void): number {
    const seq = this.seq;
    this.seq = nextSeq(seq);
    this.entries.push({ seq, handler, resolve, reject });
    return seq;
  }

  /** Resolve every delivery the lane says was handled. */
  collect(): void {
    const mark = completedMark(this.words);
    let done = 0;
    while (done < this.entries.length && reached(mark, (this.entries[done] as Entry).seq)) done++;
    if (done === 0) return;
    const settled = this.entries.splice(0, done);
    for (const entry of settled) entry.resolve();
  }

  /**
   * The worker reports delivery `failure.seq` failed: those before it were handled, it is
   * rejected, and those after it were never run (the worker skips them): they are forgotten.
   */
  fail(failure: HandlerFailedReport): void {
    this.collect();
    const head = this.entries[0];
    this.entries = [];
    if (failure.kind === 'delivery') this.epoch++;
    if (head !== undefined && head.seq === failure.seq) {
      head.reject(handlerError(head.handler, failure));
    }
  }

  /** Fence the lane (the worker starts none of them now) and say how far it got; forget them all. */
  progress(): InFlightProgress & { readonly interrupted: boolean } {
    const marks = fence(this.words);
    let completed = 0;
    let started = 0;
    for (const entry of this.entries) {
      if (reached(marks.completed, entry.seq)) completed++;
      if (reached(marks.started, entry.seq)) started++;
    }
    this.entries = [];
    return { completed, started, interrupted: started > completed };
  }

  /** Fence the lane: the instance is gone, the worker must start none of its mail. */
  close(): void {
    fence(this.words);
  }
}
