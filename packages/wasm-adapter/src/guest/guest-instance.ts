// Owns one guest instance inside a worker: instantiation with WASI, running main, ocre_sleep with early wake-up for mail, the idle mail loop, and reporting traps and exits.
import type { WASI } from 'node:wasi';
import {
  C_DOORBELL,
  C_EXIT,
  C_MAIL,
  C_STATE,
  STATE_ABORT,
  STATE_IDLE,
  STATE_NONE,
  STATE_RUNNING,
  STATE_SLEEPING,
} from '../channel/control-block.ts';
import type { GuestEventHost, GuestEventHostFactory } from './event-host.ts';
import { sleepOnEvents, takeSlotMessage } from './event-wait.ts';
import { ProcExit, instantiateGuest } from './instantiate.ts';
import { MessageWriter, RegionError } from './message-writer.ts';
import { GuestChannels } from './guest-channels.ts';
import type { WorkerMessagingPort } from './worker-port.ts';
import { serializeError } from '../channel/worker-protocol.ts';
import type { StartCommand, WorkerReport } from '../channel/worker-protocol.ts';

/**
 * Thrown from ocre_sleep to unwind main without running more guest code: `abort` (the host ended
 * the instance), `dead` (a handler trapped; already reported), `idle` (a handler called
 * proc_exit(0): main is over, mail still flows; already reported).
 */
class Unwind extends Error {
  constructor(readonly reason: 'abort' | 'dead' | 'idle') {
    super(`unwinding the guest: ${reason}`);
  }
}

type Verdict = 'ok' | 'dead' | 'idle';

/** One instance of a container module, driven by the worker that owns it. */
export class GuestInstance {
  private readonly control: Int32Array;
  private readonly generation: number;
  private readonly channels: GuestChannels;
  private readonly port: WorkerMessagingPort;
  private instance: WebAssembly.Instance | undefined;
  private wasi: WASI | undefined;
  private writer: MessageWriter | undefined;
  private ready = false;
  private inHandler = false;
  private outcome: WorkerReport | undefined;
  /** Ocre's current API: the instance's own events; undefined for the 2025 API. */
  private readonly events: GuestEventHost | undefined;

  /**
   * @param command - what to run and the shared memory to run it with
   * @param post - sends a report to the main thread
   * @param isCurrent - false once the worker has moved on to another instance
   * @param eventHost - makes the events side of a module of Ocre's current API
   */
  constructor(
    private readonly command: StartCommand,
    private readonly post: (report: WorkerReport) => void,
    private readonly isCurrent: () => boolean,
    eventHost?: GuestEventHostFactory,
  ) {
    this.control = new Int32Array(command.control);
    this.generation = command.generation;
    this.channels = new GuestChannels(command, this.control, post);
    this.port = this.channels.port;
    this.events = eventHost?.({
      port: this.port,
      sleep: (milliseconds) => this.sleep(milliseconds),
    });
  }

  /** Instantiate and run main; returns when main has yielded for good (returned, exited, trapped, or unwound). */
  run(): void {
    try {
      this.instantiate();
    } catch (error) {
      this.end();
      const permanent =
        error instanceof WebAssembly.LinkError ||
        error instanceof WebAssembly.CompileError ||
        error instanceof RegionError;
      this.post({
        type: 'start-failed',
        generation: this.generation,
        error: serializeError(error),
        permanent,
      });
      return;
    }
    let exitCode = 0;
    try {
      (this.wasi as WASI).start(this.instance as WebAssembly.Instance);
    } catch (error) {
      if (error instanceof Unwind) {
        if (error.reason === 'idle') this.enterIdle();
        else if (error.reason === 'abort') this.end();
        return;
      }
      if (!(error instanceof ProcExit)) {
        this.end();
        this.post({ type: 'trap', generation: this.generation, error: serializeError(error) });
        return;
      }
      exitCode = error.code;
    }
    this.port.flushRejected();
    this.events?.flush();
    this.flushOutput();
    const exited: WorkerReport = { type: 'exited', generation: this.generation, code: exitCode };
    if (exitCode === 0) {
      this.outcome = exited;
      this.enterIdle();
      return;
    }
    this.end();
    this.post(exited);
  }

  /** Emit partial output lines. */
  flushOutput(): void {
    this.channels.flushOutput();
  }

  private instantiate(): void {
    const guest = instantiateGuest(this.command, {
      port: this.port,
      post: this.post,
      stdout: this.channels.stdout,
      stderr: this.channels.stderr,
      sleep: (milliseconds) => this.sleep(milliseconds),
      ...(this.events === undefined ? {} : { currentEnv: this.events.env.bind(this.events) }),
    });
    if (this.events === undefined)
      this.writer = new MessageWriter(guest.memory, guest.instance.exports, this.command);
    this.instance = guest.instance;
    this.wasi = guest.wasi;
  }

