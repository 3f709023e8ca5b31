// Owns the worker side of one current-API instance: its container host linked to the worker's messaging port, the messages it is handed, how each one ended, and waking the instance when an event arrives.
import type { Clock } from '@ocre-ts/actors';
import type { OcreError, OcreLimits } from '@ocre-ts/core';
import { createCallErrorReporter } from '../guest/call-errors.ts';
import type { GuestEventHost, HandedMessage } from '../guest/event-host.ts';
import type { LinkedGuest } from '../guest/instantiate.ts';
import type { WorkerMessagingPort } from '../guest/worker-port.ts';
import type { DeviceDeclarations, TakenOutcome, WorkerReport } from '../channel/worker-protocol.ts';
import { createCurrentContainerHost } from './container-host.ts';
import type { CurrentContainerHost } from './container-host.ts';
import { createDevices } from './devices.ts';
import { errno } from './errno.ts';
import { PolledClock } from './polled-clock.ts';
import type { CurrentMessagingPort } from './messaging-imports.ts';
import { resourceType } from './event-queue.ts';
import type { MessageEvent } from './event-queue.ts';

/**
 * The handler name a current-API container's subscriptions carry in the router (and in its dead
 * letters): the container receives its messages when it calls `ocre_process_events`.
 */
export const currentEventHandler = 'ocre_process_events';

/** What the worker side of a current-API instance is linked to. */
export interface CurrentGuestHostOptions {
  readonly generation: number;
  readonly name: string;
  readonly limits: OcreLimits;
  readonly module: WebAssembly.Module;
  readonly port: WorkerMessagingPort;
  readonly post: (report: WorkerReport) => void;
  /** The clock its timers run on: a {@link PolledClock} when the instance's waits block its thread. */
  readonly clock: Clock;
  /** `ocre_sleep` as the runtime implements it (see `CurrentImportsOptions.sleep`). */
  readonly sleep: (milliseconds: number) => number;
  /** An event was queued: wake the instance if it sleeps. */
  readonly onEvent: () => void;
  /** Its simulated sensors and GPIO pin names. */
  readonly devices?: DeviceDeclarations;
}

/**
 * The worker side of one current-API instance. Link {@link env} as the guest's imports, hand it
 * each routed message with {@link deliver}, report how messages ended with {@link flush} at
 * every yield, and {@link dispose} it when the instance ends.
 */
export class CurrentGuestHost implements GuestEventHost {
  private host: CurrentContainerHost | undefined;
  private outcomes: TakenOutcome[] = [];
  private readonly mids = new WeakMap<MessageEvent, bigint>();
  private readonly reportCallError: (code: string, message: string) => void;

  /** @param options - the instance, its worker's port and reporting channel, clock and sleep */
  constructor(private readonly options: CurrentGuestHostOptions) {
    this.reportCallError = createCallErrorReporter(options.generation, options.post);
  }

  /** The `env` imports, for `instantiateGuest`'s `currentEnv`. */
  env(guest: LinkedGuest): Readonly<Record<string, (...args: number[]) => number>> {
    const { options } = this;
    const exportedFunctions = new Set(
      WebAssembly.Module.exports(options.module)
        .filter((entry) => entry.kind === 'function')
        .map((entry) => entry.name),
    );
    const host = createCurrentContainerHost({
      name: options.name,
      clock: options.clock,
      memory: guest.memory,
      allocator: () => {
        const exports = guest.exports();
        const malloc = exports['malloc'];
        const free = exports['free'];
        if (typeof malloc !== 'function' || typeof free !== 'function') return undefined;
        return {
          malloc: (size) => (malloc as (size: number) => number)(size),
          free: (pointer) => (free as (pointer: number) => void)(pointer),
        };
      },
      exportedFunctions,
      messaging: this.messaging(),
      sleep: options.sleep,
      limits: options.limits,
      onEvent: options.onEvent,
      onTaken: (event) => this.settle(event),
      onUndelivered: (event, reason) =>
        this.settle(event, { reason: 'handler-fault', error: `ocre_get_event: ${reason}` }),
      onCallError: (_call, result, reason) => this.reportCallError(errnoName(result), reason),
      devices: createDevices(options.devices, ({ port, pin, state }) =>
        options.post({ type: 'gpio', generation: options.generation, port, pin, state }),
      ),
    });
    this.host = host;
    return host.env;
  }

  /** True when an event was queued since the last call (what ends `ocre_sleep` early). */
  takeArrival(): boolean {
    return this.host?.events.takeArrival() ?? false;
  }

  /** Queue a routed message in the instance's event queue; a full queue makes it a dead letter. */
  deliver(message: HandedMessage): void {
    const event: MessageEvent = {
      type: resourceType.MESSAGE,
      mid: Number(BigInt.asUintN(32, message.mid)),
      topic: message.topic,
      contentType: message.contentType,
      payload: message.payload,
    };
    this.mids.set(event, message.mid);
    const host = this.host;
    if (host === undefined) {
      this.settle(event, { reason: 'handler-fault', error: 'the instance is not linked yet' });
      return;
    }
    if (!host.deliver(event)) {
      this.settle(event, {
        reason: 'mailbox-full',
        error: `the container's event queue holds ${host.events.capacity} events (messages and GPIO changes); it calls ocre_process_events too rarely`,
      });
    }
  }

  /** Milliseconds until the next timer is due on a polled clock; Infinity on an event-loop clock. */
  msUntilNextTimer(): number {
    const { clock } = this.options;
    return clock instanceof PolledClock ? clock.msUntilNext() : Infinity;
  }

  /** Fire the timers due on a polled clock. */
  runDueTimers(): void {
    const { clock } = this.options;
    if (clock instanceof PolledClock) clock.runDue();
  }

  /** Report how the messages handed over since the last flush ended (`always`: even none). */
  flush(always = false): void {
    if (this.outcomes.length === 0 && !always) return;
    this.options.post({
      type: 'taken',
      generation: this.options.generation,
      outcomes: this.outcomes,
    });
    this.outcomes = [];
  }

  /** Stop timers and GPIO watches; messages still queued are dead-lettered by the main thread. */
  dispose(): void {
    this.host?.dispose();
    this.flush();
  }

  private settle(event: MessageEvent, deadLetter?: TakenOutcome['deadLetter']): void {
    const mid = this.mids.get(event);
    if (mid === undefined) return;
    this.outcomes.push(deadLetter === undefined ? { mid } : { mid, deadLetter });
  }

  private messaging(): CurrentMessagingPort {
    const { port } = this.options;
    return {
      publish: (topic, contentType, payload) => {
        // A private copy: without a shared queue the bytes cross threads by structured clone.
        const result = port.publish(topic, contentType, payload.slice());
        if (typeof result === 'bigint') return 0;
        return resultOf(result, 'QUEUE_FULL');
      },
      subscribe: (prefix) => {
        const refused = port.subscribe(prefix, currentEventHandler, 'prefix');
        return refused === undefined ? 0 : resultOf(refused, 'SUBSCRIPTION_LIMIT');
      },
    };
  }
}

/** -ENOMEM for the code that means "no room now" (and a stopping system), else -EINVAL. */
function resultOf(error: OcreError, noRoom: string): number {
  return error.code === noRoom || error.code === 'SHUTTING_DOWN' ? -errno.ENOMEM : -errno.EINVAL;
}

function errnoName(result: number): string {
  const entry = Object.entries(errno).find(([, value]) => value === -result);
  return entry === undefined ? `E${-result}` : entry[0];
}

/** The worker's event-loop clock, for the timers of an instance whose waits return to the event loop (pooled). */
export const eventLoopClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
