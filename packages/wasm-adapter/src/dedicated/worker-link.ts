// Owns the main thread's handle on one container worker: spawning it, its control block, aborting its instance for reuse, graceful exit and termination, and noticing its death.
import { Worker } from 'node:worker_threads';
import {
  C_EXIT,
  C_GENERATION,
  C_STATE,
  STATE_ABORT,
  STATE_IDLE,
  STATE_NONE,
  STATE_SLEEPING,
  createControlBlock,
  ringDoorbell,
} from '../channel/control-block.ts';
import { WasmWorkerError } from '../errors.ts';
import type { WorkerCommand, WorkerReport } from '../channel/worker-protocol.ts';
import { workerScriptUrl } from '../channel/worker-script.ts';

/** What a link tells its owner. */
export interface WorkerLinkEvents {
  /** A report from the worker. */
  readonly report: (link: WorkerLink, report: WorkerReport) => void;
  /** The worker died without being asked to (an uncaught error, out of memory, an exit). */
  readonly death: (link: WorkerLink, error: WasmWorkerError) => void;
  /** The thread has ended, however it ended (asked to, terminated or died). */
  readonly ended?: (link: WorkerLink) => void;
}

/** One worker thread and its control block. */
export class WorkerLink {
  /** The control block shared with the worker. */
  readonly control: Int32Array;
  /** Resolves when the thread has ended, however it ended. */
  readonly ended: Promise<void>;
  private readonly worker: Worker;
  private closing = false;
  private dead = false;

  /**
   * @param name - the container's name, for the thread's name and messages
   * @param events - where reports and deaths go
   */
  constructor(
    readonly name: string,
    events: WorkerLinkEvents,
  ) {
    this.control = new Int32Array(createControlBlock());
    this.worker = new Worker(workerScriptUrl('dedicated/worker'), { name: `ocre:${name}` });
    let endThread!: () => void;
    this.ended = new Promise((resolve) => (endThread = resolve));
    this.worker.on('message', (report: WorkerReport) => events.report(this, report));
    this.worker.on('error', (error: Error) => {
      if (this.closing || this.dead) return;
      this.dead = true;
      const outOfMemory = (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      events.death(
        this,
        new WasmWorkerError(
          `the worker of container "${name}" ${outOfMemory ? 'ran out of memory' : `failed: ${error.message}`}`,
          error,
        ),
      );
    });
    this.worker.on('exit', (code) => {
      const expected = this.closing || this.dead;
      this.dead = true;
      endThread();
      events.ended?.(this);
      if (!expected) {
        events.death(
          this,
          new WasmWorkerError(
            `the worker of container "${name}" exited unexpectedly (code ${code})`,
          ),
        );
      }
    });
  }

  /** False once the thread is ending or has ended. */
  get usable(): boolean {
    return !this.closing && !this.dead;
  }

  /** Send the worker a command. */
  post(command: WorkerCommand): void {
    this.worker.postMessage(command);
  }

  /** Let the thread keep the process alive (while it runs an instance) or not (while it idles). */
  keepAlive(alive: boolean): void {
    if (alive) this.worker.ref();
    else this.worker.unref();
  }

  /**
   * End the current instance so the worker can take another: the instance ends at once if it is
   * sleeping or idle; guest code that is running cannot be interrupted, so then the thread is
   * terminated instead.
   *
   * @param generation - the instance generation wanted next (stale starts are ignored)
   * @returns true when the worker survives and can be reused
   */
  abortInstance(generation: number): boolean {
    Atomics.store(this.control, C_GENERATION, generation);
    if (!this.usable) return false;
    if (this.tryAbort()) return true;
    void this.terminate();
    return false;
  }

  /** CAS a sleeping or idle instance to ABORT; false when guest code is running. */
  private tryAbort(): boolean {
    const { control } = this;
    for (;;) {
      const state = Atomics.load(control, C_STATE);
      if (state === STATE_NONE || state === STATE_ABORT) return true;
      if (state !== STATE_SLEEPING && state !== STATE_IDLE) return false;
      if (Atomics.compareExchange(control, C_STATE, state, STATE_ABORT) === state) {
        ringDoorbell(control);
        return true;
      }
      // It moved on between the load and the CAS: look again.
    }
  }

  /** Ask the thread to finish and exit; terminate it if it has not after `graceMs`. */
  async exit(graceMs: number): Promise<void> {
    if (this.dead) return;
    const { control } = this;
    Atomics.store(control, C_EXIT, 1);
    // Running guest code sees C_EXIT when it next yields, within the grace period or never.
    this.tryAbort();
    this.closing = true;
    ringDoorbell(control);
    this.post({ type: 'exit' });
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, graceMs, 'late')));
    const outcome = await Promise.race([this.ended, grace]);
    clearTimeout(timer);
    if (outcome === 'late') await this.terminate();
  }

  /** Stop the thread now, whatever it is doing. */
  async terminate(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }
}