  /** ocre_sleep: yield for `milliseconds`, handling mail as it arrives. */
  private sleep(milliseconds: number): number {
    const { control } = this;
    if (this.events !== undefined) {
      this.port.flushRejected();
      this.events.flush();
      Atomics.store(control, C_STATE, STATE_SLEEPING);
      this.postReady();
      return sleepOnEvents(control, this.command.slot, this.events, milliseconds, {
        aborted: () =>
          Atomics.load(control, C_STATE) === STATE_ABORT || Atomics.load(control, C_EXIT) === 1,
        enter: () => this.enter(STATE_SLEEPING),
        onAbort: () => {
          throw new Unwind('abort');
        },
      });
    }
    const deadline = performance.now() + Math.max(0, milliseconds | 0);
    // SLEEPING before any report: once the main thread hears of it, a kill can reuse the worker.
    Atomics.store(control, C_STATE, STATE_SLEEPING);
    this.postReady();
    for (;;) {
      const seen = Atomics.load(control, C_DOORBELL);
      if (Atomics.load(control, C_STATE) === STATE_ABORT || Atomics.load(control, C_EXIT) === 1) {
        throw new Unwind('abort');
      }
      if (!this.inHandler && Atomics.load(control, C_MAIL) === 1) {
        if (!this.enter(STATE_SLEEPING)) continue;
        const verdict = this.deliverOne();
        if (verdict !== 'ok') throw new Unwind(verdict);
        Atomics.store(control, C_STATE, STATE_SLEEPING);
        this.postOutcome();
        continue;
      }
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        if (!this.enter(STATE_SLEEPING)) continue;
        return 0;
      }
      Atomics.wait(control, C_DOORBELL, seen, remaining);
    }
  }

  private postReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.post({ type: 'ready', generation: this.generation });
  }

  /** main is over: serve mail from the event loop until the instance is aborted or dies. */
  private enterIdle(): void {
    Atomics.store(this.control, C_STATE, STATE_IDLE);
    this.postOutcome();
    this.pumpIdle();
  }

  private pumpIdle(): void {
    const { control } = this;
    while (this.isCurrent()) {
      const seen = Atomics.load(control, C_DOORBELL);
      const state = Atomics.load(control, C_STATE);
      if (state === STATE_ABORT || Atomics.load(control, C_EXIT) === 1) {
        this.end();
        return;
      }
      if (state !== STATE_IDLE) return;
      if (this.events !== undefined && Atomics.load(control, C_MAIL) === 1) {
        // Queued for a main that no longer polls: taken out of the slot, never run.
        takeSlotMessage(control, this.command.slot, this.events);
        continue;
      }
      if (Atomics.load(control, C_MAIL) === 1) {
        if (!this.enter(STATE_IDLE)) continue;
        let verdict: Verdict;
        try {
          verdict = this.deliverOne();
        } catch (error) {
          if (!(error instanceof Unwind)) throw error;
          this.end();
          return;
        }
        if (verdict === 'dead') return;
        Atomics.store(control, C_STATE, STATE_IDLE);
        this.postOutcome();
        continue;
      }
      const wait = Atomics.waitAsync(control, C_DOORBELL, seen);
      if (wait.async) {
        void wait.value.then(() => this.pumpIdle());
        return;
      }
    }
  }

  /** CAS `from` → RUNNING; false when the main thread aborted the instance first. */
  private enter(from: number): boolean {
    return Atomics.compareExchange(this.control, C_STATE, from, STATE_RUNNING) === from;
  }

  /** Run the handler for the message in the slot; the state is RUNNING. */
  private deliverOne(): Verdict {
    this.inHandler = true;
    try {
      const placed = (this.writer as MessageWriter).take(this.control, this.command.slot);
      if (typeof placed === 'string') return this.failDelivery(placed);
      placed.call();
    } catch (error) {
      if (error instanceof Unwind) throw error;
      if (error instanceof ProcExit && error.code === 0) {
        this.flushOutput();
        this.outcome = { type: 'delivered', generation: this.generation, exited: true };
        return 'idle';
      }
      this.end();
      this.post({
        type: 'handler-failed',
        generation: this.generation,
        kind: error instanceof ProcExit ? 'exit' : 'trap',
        ...(error instanceof ProcExit ? { exitCode: error.code } : {}),
        error: serializeError(error),
      });
      return 'dead';
    } finally {
      this.inHandler = false;
    }
    this.port.flushRejected();
    this.outcome = { type: 'delivered', generation: this.generation, exited: false };
    return 'ok';
  }

  private failDelivery(reason: string): Verdict {
    this.outcome = {
      type: 'handler-failed',
      generation: this.generation,
      kind: 'delivery',
      error: { name: 'Error', message: reason },
    };
    return 'ok';
  }

  /** Report a delivery that left the instance alive, once its state says it yields again. */
  private postOutcome(): void {
    const { outcome } = this;
    this.outcome = undefined;
    if (outcome !== undefined) this.post(outcome);
  }

  /** The instance is over: the worker may take a new one. Never run its guest code again. */
  private end(): void {
    this.flushOutput();
    this.port.flushRejected();
    this.events?.dispose();
    if (this.isCurrent()) Atomics.store(this.control, C_STATE, STATE_NONE);
  }
}
