// Owns the main thread's handle on one pooled worker: spawning it, the instances attached to it, the modules already sent, its watchdog words, and telling every instance when the worker goes down.
import { Worker } from 'node:worker_threads';
import { C_RUNNING, C_TURN, createControlBlock, writeReply } from '../channel/control-block.ts';
import { WasmWorkerError } from '../errors.ts';
import type { EndedReport, PoolCommand } from './pool-protocol.ts';
import type { WorkerReport } from '../channel/worker-protocol.ts';
import { workerScriptUrl } from '../channel/worker-script.ts';
import { RingSender } from './ring-sender.ts';

/** An instance attached to a pooled worker: the runtime that owns it. */
export interface PoolMember {
  /** A report about this instance. */
  report(report: WorkerReport | EndedReport): void;
  /** The worker went down under this instance; `culprit` is the id of the instance that hung it, if one did. */
  workerDown(error: WasmWorkerError, culprit: number | undefined): void;
  /**
   * How long the current turn of this instance may run before the watchdog declares it runaway;
   * undefined when the container times that turn itself (a start, or mail in flight): one owner
   * per deadline.
   */
  watchdogBudgetMs(): number | undefined;
  /** The instance hung its worker: it is being taken down with it. */
  runaway(elapsedMs: number): void;
  /** The worker's thread has ended: free the shared queue's lock if it died holding it. */
  threadEnded(): void;
  /** The container's name. */
  containerName(): string;
}

/** One pooled worker thread and the instances on it. */
export class PoolLink {
  /** The control block shared with the worker (call replies, watchdog words). */
  readonly control: Int32Array;
  /** Resolves when the thread has ended, however it ended. */
  readonly ended: Promise<void>;
  /** Resolves when the thread has started running JavaScript. */
  readonly online: Promise<void>;
  /** The instances on this worker, by id. */
  readonly members = new Map<number, PoolMember>();
  /** Deliveries to this worker's instances go through its ring. */
  readonly deliveries: RingSender;
  private readonly sent = new Set<string>();
  private readonly worker: Worker;
  private closing = false;
  private dead = false;
  private observed = { running: 0, turn: -1, since: 0 };
  /** Budgets of instances detached (killed) while their turn was still running. */
  private readonly zombies = new Map<number, number>();

