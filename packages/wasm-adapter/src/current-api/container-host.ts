// Owns assembling the current-API host of one container instance: its event queue, timers, env imports and device imports, and tearing them down.
import type { Clock } from '@ocre-ts/actors';
import type { OcreLimits } from '@ocre-ts/core';
import type { GuestMemory } from '../guest/guest-memory.ts';
import { createCurrentImports } from './current-imports.ts';
import type { CurrentMessagingPort, SubscriptionSet } from './messaging-imports.ts';
import { createDeviceImports } from './device-imports.ts';
import type { GuestAllocator } from './event-data.ts';
import { CurrentEventQueue, defaultEventQueueCapacity, resourceType } from './event-queue.ts';
import type { CurrentEvent, GpioEvent, MessageEvent } from './event-queue.ts';
import type { SensorBoard } from './sensors.ts';
import { TimerTable, defaultMaxTimers } from './timer-table.ts';
import type { SystemDescription } from './utsname.ts';
import type { VirtualGpio } from './virtual-gpio.ts';

/** What one current-API container instance is linked to. */
export interface CurrentContainerHostOptions {
  /** The container's name (it owns its GPIO watches). */
  readonly name: string;
  readonly clock: Clock;
  readonly memory: () => GuestMemory;
  readonly allocator: () => GuestAllocator | undefined;
  readonly exportedFunctions: ReadonlySet<string>;
  readonly messaging: CurrentMessagingPort;
  /** `ocre_sleep` as the runtime implements it: ends early when `events.takeArrival()` is true. */
  readonly sleep: (milliseconds: number) => number;
  /** The system's simulated devices; without them the device imports are not linked. */
  readonly devices?: { readonly sensors: SensorBoard; readonly gpio: VirtualGpio };
  readonly limits?: OcreLimits;
  readonly system?: Partial<SystemDescription>;
  /** Bound on pending messages and GPIO events ({@link defaultEventQueueCapacity}). */
  readonly eventQueueCapacity?: number;
  /** Timer ids per container ({@link defaultMaxTimers}). */
  readonly maxTimers?: number;
  /** Called after a timer or GPIO event was queued: wake the instance if it sleeps. */
  readonly onEvent?: () => void;
  /** A message the container took but could not receive; dead-letter it. */
  readonly onUndelivered?: (event: MessageEvent, reason: string) => void;
  /** A message the container took with `ocre_get_event`. */
  readonly onTaken?: (event: MessageEvent) => void;
  /** A failed call, for the container's diagnostics. */
  readonly onCallError?: (call: string, result: number, reason: string) => void;
}

/** The current-API host of one container instance. */
export interface CurrentContainerHost {
  /** Link these as the instance's `env` imports. */
  readonly env: Readonly<Record<string, (...args: number[]) => number>>;
  /** Its pending events: push each delivered message here (a `full` verdict is a dead letter). */
  readonly events: CurrentEventQueue;
  readonly timers: TimerTable;
  /** The prefixes it subscribed, to drop from the system's index when it stops. */
  readonly subscriptions: SubscriptionSet;
  /** Queues a message delivered by the router; false when the queue is full (dead-letter it). */
  deliver(message: MessageEvent): boolean;
  /** Stops its timers and GPIO watches and returns the messages still pending (dead-letter them). */
  dispose(): MessageEvent[];
}

/**
 * Builds everything one current-API container instance needs from the host, so a runtime wires
 * the API with this one call: link `env`, push deliveries with `deliver`, end `ocre_sleep` early
 * when `events.takeArrival()` is true, and `dispose` when the instance ends.
 */
export function createCurrentContainerHost(
  options: CurrentContainerHostOptions,
): CurrentContainerHost {
  const maxTimers = options.maxTimers ?? defaultMaxTimers;
  const events = new CurrentEventQueue(
    options.eventQueueCapacity ?? defaultEventQueueCapacity,
    maxTimers,
  );
  const queued = (event: CurrentEvent): boolean => {
    const verdict = events.push(event);
    if (verdict === 'queued') options.onEvent?.();
    return verdict !== 'full';
  };
  const timers = new TimerTable({
    clock: options.clock,
    maxTimers,
    onFire: (timerId) => queued({ type: resourceType.TIMER, timerId }),
  });
  const guest = createCurrentImports({
    memory: options.memory,
    allocator: options.allocator,
    exportedFunctions: options.exportedFunctions,
    events,
    timers,
    messaging: options.messaging,
    sleep: options.sleep,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.system === undefined ? {} : { system: options.system }),
    onUndelivered: (event, reason) => {
      if (event.type === resourceType.MESSAGE) options.onUndelivered?.(event, reason);
    },
    ...(options.onCallError === undefined ? {} : { onCallError: options.onCallError }),
    ...(options.onTaken === undefined ? {} : { onTaken: options.onTaken }),
  });
  const devices = options.devices;
  const deviceImports =
    devices === undefined
      ? {}
      : createDeviceImports({
          container: options.name,
          memory: options.memory,
          sensors: devices.sensors,
          gpio: devices.gpio,
          events: { push: (event: GpioEvent) => (queued(event) ? 'queued' : 'full') },
        });
  return {
    env: { ...deviceImports, ...guest.imports },
    events,
    timers,
    subscriptions: guest.subscriptions,
    deliver: (message) => queued(message),
    dispose: () => {
      timers.dispose();
      devices?.gpio.unwatchAll(options.name);
      return events
        .drain()
        .filter((event): event is MessageEvent => event.type === resourceType.MESSAGE);
    },
  };
}
