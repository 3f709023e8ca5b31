// Owns one instance inside a pooled worker: main runs in turns that end at ocre_sleep (asyncify unwinds it, a timer rewinds it), handlers run between them, and a trap or exit ends only this instance.
import type { WASI } from 'node:wasi';
import type { AsyncifyExports } from '../module/asyncify.ts';
import { ProcExit, instantiateGuest } from '../guest/instantiate.ts';
import { MessageWriter, RegionError } from '../guest/message-writer.ts';
import type { PoolStartCommand } from './pool-protocol.ts';
import { isFenced } from '../channel/delivery-lane.ts';
import type { SlotMessage } from '../channel/control-block.ts';
import { serializeError } from '../channel/worker-protocol.ts';
import type { HandlerFailedReport, WorkerReport } from '../channel/worker-protocol.ts';
import type { CurrentGuestHost } from '../current-api/current-guest-host.ts';
import { InstanceIo } from './instance-io.ts';
import type { HandOverCommand } from './pool-protocol.ts';
import type { DeliveryOutcome } from './ring-receiver.ts';
import { SuspendedMain } from './suspended-main.ts';

/** What an instance needs from the worker that hosts it. */
export interface PooledInstanceLinks {
  readonly post: (report: WorkerReport) => void;
  /** The worker's control block (call replies, watchdog words). */
  readonly control: Int32Array;
  /** Guest code of instance `id` is about to run / has stopped running (the watchdog's view). */
  readonly enter: (id: number) => void;
  readonly leave: () => void;
}

type Phase = 'new' | 'suspended' | 'idle' | 'dead';

/** What a handler's ocre_sleep blocks on: one word per worker thread is enough, as handlers never nest. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/** One container instance among many on a worker thread. */
export class PooledInstance {
  private readonly id: number;
  private readonly io: InstanceIo;
  private instance: WebAssembly.Instance | undefined;
  private wasi: WASI | undefined;
  private writer: MessageWriter | undefined;
  /** main, suspended at each ocre_sleep; undefined until instantiated. */
  private main: SuspendedMain | undefined;
  private phase: Phase = 'new';
  private mainStarted = false;
  private ready = false;
  private inHandler = false;
  /** Ocre's current API: the instance's own event queue and timers; undefined for the 2025 API. */
  private readonly current: CurrentGuestHost | undefined;

  /**
   * @param command - what to run (its `generation` is the instance's id)
   * @param module - the asyncified module
   * @param links - the worker's reporting channel, control block and watchdog hooks
   */
  constructor(
    private readonly command: PoolStartCommand,
    private readonly module: WebAssembly.Module,
    private readonly links: PooledInstanceLinks,
  ) {
    this.id = command.generation;
    this.io = new InstanceIo(command, module, links.post, links.control, {
      sleep: (milliseconds) => this.sleep(milliseconds),
      onEvent: () => this.wake(),
    });
    this.current = this.io.current;
  }

  /**
   * Instantiate and run main to its first yield (or its end), unless the main thread killed the
   * instance before the worker got to its start.
   *
   * @returns false when the start was cancelled (nothing ran, nothing is reported)
   */
  start(): boolean {
    // Instantiation runs guest code too (a start function, data segments): the watchdog sees it.
    this.links.enter(this.id);
    // After enter(): a kill either fenced the lane before this load (the start is dropped here),
    // or it reads this instance as running and has the watchdog end it if it never yields.
    // Without this, a start killed while still queued ran anyway, unwatched, and a main that
    // never yields then hung the worker (and every instance placed on it) for good.
    if (isFenced(new Int32Array(this.command.lane))) {
      this.links.leave();
      this.end();
      return false;
    }
    try {
      this.instantiate();
      this.links.leave();
    } catch (error) {
      this.links.leave();
      this.end();
      const permanent =
        error instanceof WebAssembly.LinkError ||
        error instanceof WebAssembly.CompileError ||
        error instanceof RegionError;
      this.links.post({
        type: 'start-failed',
        generation: this.id,
        error: serializeError(error),
        permanent,
      });
      return true;
    }
    this.runMain();
    return true;
  }

  /** True while the instance takes mail: main is suspended in ocre_sleep or has returned 0. */
  get acceptsMail(): boolean {
    return this.phase === 'suspended' || this.phase === 'idle';
  }