  /**
   * @param name - the thread's name
   * @param ringBytes - bytes of its delivery ring's data area (a power of two)
   */
  constructor(
    readonly name: string,
    ringBytes: number,
  ) {
    const control = createControlBlock();
    this.control = new Int32Array(control);
    this.deliveries = new RingSender(ringBytes);
    this.worker = new Worker(workerScriptUrl('pool/pool-worker'), {
      name,
      workerData: { control, ring: this.deliveries.ring },
    });
    this.worker.unref();
    this.online = new Promise((resolve) => this.worker.once('online', () => resolve()));
    let endThread!: () => void;
    this.ended = new Promise((resolve) => (endThread = resolve));
    this.worker.on('message', (report: WorkerReport | EndedReport) => this.onReport(report));
    this.worker.on('error', (error: Error) => {
      const outOfMemory = (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.down(
        `the pooled worker ${name} ${outOfMemory ? 'ran out of memory' : `failed: ${error.message}`}`,
        undefined,
        error,
      );
    });
    this.worker.on('exit', (code) => {
      this.down(`the pooled worker ${name} exited unexpectedly (code ${code})`, undefined);
      this.dead = true;
      endThread();
      for (const member of this.endedMembers) member.threadEnded();
      this.endedMembers = [];
    });
  }

  private endedMembers: PoolMember[] = [];

  /** False once the thread is ending or has ended. */
  get usable(): boolean {
    return !this.closing && !this.dead;
  }

  /** Attach instance `id` (its reports go to `member`); the worker keeps the process alive while it has instances. */
  attach(id: number, member: PoolMember): void {
    this.members.set(id, member);
    if (this.members.size === 1) this.worker.ref();
  }

  /** Detach instance `id`; its later reports are dropped. */
  detach(id: number): void {
    if (!this.members.delete(id)) return;
    if (this.members.size === 0) this.worker.unref();
  }

  /** Send `module` under `key` unless this worker already has it. */
  ensureModule(key: string, module: WebAssembly.Module): void {
    if (this.sent.has(key)) return;
    this.sent.add(key);
    this.post({ type: 'module', key, module });
  }

  /** Send the worker a command. */
  post(command: PoolCommand): void {
    if (this.usable) this.worker.postMessage(command);
  }

  /** The id of the instance whose guest code runs now, or 0. */
  runningId(): number {
    return Atomics.load(this.control, C_RUNNING);
  }

  /**
   * The watchdog's look: when one turn of one instance has run past that instance's budget,
   * the worker is taken down (the runaway told so), and true is returned.
   */
  check(now: number): boolean {
    if (!this.usable) return false;
    const running = Atomics.load(this.control, C_RUNNING);
    const turn = Atomics.load(this.control, C_TURN);
    const seen = this.observed;
    if (running === 0 || running !== seen.running || turn !== seen.turn) {
      this.observed = { running, turn, since: now };
      return false;
    }
    const member = this.members.get(running);
    // A member's turn is judged by its own budget (none while it starts); a detached one's by the
    // budget it left behind.
    const budget = member !== undefined ? member.watchdogBudgetMs() : this.zombies.get(running);
    const elapsed = now - seen.since;
    if (budget === undefined || elapsed <= budget) return false;
    this.hang(running, elapsed);
    return true;
  }

  /** How long the watchdog has seen the current turn of instance `id` run (0 if it is not running). */
  turnAge(id: number, now: number): number {
    const seen = this.observed;
    const running = Atomics.load(this.control, C_RUNNING);
    const turn = Atomics.load(this.control, C_TURN);
    return running === id && seen.running === id && seen.turn === turn ? now - seen.since : 0;
  }

  /** Instance `id` was detached mid-turn: if that turn never ends, the watchdog still ends it after `budgetMs`. */
  watchZombie(id: number, budgetMs: number): void {
    this.zombies.set(id, budgetMs);
    if (this.zombies.size > 64) this.zombies.delete(this.zombies.keys().next().value as number);
  }

  /** Instance `culprit` does not yield: terminate the worker, telling the culprit and every sibling. */
  hang(culprit: number, elapsedMs: number): void {
    if (!this.usable) return;
    const offender = this.members.get(culprit);
    if (offender !== undefined) {
      this.members.delete(culprit);
      this.endedMembers.push(offender);
      offender.runaway(elapsedMs);
    }
    this.down(
      `its pooled worker ${this.name} was terminated because a sibling container did not yield for ${Math.round(elapsedMs)} ms`,
      culprit,
    );
    void this.worker.terminate();
  }

  /** Ask the thread to exit (it has no instances left). */
  close(): void {
    if (!this.usable) return;
    this.closing = true;
    this.worker.postMessage({ type: 'exit' } satisfies PoolCommand);
    this.worker.unref();
  }

  private down(reason: string, culprit: number | undefined, cause?: unknown): void {
    if (!this.usable) return;
    this.closing = true;
    this.deliveries.close();
    const members = [...this.members.values()];
    this.members.clear();
    this.endedMembers.push(...members);
    const error = new WasmWorkerError(reason, cause);
    for (const member of members) member.workerDown(error, culprit);
  }

  private onReport(report: WorkerReport | EndedReport): void {
    const member = this.members.get(report.generation);
    if (member !== undefined) {
      member.report(report);
      return;
    }
    if (report.type === 'subscribe' || report.type === 'publish') {
      // Always answer, or the worker would wait for nothing.
      writeReply(this.control, {
        status: -1,
        code: 'SHUTTING_DOWN',
        message: 'the container instance is ending',
      });
    }
  }
}
