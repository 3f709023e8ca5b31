// Owns a pooled container's hold on its current instance in a pool worker: which worker and id, its deliveries in flight, the worker's reports about it, the watchdog's budget for its turns, and losing it with its worker.
import { defaultHandlerTimeoutMs, defaultStartTimeoutMs } from '@ocre-ts/actors';
import { answerCall } from '../channel/host-call.ts';
import { writeReply } from '../channel/control-block.ts';
import { InstanceLifecycle } from '../channel/instance-lifecycle.ts';
import type { HandlerFailedReport, WorkerReport } from '../channel/worker-protocol.ts';
import { HandedOverMessages } from '../current-api/handed-over.ts';
import { WasmWorkerError } from '../errors.ts';
import type { LoadedWasmModule } from '../module/module-loader.ts';
import { InFlight } from './in-flight.ts';
import type { PoolLink, PoolMember } from './pool-link.ts';
import type { EndedReport } from './pool-protocol.ts';
import type { RingWatcher } from './ring-sender.ts';
import type { WasmPool } from './wasm-pool.ts';

/** How long one turn of an instance may run. */
export interface TurnBudgets {
  /** A turn of main or a handler, once the instance is ready. Default 5000 ms. */
  readonly handlerTimeoutMs?: number;
  /** A start's turn (see {@link PoolMembership.watchdogBudgetMs}). Default 5000 ms. */
  readonly startTimeoutMs?: number;
}

/**
 * The pool side of a pooled container's runtime: the worker link and id of its current
 * instance, and the {@link PoolMember} callbacks through which the worker's reports, a runaway
 * and a worker going down reach it. Its subclass, `PooledRuntime`, starts, feeds and ends
 * instances; this class turns what happens to them in the worker into lifecycle facts.
 */
export abstract class PoolMembership extends InstanceLifecycle implements PoolMember, RingWatcher {
  /** True once this container hung a shared worker: its instances run in a dedicated one. */
  quarantined = false;
  /** The worker the current instance runs on. */
  protected link: PoolLink | undefined;
  /** The current instance's id (its generation in the worker's reports). */
  protected id = 0;
  /** Resolves a stop's wait for the worker's `ended` report. */
  protected flushed: (() => void) | undefined;
  /** The current instance's deliveries in flight. */
  protected inFlight = new InFlight();
  /** The last progress read found a handler interrupted mid-call. */
  protected interrupted = false;
  /** The end of the worker thread a runaway took down: the next start waits for it. */
  protected endingThread: Promise<void> | undefined;
  /** Ocre's current API: messages handed to the instance's event queue, not taken yet. */
  protected readonly handedOver: HandedOverMessages | undefined;

  /**
   * @param loaded - the validated module
   * @param pool - the pool its instances run in
   * @param budgets - how long a turn may run
   */
  protected constructor(
    loaded: LoadedWasmModule,
    protected readonly pool: WasmPool,
    private readonly budgets: TurnBudgets,
  ) {
    super(loaded.label);
    this.handedOver = loaded.api === 'current' ? new HandedOverMessages() : undefined;
  }

  /** {@inheritDoc RingWatcher.collect} */
  collect(): void {
    this.inFlight.collect();
    if (this.inFlight.size === 0) this.link?.deliveries.unwatch(this);
  }

  /**
   * {@inheritDoc PoolMember.watchdogBudgetMs}
   *
   * One owner per deadline: a start is its container's start timer's to judge, and while mail is
   * in flight, the container's handler timer (on the oldest delivery) judges; the watchdog judges
   * only the turns nobody else times (main between two `ocre_sleep`s with no mail in flight). Both
   * used to watch a start or a handler at once, with the same length, and which came first (an
   * `unresponsive` fault from the container, or the watchdog's plain fault) depended on the load.
   */
  watchdogBudgetMs(): number | undefined {
    if (this.starting !== undefined || this.inFlight.size > 0) return undefined;
    return this.turnBudgetMs();
  }

  /** {@inheritDoc PoolMember.runaway} */
  runaway(elapsedMs: number): void {
    const { link, host } = this;
    this.quarantined = true;
    this.endingThread = link?.ended ?? this.endingThread;
    this.link = undefined;
    this.alive = false;
    const error = new WasmWorkerError(
      `container "${host?.name ?? '?'}" did not yield for ${Math.round(elapsedMs)} ms; its pooled worker was terminated and it restarts in a worker of its own`,
    );
    this.failInstance(error, true);
  }

  /** {@inheritDoc PoolMember.workerDown} */
  workerDown(error: WasmWorkerError): void {
    this.endingThread = this.link?.ended ?? this.endingThread;
    this.link = undefined;
    this.alive = false;
    this.failInstance(error, false);
  }

  /** {@inheritDoc PoolMember.containerName} */
  containerName(): string {
    return this.host?.name ?? '?';
  }

  /** {@inheritDoc PoolMember.threadEnded} */
  threadEnded(): void {
    this.host?.messaging.releaseAbandonedLock?.();
  }

  /** {@inheritDoc PoolMember.report} */
  report(report: WorkerReport | EndedReport): void {
    const { host, link } = this;
    if (host === undefined || link === undefined) return;
    switch (report.type) {
      case 'subscribe':
      case 'publish':
        writeReply(link.control, answerCall(host, report));
        return;
      case 'ended':
        this.flushed?.();
        return;
      case 'gpio':
        host.gpioChanged?.(report.port, report.pin, report.state);
        return;
      case 'taken':
        this.handedOver?.settle(host, report.outcomes);
        return;
      default:
        if (!this.passFacts(host, report)) this.applyLifecycle(host, report);
    }
  }

  /** How long one turn of the current instance may run: a handler's budget once it is ready, a start's before. */
  protected turnBudgetMs(): number {
    return this.alive
      ? (this.budgets.handlerTimeoutMs ?? defaultHandlerTimeoutMs)
      : (this.budgets.startTimeoutMs ?? defaultStartTimeoutMs);
  }

  /** {@inheritDoc InstanceLifecycle.delivered} */
  protected delivered(): void {
    this.collect();
  }

  /** {@inheritDoc InstanceLifecycle.handlerFailed} */
  protected handlerFailed(report: HandlerFailedReport): void {
    if (report.kind !== 'delivery') this.alive = false;
    this.inFlight.fail(report);
    this.link?.deliveries.unwatch(this);
  }

  /** Leave the current instance's worker (telling the worker to drop it unless `notifyWorker` is false). */
  protected detach(notifyWorker = true): void {
    const { link, id } = this;
    this.handedOver?.abandon(this.host);
    this.link = undefined;
    if (link === undefined) return;
    link.deliveries.unwatch(this);
    if (notifyWorker) link.post({ type: 'kill', id, ack: false });
    link.detach(id);
    this.pool.released(link);
  }

  /** {@inheritDoc InstanceLifecycle.instanceGone} */
  protected override instanceGone(): void {
    this.handedOver?.abandon(this.host);
  }

  /** The instance was lost with its worker: fail the start, or report a runtime fault. */
  private failInstance(error: WasmWorkerError, unresponsive: boolean): void {
    this.handedOver?.abandon(this.host);
    const { starting } = this;
    this.starting = undefined;
    if (starting !== undefined) {
      starting.reject(error);
      return;
    }
    this.host?.fault({ phase: 'runtime', error, ...(unresponsive ? { unresponsive } : {}) });
  }
}