  /**
   * Run a handler on a message (the 2025 API); main stays suspended meanwhile. The outcome is
   * returned, not posted: the caller reports it (a completion in shared memory, a failure as a
   * report). A current-API instance takes its mail through {@link handOver} instead.
   */
  deliver(message: SlotMessage): DeliveryOutcome {
    if (!this.acceptsMail || this.current !== undefined) {
      return refused(
        this.id,
        this.current !== undefined
          ? `instance ${this.id} runs Ocre's current API: its mail is handed over, not delivered to a handler`
          : `instance ${this.id} is ${this.phase}, not ready for mail`,
      );
    }
    // Guest code runs between enter and leave; the outcome reaches the main thread only after
    // leave(): once it hears it, no guest code of this instance runs, so a kill then never
    // mistakes it for a runaway.
    this.links.enter(this.id);
    this.inHandler = true;
    try {
      const placed = (this.writer as MessageWriter).place(message);
      if (typeof placed === 'string') {
        this.links.leave();
        return refused(this.id, placed);
      }
      placed.call();
      this.links.leave();
    } catch (error) {
      this.links.leave();
      if (error instanceof ProcExit && error.code === 0) {
        // main is over; the instance keeps serving mail.
        this.main?.cancelResume();
        this.phase = 'idle';
        this.io.flushOutput();
        return { type: 'delivered', generation: this.id, exited: true };
      }
      this.end();
      return {
        type: 'handler-failed',
        generation: this.id,
        kind: error instanceof ProcExit ? 'exit' : 'trap',
        ...(error instanceof ProcExit ? { exitCode: error.code } : {}),
        error: serializeError(error),
      };
    } finally {
      this.inHandler = false;
    }
    this.io.port.flushRejected();
    return { type: 'delivered', generation: this.id, exited: false };
  }

  /** Drop the instance: never run its guest code again. */
  end(): void {
    this.phase = 'dead';
    this.main?.cancelResume();
    this.io.close();
    this.instance = undefined;
    this.writer = undefined;
  }

  /** Ocre's current API: a routed message goes into the instance's event queue, which wakes it. */
  handOver(command: HandOverCommand): void {
    if (this.phase === 'dead') return;
    (this.current as CurrentGuestHost).deliver(command);
    // An outcome (a full queue: no wake-up) is reported now, unless main was just woken (or is
    // about to run anyway) and reports it at its next ocre_sleep.
    if (this.main?.resumeQueued !== true) this.current?.flush();
  }

  /** An event reached a current-API instance: end main's ocre_sleep now instead of at its deadline. */
  private wake(): void {
    if (this.phase === 'suspended') this.main?.wake();
  }

  private instantiate(): void {
    const current = this.current;
    const guest = instantiateGuest(
      { ...this.command, module: this.module },
      {
        port: this.io.port,
        post: this.links.post,
        stdout: this.io.stdout,
        stderr: this.io.stderr,
        sleep: (milliseconds) => this.sleep(milliseconds),
        ...(current === undefined ? {} : { currentEnv: current.env.bind(current) }),
      },
    );
    if (current === undefined)
      this.writer = new MessageWriter(guest.memory, guest.instance.exports, this.command);
    // One page of the guest's memory holds main's unwound frames while it sleeps.
    this.main = new SuspendedMain(
      guest.memory.memory,
      guest.instance.exports as unknown as AsyncifyExports,
      () => this.runMain(),
    );
    this.instance = guest.instance;
    this.wasi = guest.wasi;
  }

  /** ocre_sleep: in main, unwind to the worker and resume after `milliseconds`; in a handler, block (handlers never nest). */
  private sleep(milliseconds: number): number {
    const main = this.main as SuspendedMain;
    // The current API's ocre_sleep returns the whole milliseconds left when an event ended it.
    if (main.rewinding) return main.endRewind();
    const delay = Math.max(0, milliseconds | 0);
    this.io.flushPending();
    // Only an event that arrives from now on ends this sleep early.
    this.current?.takeArrival();
    main.beginSleep(delay);
    if (this.inHandler) {
      if (delay > 0) Atomics.wait(pause, 0, 0, delay);
      return 0;
    }
    main.unwind(delay);
    return 0;
  }

  /** One turn of main: from its start or its last ocre_sleep to its next one, or its end. */
  private runMain(): void {
    const { instance, main } = this;
    if (instance === undefined || main === undefined || this.phase === 'dead') return;
    let exitCode = 0;
    this.links.enter(this.id);
    try {
      if (this.mainStarted) {
        main.rewind();
        (instance.exports['_start'] as () => void)();
      } else {
        this.mainStarted = true;
        (this.wasi as WASI).start(instance);
      }
      this.links.leave();
    } catch (error) {
      this.links.leave();
      if (!(error instanceof ProcExit)) {
        this.end();
        this.links.post({ type: 'trap', generation: this.id, error: serializeError(error) });
        return;
      }
      exitCode = error.code;
    }
    if (exitCode === 0 && main.unwinding) {
      this.phase = 'suspended';
      main.suspend();
      if (!this.ready) {
        this.ready = true;
        this.links.post({ type: 'ready', generation: this.id });
      }
      return;
    }
    main.settle();
    this.io.flushPending();
    this.io.flushOutput();
    if (exitCode === 0) {
      this.phase = 'idle';
      this.links.post({ type: 'exited', generation: this.id, code: 0 });
      return;
    }
    this.end();
    this.links.post({ type: 'exited', generation: this.id, code: exitCode });
  }
}

/** A delivery refused before its handler ran (`message` says why): the instance lives on. */
function refused(id: number, message: string): HandlerFailedReport {
  return {
    type: 'handler-failed',
    generation: id,
    kind: 'delivery',
    error: { name: 'Error', message },
  };
}
