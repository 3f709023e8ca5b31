// Owns the main-thread side of a WASM container: the ContainerRuntime that starts instances in a worker, answers their host calls, delivers mail and turns their reports into faults.
import type { OcreMessage } from '@ocre-ts/core';
import type { ContainerRuntime, RuntimeHost } from '@ocre-ts/actors';
import {
  C_MAIL,
  deliverySlotBytes,
  ringDoorbell,
  writeDelivery,
  writeReply,
} from '../channel/control-block.ts';
import { WasmWorkerError } from '../errors.ts';
import { answerCall } from '../channel/host-call.ts';
import { InstanceLifecycle, handlerError } from '../channel/instance-lifecycle.ts';
import type { Pending } from '../channel/instance-lifecycle.ts';
import type { LoadedWasmModule } from '../module/module-loader.ts';
import { WorkerLink } from './worker-link.ts';
import type {
  DeviceDeclarations,
  HandlerFailedReport,
  WorkerReport,
} from '../channel/worker-protocol.ts';
import { defaultStopGraceMs } from '../defaults.ts';
import { currentEventHandler } from '../current-api/current-guest-host.ts';
import { SlotHandOff } from '../current-api/slot-hand-off.ts';

/** How a {@link WasmRuntime} runs its instances. */
export interface WasmRuntimeOptions {
  /** argv after argv[0] (the container's name). */
  readonly args?: readonly string[];
  /** The environment the guest sees. Default empty. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long a graceful stop waits for the worker to exit before terminating it. Default 500 ms. */
  readonly stopGraceMs?: number;
  /** Ocre's current API: the container's simulated sensors and GPIO pin names. */
  readonly devices?: DeviceDeclarations;
}

/**
 * Runs a compiled container module as a {@link ContainerRuntime}: one worker thread per
 * container, one instance at a time in it. A trap leaves the worker healthy, so the next
 * instance reuses it (a restart takes milliseconds); a hang or a dead worker gets a new one.
 * Usually made by `wasmContainer`, not directly.
 */
export class WasmRuntime extends InstanceLifecycle implements ContainerRuntime {
  /** Worker threads spawned so far: a restart after a trap reuses its worker, one after a hang needs a new one. */
  workersStarted = 0;
  private readonly handlerIndex: ReadonlyMap<string, number>;
  private link: WorkerLink | undefined;
  private slot: SharedArrayBuffer | undefined;
  private generation = 0;
  private delivery: (Pending & { readonly handler: string }) | undefined;
  /** Ocre's current API: messages handed to the instance, and those waiting for the slot. */
  private readonly handedOver: SlotHandOff | undefined;

  /**
   * @param loaded - the validated module (see loadWasmModule)
   * @param options - argv, environment, stop grace
   */
  constructor(
    readonly loaded: LoadedWasmModule,
    private readonly options: WasmRuntimeOptions = {},
  ) {
    super(loaded.label);
    this.handlerIndex = new Map(loaded.handlers.map((name, index) => [name, index]));
    this.handedOver = loaded.api === 'current' ? new SlotHandOff() : undefined;
  }

  /** True when the module exports a function by this name (other than `_start`/`_initialize`). */
  hasHandler(handlerName: string): boolean {
    if (this.handedOver !== undefined) return handlerName === currentEventHandler;
    return this.handlerIndex.has(handlerName);
  }

  /**
   * Start a fresh instance; resolves at main's first `ocre_sleep` or when main returns 0. When
   * the previous worker was terminated, its thread must have ended first: it may have died
   * mid-publish holding the shared queue's lock, which is freed only once it has ended.
   */
  start(host: RuntimeHost): Promise<void> {
    const previous = this.endingThread;
    this.endingThread = undefined;
    return previous === undefined ? this.launch(host) : previous.then(() => this.launch(host));
  }

  /** A terminated worker whose thread has not ended yet. */
  private endingThread: Promise<void> | undefined;

  private launch(host: RuntimeHost): Promise<void> {
    this.abandonHandedOver();
    this.host = host;
    this.stopping = false;
    this.alive = false;
    this.delivery = undefined;
    const generation = ++this.generation;
    // Reuse the worker unless it is gone or still running guest code (then it is terminated).
    let link = this.link;
    if (link !== undefined && !link.abortInstance(generation)) {
      this.endingThread = link.ended;
      link = undefined;
    }
    if (link === undefined) {
      link = new WorkerLink(host.name, {
        report: (from, report) => this.onReport(from, report),
        death: (from, error) => this.onDeath(from, error),
        // A thread terminated mid-publish may hold the shared queue's lock: free it.
        ended: () => void host.messaging.releaseAbandonedLock?.(),
      });
      link.abortInstance(generation);
      this.link = link;
      this.workersStarted++;
    }
    link.keepAlive(true);
    const { limits } = host.messaging;
    const slotBytes = deliverySlotBytes(limits);
    if (this.slot?.byteLength !== slotBytes) this.slot = new SharedArrayBuffer(slotBytes);
    Atomics.store(link.control, C_MAIL, 0);
    return new Promise<void>((resolve, reject) => {
      this.starting = { resolve, reject };
      link.post({
        type: 'start',
        generation,
        module: this.loaded.module,
        name: host.name,
        args: this.options.args ?? [],
        env: this.options.env ?? {},
        control: link.control.buffer as SharedArrayBuffer,
        slot: this.slot as SharedArrayBuffer,
        sharedQueue: host.messaging.sharedQueue,
        producerId: host.messaging.producerId,
        limits,
        topicMatching: host.messaging.topicMatching,
        handlers: this.loaded.handlers,
        useAllocator: this.loaded.exportsAllocator,
        api: this.loaded.api,
        ...(this.options.devices === undefined ? {} : { devices: this.options.devices }),
      });
    });
  }

