// Owns the main-thread bookkeeping both WASM runtimes share: a worker's reports about one instance turned into readiness, start failures, ends and handler outcomes.
import type { RuntimeHost } from '@ocre-ts/actors';
import { WasmExitError, WasmTrapError, WasmWorkerError } from '../errors.ts';
import type { DeliveredReport, HandlerFailedReport, WorkerReport } from './worker-protocol.ts';

/** A promise's two ends, kept while a start or a delivery is in progress. */
export interface Pending {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** The error a handler's failure report stands for. */
export function handlerError(handler: string, failure: HandlerFailedReport): Error {
  const where = `handler "${handler}"`;
  return failure.kind === 'exit'
    ? new WasmExitError(where, failure.exitCode ?? 1)
    : failure.kind === 'trap'
      ? new WasmTrapError(where, `${failure.error.name}: ${failure.error.message}`)
      : new Error(`cannot deliver to ${where}: ${failure.error.message}`);
}

/**
 * The lifecycle of the current instance as its runtime sees it on the main thread: a start in
 * progress, whether the instance is alive (ready for mail), whether a stop is under way, and
 * the reports that move these. Subclasses own how instances are placed and how mail is
 * delivered; they pass every report through {@link passFacts} and {@link applyLifecycle}.
 */
export abstract class InstanceLifecycle {
  /** The host of the current instance. */
  protected host: RuntimeHost | undefined;
  /** The start in progress: resolved at readiness, rejected if it fails first. */
  protected starting: Pending | undefined;
  /** The instance is ready for mail: main yielded or returned, and nothing killed it since. */
  protected alive = false;
  /** A stop is under way: the instance's end is expected, not a fault. */
  protected stopping = false;

  /** @param label - the module's label, for messages */
  protected constructor(private readonly label: string) {}

  /** A handler returned; `report.exited` when it called `proc_exit(0)` (main is over, mail flows). */
  protected abstract delivered(report: DeliveredReport): void;

  /** A handler trapped, exited, or its message could not be placed. */
  protected abstract handlerFailed(report: HandlerFailedReport): void;

  /**
   * Facts about the container whichever instance produced them (lines printed just before a
   * kill are still in flight): output, call errors, refused publishes.
   *
   * @returns true when `report` was one of them
   */
  protected passFacts(host: RuntimeHost, report: WorkerReport): boolean {
    switch (report.type) {
      case 'output':
        host.output(report.stream, report.line);
        return true;
      case 'call-error':
        host.output('stderr', `ocre: ${report.message} (${report.code})`);
        return true;
      case 'rejected':
        host.rejected(report.count);
        return true;
      default:
        return false;
    }
  }

  /** Apply a report about the current instance's lifecycle or its mail. */
  protected applyLifecycle(host: RuntimeHost, report: WorkerReport): void {
    switch (report.type) {
      case 'init':
        host.api.ocre_msg_system_init();
        return;
      case 'ready':
        this.ready();
        return;
      case 'exited':
        if (report.code === 0) {
          this.ready();
          host.exited(0);
          return;
        }
        this.instanceEnded(new WasmExitError('main', report.code), () => host.exited(report.code));
        return;
      case 'trap':
        this.instanceEnded(
          new WasmTrapError('main', `${report.error.name}: ${report.error.message}`),
          (error) => host.fault({ phase: 'runtime', error }),
        );
        return;
      case 'start-failed':
        this.startFailed(host, report.error.message, report.permanent);
        return;
      case 'delivered':
        this.delivered(report);
        if (report.exited) host.exited(0);
        return;
      case 'handler-failed':
        this.handlerFailed(report);
        return;
      default:
        return;
    }
  }

  /** The instance ended on its own (a trap or an exit of main): release what it held. Default: nothing. */
  protected instanceGone(): void {}

  /** The start in progress, taken (so it settles once). */
  protected takeStarting(): Pending | undefined {
    const starting = this.starting;
    this.starting = undefined;
    return starting;
  }

  private ready(): void {
    this.alive = true;
    this.takeStarting()?.resolve();
  }

  /**
   * The instance ended abnormally outside a handler. Before readiness the start fails (an exit
   * is reported too, so the exit code is not lost); after it, `report` tells the host. During a
   * stop the end is expected: nothing is reported.
   */
  private instanceEnded(error: Error, report: (error: Error) => void): void {
    this.alive = false;
    this.instanceGone();
    if (this.stopping) return;
    const starting = this.takeStarting();
    if (starting === undefined || error instanceof WasmExitError) report(error);
    starting?.reject(error);
  }

  private startFailed(host: RuntimeHost, message: string, permanent: boolean): void {
    const error = new WasmWorkerError(
      `cannot instantiate ${this.label} for container "${host.name}": ${message}`,
    );
    this.alive = false;
    const starting = this.takeStarting();
    // A permanent failure is reported as such, so the supervisor does not restart-loop.
    if (permanent) host.fault({ phase: 'start', error, permanent: true });
    starting?.reject(error);
  }
}
