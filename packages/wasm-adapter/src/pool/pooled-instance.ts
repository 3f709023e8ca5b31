// Owns one instance inside a pooled worker: main runs in turns that end at ocre_sleep (asyncify unwinds it, a timer rewinds it), handlers run between them, and a trap or exit ends only this instance.
import type { WASI } from 'node:wasi';
import { ASYNCIFY_NORMAL, ASYNCIFY_REWINDING, ASYNCIFY_UNWINDING } from '../module/asyncify.ts';
import type { AsyncifyExports } from '../module/asyncify.ts';
import { ProcExit, instantiateGuest } from '../guest/instantiate.ts';
import { MessageWriter, RegionError } from '../guest/message-writer.ts';
import type { PoolStartCommand } from './pool-protocol.ts';
import { isFenced } from '../channel/delivery-lane.ts';
import type { SlotMessage } from '../channel/control-block.ts';
import { LineSink } from '../guest/wasi-output.ts';
import { WorkerMessagingPort } from '../guest/worker-port.ts';
import { serializeError } from '../channel/worker-protocol.ts';
import type {
  DeliveredReport,
  HandlerFailedReport,
  WorkerReport,
} from '../channel/worker-protocol.ts';
import { CurrentGuestHost, eventLoopClock } from '../current-api/current-guest-host.ts';
import type { HandOverCommand } from './pool-protocol.ts';

/** How one delivery to an instance ended. */
export type DeliveryOutcome = DeliveredReport | HandlerFailedReport;

const PAGE_BYTES = 65536;

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