  /** Hand `message` to the instance; settles when its handler has returned or failed. */
  deliver(message: OcreMessage, handlerName: string): Promise<void> | undefined {
    const { link, slot, host, handedOver } = this;
    const index = handedOver !== undefined ? -1 : this.handlerIndex.get(handlerName);
    if (index === undefined) {
      return Promise.reject(new Error(`the module exports no function "${handlerName}"`));
    }
    if (!this.alive || link === undefined || slot === undefined || host === undefined) {
      // A trapped instance is never re-entered (a `resume` after a trap lands here): report a
      // runtime fault, once the caller holds this delivery as pending, so that it is restarted.
      const error = new WasmWorkerError(
        `container "${host?.name ?? '?'}" has no live instance (it trapped or exited); it must be restarted, not resumed`,
      );
      queueMicrotask(() => host?.fault({ phase: 'runtime', error }));
      return new Promise(() => {});
    }
    if (handedOver !== undefined) {
      // Ocre's current API: into the instance's own event queue, settled when it is taken.
      handedOver.handOver(host, message, link.control, slot);
      return undefined;
    }
    if (!writeDelivery(slot, message, index)) {
      return Promise.reject(new Error(`message ${message.mid} does not fit the delivery slot`));
    }
    return new Promise<void>((resolve, reject) => {
      this.delivery = { resolve, reject, handler: handlerName };
      Atomics.store(link.control, C_MAIL, 1);
      ringDoorbell(link.control);
    });
  }

  /** The instance is gone: messages handed to it and not taken are dead letters. */
  private abandonHandedOver(): void {
    this.handedOver?.abandon(this.host);
  }

  /** {@inheritDoc ContainerRuntime.acceptsMail} */
  acceptsMail(): boolean {
    return this.handedOver?.accepts() ?? true;
  }

  /** End the instance now: reuse the worker when the instance was sleeping or idle, else terminate it. */
  kill(): void {
    this.abandonHandedOver();
    const generation = ++this.generation;
    this.starting = undefined;
    this.delivery = undefined;
    this.alive = false;
    const { link } = this;
    if (link === undefined) return;
    if (link.abortInstance(generation)) {
      link.keepAlive(false);
    } else {
      this.link = undefined;
      this.endingThread = link.ended;
    }
  }

  /** Let the worker finish and exit; terminate it after the grace period. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.starting = undefined;
    this.alive = false;
    const { link } = this;
    this.link = undefined;
    if (link !== undefined) await link.exit(this.options.stopGraceMs ?? defaultStopGraceMs);
    this.abandonHandedOver();
  }

  private onReport(link: WorkerLink, report: WorkerReport): void {
    const host = this.host;
    if (report.type === 'subscribe' || report.type === 'publish') {
      // Always answer, or the worker would wait for nothing.
      writeReply(
        link.control,
        link === this.link && report.generation === this.generation && host !== undefined
          ? answerCall(host, report)
          : { status: -1, code: 'SHUTTING_DOWN', message: 'the container instance is ending' },
      );
      return;
    }
    if (host === undefined || this.passFacts(host, report)) return;
    if (link !== this.link || report.generation !== this.generation) return;
    switch (report.type) {
      case 'gpio':
        host.gpioChanged?.(report.port, report.pin, report.state);
        return;
      case 'taken':
        this.handedOver?.settle(host, report.outcomes, link.control, this.slot);
        return;
      default:
        this.applyLifecycle(host, report);
    }
  }

  /** {@inheritDoc InstanceLifecycle.delivered} */
  protected delivered(): void {
    this.settleDelivery();
  }

  /** {@inheritDoc InstanceLifecycle.handlerFailed} */
  protected handlerFailed(report: HandlerFailedReport): void {
    this.settleDelivery(report);
  }

  /** {@inheritDoc InstanceLifecycle.instanceGone} */
  protected override instanceGone(): void {
    this.abandonHandedOver();
  }

  private settleDelivery(failure?: HandlerFailedReport): void {
    const delivery = this.delivery;
    this.delivery = undefined;
    if (delivery === undefined) return;
    if (failure === undefined) {
      delivery.resolve();
      return;
    }
    if (failure.kind !== 'delivery') this.alive = false;
    delivery.reject(handlerError(delivery.handler, failure));
  }

  private onDeath(link: WorkerLink, error: WasmWorkerError): void {
    if (link !== this.link) return;
    this.link = undefined;
    this.alive = false;
    this.abandonHandedOver();
    if (this.stopping) return;
    const { delivery, starting } = this;
    this.delivery = undefined;
    this.starting = undefined;
    if (delivery !== undefined) delivery.reject(error);
    else if (starting !== undefined) starting.reject(error);
    else this.host?.fault({ phase: 'runtime', error });
  }
}
