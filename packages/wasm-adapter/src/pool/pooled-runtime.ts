// Owns the ContainerRuntime of a pooled WASM container: starting its instance on a pool worker (or in quarantine), delivering its mail there, and stopping or killing it.
import type { OcreMessage } from '@ocre-ts/core';
import type { ContainerRuntime, InFlightProgress, RuntimeHost } from '@ocre-ts/actors';
import { WasmWorkerError } from '../errors.ts';
import { InFlight } from './in-flight.ts';
import type { LoadedWasmModule } from '../module/module-loader.ts';
import type { PoolLink } from './pool-link.ts';
import { PoolMembership } from './pool-membership.ts';
import type { WasmPool } from './wasm-pool.ts';
import type { DeviceDeclarations } from '../channel/worker-protocol.ts';
import { defaultStopGraceMs } from '../defaults.ts';
import { currentEventHandler } from '../current-api/current-guest-host.ts';
import type { HandedOverMessages } from '../current-api/handed-over.ts';

/** How a {@link PooledRuntime} runs its instances. */
export interface PooledRuntimeOptions {
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** A turn of main or a handler longer than this is runaway. Default 5000 ms. */
  readonly handlerTimeoutMs?: number;
  /**
   * The container's start timeout. The start itself is judged by the container's start timer, not
   * by the pool's watchdog; this is the budget of a start's turn still running after a stop
   * detached it. Default 5000 ms.
   */
  readonly startTimeoutMs?: number;
  /** How long a graceful stop waits for the worker to flush the instance. Default 500 ms. */
  readonly stopGraceMs?: number;
  /** Ocre's current API: the container's simulated sensors and GPIO pin names. */
  readonly devices?: DeviceDeclarations;
}

let nextInstanceId = 0;
const encoder = new TextEncoder();

/**
 * Runs a container as one instance on a shared pool worker (see {@link WasmPool}). A trap or
 * exit ends only this instance. An instance that hangs its worker is restarted in a worker of
 * its own (quarantine) for the rest of the runtime's life.
 */
export class PooledRuntime extends PoolMembership implements ContainerRuntime {
  /** Deliveries this container may have in its worker's ring at once (the pool's `maxInFlight`). */
  readonly maxInFlight: number;
  private readonly handlerIndex: ReadonlyMap<string, number>;

  /**
   * @param loaded - the validated module
   * @param module - its asyncified, compiled form
   * @param moduleKey - the key it is sent to workers under
   * @param pool - the pool to run in
   * @param options - argv, environment, budgets
   */
  constructor(
    readonly loaded: LoadedWasmModule,
    private readonly module: WebAssembly.Module,
    private readonly moduleKey: string,
    pool: WasmPool,
    private readonly options: PooledRuntimeOptions = {},
  ) {
    super(loaded, pool, options);
    // A current-API container takes its mail from its own event queue, one hand-over at a time.
    this.maxInFlight = loaded.api === 'current' ? 1 : pool.maxInFlight;
    this.handlerIndex = new Map(loaded.handlers.map((name, index) => [name, index]));
  }

  /** The name of the worker thread the current instance runs on, if any. */
  get workerName(): string | undefined {
    return this.link?.name;
  }

  /** Deliveries handed to the current instance and not settled yet (in its worker's ring, or waiting for room in it). */
  get deliveriesInFlight(): number {
    return this.inFlight.size;
  }

  /** True when the module exports a handler by this name (a current-API module has one: its event queue). */
  hasHandler(handlerName: string): boolean {
    if (this.handedOver !== undefined) return handlerName === currentEventHandler;
    return this.handlerIndex.has(handlerName);
  }

  /** Start a fresh instance on a pool worker; resolves at main's first `ocre_sleep` or return. */
  async start(host: RuntimeHost): Promise<void> {
    this.detach();
    const previous = this.endingThread;
    this.endingThread = undefined;
    if (previous !== undefined) await previous;
    this.host = host;
    this.alive = false;
    this.stopping = false;
    const link = this.quarantined ? this.pool.quarantine(host.name) : this.pool.assign();
    const id = ++nextInstanceId;
    this.link = link;
    this.id = id;
    this.inFlight = new InFlight();
    this.interrupted = false;
    link.attach(id, this);
    link.ensureModule(this.moduleKey, this.module);
    return new Promise<void>((resolve, reject) => {
      this.starting = { resolve, reject };
      link.post({
        type: 'start',
        generation: id,
        key: this.moduleKey,
        name: host.name,
        args: this.options.args ?? [],
        env: this.options.env ?? {},
        sharedQueue: host.messaging.sharedQueue,
        producerId: host.messaging.producerId,
        limits: host.messaging.limits,
        topicMatching: host.messaging.topicMatching,
        handlers: this.loaded.handlers,
        useAllocator: this.loaded.exportsAllocator,
        api: this.loaded.api,
        ...(this.options.devices === undefined ? {} : { devices: this.options.devices }),
        lane: this.inFlight.lane,
      });
    });
  }