/** One container instance among many on a worker thread. */
export class PooledInstance {
  private readonly id: number;
  private readonly port: WorkerMessagingPort;
  private readonly stdout: LineSink;
  private readonly stderr: LineSink;
  private readonly pause = new Int32Array(new SharedArrayBuffer(4));
  private instance: WebAssembly.Instance | undefined;
  private wasi: WASI | undefined;
  private writer: MessageWriter | undefined;
  private asyncify: AsyncifyExports | undefined;
  private memory: WebAssembly.Memory | undefined;
  private dataAddress = 0;
  private phase: Phase = 'new';
  private mainStarted = false;
  private ready = false;
  private inHandler = false;
  private sleepMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** Ocre's current API: the instance's own event queue and timers; undefined for the 2025 API. */
  private readonly current: CurrentGuestHost | undefined;
  /** When main's ocre_sleep is due to end, and whether an event ended it early. */
  private sleepDeadline = 0;
  private wokeEarly = false;
  private readonly resume = () => {
    this.timer = undefined;
    this.immediate = undefined;
    this.runMain();
  };

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
    this.port = new WorkerMessagingPort({
      generation: this.id,
      control: links.control,
      sharedQueue: command.sharedQueue,
      producerId: command.producerId,
      topicMatching: command.topicMatching,
      post: links.post,
    });
    const emit = (stream: 'stdout' | 'stderr') => (line: string) =>
      links.post({ type: 'output', generation: this.id, stream, line });
    this.stdout = new LineSink(emit('stdout'));
    this.stderr = new LineSink(emit('stderr'));
    this.current =
      command.api === 'current'
        ? new CurrentGuestHost({
            generation: this.id,
            name: command.name,
            limits: command.limits,
            module,
            port: this.port,
            post: links.post,
            clock: eventLoopClock,
            sleep: (milliseconds) => this.sleep(milliseconds),
            onEvent: () => this.wake(),
            ...(command.devices === undefined ? {} : { devices: command.devices }),
          })
        : undefined;
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
      const error = {
        name: 'Error',
        message:
          this.current !== undefined
            ? `instance ${this.id} runs Ocre's current API: its mail is handed over, not delivered to a handler`
            : `instance ${this.id} is ${this.phase}, not ready for mail`,
      };
      return { type: 'handler-failed', generation: this.id, kind: 'delivery', error };
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
        const error = { name: 'Error', message: placed };
        return { type: 'handler-failed', generation: this.id, kind: 'delivery', error };
      }
      placed.call();
      this.links.leave();
    } catch (error) {
      this.links.leave();
      if (error instanceof ProcExit && error.code === 0) {
        // main is over; the instance keeps serving mail.
        this.cancelTimer();
        this.phase = 'idle';
        this.flushOutput();
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
    this.port.flushRejected();
    return { type: 'delivered', generation: this.id, exited: false };
  }

  /** Drop the instance: never run its guest code again. */
  end(): void {
    this.phase = 'dead';
    this.cancelTimer();
    this.flushOutput();
    this.port.flushRejected();
    this.current?.dispose();
    this.instance = undefined;
    this.writer = undefined;
  }

  private flushOutput(): void {
    this.stdout.flush();
    this.stderr.flush();
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  /** Ocre's current API: a routed message goes into the instance's event queue, which wakes it. */
  handOver(command: HandOverCommand): void {
    if (this.phase === 'dead') return;
    (this.current as CurrentGuestHost).deliver(command);
    // An outcome (a full queue: no wake-up) is reported now, unless main was just woken (or is
    // about to run anyway) and reports it at its next ocre_sleep.
    if (this.immediate === undefined) this.current?.flush();
  }

  /** An event reached a current-API instance: end main's ocre_sleep now instead of at its deadline. */
  private wake(): void {
    if (this.phase !== 'suspended' || this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.wokeEarly = true;
    this.immediate = setImmediate(this.resume);
  }

  private instantiate(): void {
    const current = this.current;
    const guest = instantiateGuest(
      { ...this.command, module: this.module },
      {
        port: this.port,
        post: this.links.post,
        stdout: this.stdout,
        stderr: this.stderr,
        sleep: (milliseconds) => this.sleep(milliseconds),
        ...(current === undefined ? {} : { currentEnv: current.env.bind(current) }),
      },
    );
    if (current === undefined)
      this.writer = new MessageWriter(guest.memory, guest.instance.exports, this.command);
    const memory = guest.memory.memory;
    try {
      // One page of the guest's memory holds main's unwound frames while it sleeps.
      this.dataAddress = memory.grow(1) * PAGE_BYTES;
    } catch (error) {
      throw new RegionError(
        `a pooled instance needs one more page of memory for its suspended main, but memoryMaxPages leaves no room (${memory.buffer.byteLength / PAGE_BYTES} pages in use); raise memoryMaxPages by 1 or use isolation: 'worker'`,
        { cause: error },
      );
    }
    this.memory = memory;
    this.asyncify = guest.instance.exports as unknown as AsyncifyExports;
    this.instance = guest.instance;
    this.wasi = guest.wasi;
  }

  /** ocre_sleep: in main, unwind to the worker and resume after `milliseconds`; in a handler, block (handlers never nest). */
  private sleep(milliseconds: number): number {
    const asyncify = this.asyncify as AsyncifyExports;
    if (asyncify.asyncify_get_state() === ASYNCIFY_REWINDING) {
      asyncify.asyncify_stop_rewind();
      // The current API's ocre_sleep returns the whole milliseconds left when an event ended it.
      if (!this.wokeEarly) return 0;
      this.wokeEarly = false;
      return Math.max(0, Math.ceil(this.sleepDeadline - performance.now()));
    }
    const delay = Math.max(0, milliseconds | 0);
    this.port.flushRejected();
    this.current?.flush();
    // Only an event that arrives from now on ends this sleep early.
    this.current?.takeArrival();
    this.sleepDeadline = performance.now() + delay;
    this.wokeEarly = false;
    if (this.inHandler) {
      if (delay > 0) Atomics.wait(this.pause, 0, 0, delay);
      return 0;
    }
    const words = new Int32Array((this.memory as WebAssembly.Memory).buffer);
    words[this.dataAddress >> 2] = this.dataAddress + 8;
    words[(this.dataAddress >> 2) + 1] = this.dataAddress + PAGE_BYTES;
    this.sleepMs = delay;
    asyncify.asyncify_start_unwind(this.dataAddress);
    return 0;
  }

  /** One turn of main: from its start or its last ocre_sleep to its next one, or its end. */
  private runMain(): void {
    const instance = this.instance;
    const asyncify = this.asyncify;
    if (instance === undefined || asyncify === undefined || this.phase === 'dead') return;
    let exitCode = 0;
    this.links.enter(this.id);
    try {
      if (this.mainStarted) {
        asyncify.asyncify_start_rewind(this.dataAddress);
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
    if (exitCode === 0 && asyncify.asyncify_get_state() === ASYNCIFY_UNWINDING) {
      asyncify.asyncify_stop_unwind();
      this.phase = 'suspended';
      // ocre_sleep(0) yields to the other instances and pending mail only: no 1 ms timer floor.
      if (this.sleepMs === 0) this.immediate = setImmediate(this.resume);
      else this.timer = setTimeout(this.resume, this.sleepMs);
      if (!this.ready) {
        this.ready = true;
        this.links.post({ type: 'ready', generation: this.id });
      }
      return;
    }
    if (asyncify.asyncify_get_state() !== ASYNCIFY_NORMAL) asyncify.asyncify_stop_unwind();
    this.port.flushRejected();
    this.current?.flush();
    this.flushOutput();
    if (exitCode === 0) {
      this.phase = 'idle';
      this.links.post({ type: 'exited', generation: this.id, code: 0 });
      return;
    }
    this.end();
    this.links.post({ type: 'exited', generation: this.id, code: exitCode });
  }
}