  /** Hand `message` to the instance; settles when its handler has returned or failed (a current-API instance: see {@link handOver}). */
  deliver(message: OcreMessage, handlerName: string): Promise<void> | undefined {
    const { link, host, handedOver } = this;
    const handlerIndex = handedOver !== undefined ? -1 : this.handlerIndex.get(handlerName);
    if (handlerIndex === undefined) {
      return Promise.reject(new Error(`the module exports no function "${handlerName}"`));
    }
    if (!this.alive || link === undefined || host === undefined) {
      const error = new WasmWorkerError(
        `container "${host?.name ?? '?'}" has no live instance (it trapped or exited); it must be restarted, not resumed`,
      );
      queueMicrotask(() => host?.fault({ phase: 'runtime', error }));
      return new Promise(() => {});
    }
    if (handedOver !== undefined) {
      this.handOver(handedOver, link, host, message);
      return undefined;
    }
    const sender = link.deliveries;
    return new Promise<void>((resolve, reject) => {
      const { inFlight } = this;
      const seq = inFlight.add(handlerName, resolve, reject);
      sender.send({ id: this.id, epoch: inFlight.epoch, seq, message, handlerIndex });
      if (inFlight.size === 1) sender.watch(this);
    });
  }

  /**
   * Ocre's current API: the message goes into the instance's own event queue, where the container
   * takes it with `ocre_process_events`; it is counted delivered (or dead-lettered) when the
   * worker reports how it ended. The one place a message crosses to a current-API instance.
   */
  private handOver(
    handedOver: HandedOverMessages,
    link: PoolLink,
    host: RuntimeHost,
    message: OcreMessage,
  ): void {
    handedOver.handOver(host, message, () =>
      link.post({
        type: 'hand-over',
        id: this.id,
        mid: message.mid,
        topic: encoder.encode(message.topic),
        contentType: encoder.encode(message.contentType),
        payload: message.payload.slice(0, message.payloadLen),
      }),
    );
  }

  /** {@inheritDoc ContainerRuntime.acceptsMail} */
  acceptsMail(): boolean {
    return this.handedOver?.accepts() ?? true;
  }

  /** {@inheritDoc @ocre-ts/actors#ContainerRuntime.inFlightProgress} */
  inFlightProgress(): InFlightProgress {
    const { completed, started, interrupted } = this.inFlight.progress();
    this.interrupted ||= interrupted;
    this.link?.deliveries.unwatch(this);
    return { completed, started };
  }

  /** End the instance now; if its guest code is running (it hangs the worker), the worker goes down with it. */
  kill(): void {
    const { link, id } = this;
    const budget = this.turnBudgetMs();
    this.inFlight.close();
    const busy = this.starting !== undefined || this.inFlight.size > 0 || this.interrupted;
    this.starting = undefined;
    this.alive = false;
    if (link !== undefined && link.usable && link.runningId() === id && id !== 0) {
      // Its guest code runs now. In a start or a handler (the supervisor gave up on it), or in
      // a turn of main already long, it hangs the worker: take it down now. A short turn of
      // main (a restart of its group) ends when it yields; the watchdog ends it if it never does.
      const age = link.turnAge(id, performance.now());
      if (busy || age >= budget / 2) {
        this.quarantined = true;
        this.endingThread = link.ended;
        link.hang(id, age);
        this.link = undefined;
        return;
      }
      link.watchZombie(id, budget);
    }
    // Not running now: a start still queued in the worker is dropped there (the lane is fenced
    // above, before runningId() was read: see PooledInstance.start).
    this.detach();
  }

  /** Drop the instance once the worker has flushed its output (it is always at a yield then). */
  async stop(): Promise<void> {
    const budget = this.turnBudgetMs();
    // A stop mid-start: no mail was ever delivered, so fence the lane; a start still queued in the
    // worker is then dropped instead of run (see PooledInstance.start).
    if (this.starting !== undefined) this.inFlight.close();
    this.starting = undefined;
    this.alive = false;
    this.stopping = true;
    const { link, id } = this;
    if (link === undefined || !link.usable) {
      this.detach();
      return;
    }
    const flushed = new Promise<void>((resolve) => (this.flushed = resolve));
    link.post({ type: 'kill', id, ack: true });
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, this.options.stopGraceMs ?? defaultStopGraceMs)),
    );
    await Promise.race([flushed, grace]);
    clearTimeout(timer);
    this.flushed = undefined;
    // Not flushed in time because its guest code still runs (a main that never yields): once it
    // is detached nobody owns it, so the watchdog ends the worker if that turn outlasts its budget.
    if (link.usable && link.runningId() === id) link.watchZombie(id, budget);
    if (this.id === id) this.detach(false);
  }
}
