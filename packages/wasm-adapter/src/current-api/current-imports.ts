// Owns the `env` imports of Ocre's current API for one guest: it assembles the event, messaging, dispatcher, timer, sleep and uname imports, each checking its pointers through GuestMemory and returning 0 or a negative errno, never throwing into the guest.
import { OcreError, defaultLimits } from '@ocre-ts/core';
import type { OcreLimits } from '@ocre-ts/core';
import { createCallGuard } from './call-guard.ts';
import { createEventImports } from './event-imports.ts';
import type { EventImports, EventImportsOptions } from './event-imports.ts';
import { resourceType } from './event-queue.ts';
import { createMessagingImports } from './messaging-imports.ts';
import type {
  MessagingImports,
  MessagingImportsOptions,
  SubscriptionSet,
} from './messaging-imports.ts';
import { readRequiredString } from './required-string.ts';
import type { TimerTable } from './timer-table.ts';
import { systemDescription, writeUtsname } from './utsname.ts';
import type { SystemDescription } from './utsname.ts';

/** Dispatcher names are export names; this bounds how far the host scans for their NUL. */
const maxDispatcherNameBytes = 1024;

/** What the imports of one guest instance need. */
export interface CurrentImportsOptions extends EventImportsOptions, MessagingImportsOptions {
  /** The guest's exported function names, for `ocre_register_dispatcher`. */
  readonly exportedFunctions: ReadonlySet<string>;
  /** This container's timers. */
  readonly timers: TimerTable;
  /**
   * `ocre_sleep`: sleep up to `milliseconds`, ending early when `events.takeArrival()` says an
   * event arrived; returns 0, or the whole milliseconds left when ended early. May throw to
   * unwind the guest (the host ended the instance).
   */
  readonly sleep: (milliseconds: number) => number;
  /** Sizes messages and subscriptions are checked against; `defaultLimits` when omitted. */
  readonly limits?: OcreLimits;
  /** What `uname` reports. */
  readonly system?: Partial<SystemDescription>;
}

/** The `env` functions of Ocre's current API (messaging, events, timers, sleep, uname). */
interface CurrentImports extends EventImports, Omit<MessagingImports, 'subscriptions'> {
  readonly ocre_register_dispatcher: (type: number, name: number) => number;
  readonly ocre_timer_create: (id: number) => number;
  readonly ocre_timer_delete: (id: number) => number;
  readonly ocre_timer_start: (id: number, interval: number, periodic: number) => number;
  readonly ocre_timer_stop: (id: number) => number;
  readonly ocre_timer_get_remaining: (id: number) => number;
  readonly ocre_sleep: (milliseconds: number) => number;
  readonly uname: (pointer: number) => number;
}

/** The current-API side of one guest instance. */
export interface CurrentApiGuest {
  /** The functions to link as the guest's `env` imports. */
  readonly imports: CurrentImports;
  /** The prefixes the container subscribed (to remove from the system's index when it stops). */
  readonly subscriptions: SubscriptionSet;
  /** The dispatcher export registered per resource type. */
  readonly dispatchers: ReadonlyMap<number, string>;
}

/**
 * Makes the current-API imports of one guest instance. Every pointer and length is checked
 * against linear memory first: NULL, an address outside memory (including ones at or above
 * 2 GiB, which arrive negative), an unterminated string, a length that is 0, negative (a
 * uint32 at or above 2^31) or runs past the end — each is `-EINVAL`, never an exception. A trap
 * in the guest's own `malloc`/`free` propagates as the guest's fault.
 */
export function createCurrentImports(options: CurrentImportsOptions): CurrentApiGuest {
  const { timers } = options;
  const dispatchers = new Map<number, string>();
  const uname = systemDescription(options.system);
  const calls = createCallGuard(options.onCallError);
  const { refuse, guard } = calls;
  const events = createEventImports(options, calls);
  const { subscriptions, ...messaging } = createMessagingImports(
    options,
    options.limits ?? defaultLimits,
    calls,
  );

  const imports: CurrentImports = {
    ...events,

    ocre_register_dispatcher: (type, namePointer) =>
      guard('ocre_register_dispatcher', () => {
        if (type >>> 0 > resourceType.MESSAGE) {
          return refuse(
            'ocre_register_dispatcher',
            'EINVAL',
            `unknown resource type ${type >>> 0}`,
          );
        }
        const name = readRequiredString(options.memory(), namePointer, {
          call: 'ocre_register_dispatcher',
          name: 'function_name',
          maxBytes: maxDispatcherNameBytes,
          invalid: 'INVALID_HANDLER',
          tooLong: 'INVALID_HANDLER',
        });
        if (name instanceof OcreError)
          return refuse('ocre_register_dispatcher', 'EINVAL', name.message);
        if (!options.exportedFunctions.has(name)) {
          return refuse(
            'ocre_register_dispatcher',
            'EINVAL',
            `function_name "${name}" is not an exported function of the module`,
          );
        }
        dispatchers.set(type, name);
        return 0;
      }),

    ...messaging,

    ocre_timer_create: (id) => guard('ocre_timer_create', () => timers.create(id)),
    ocre_timer_delete: (id) => guard('ocre_timer_delete', () => timers.delete(id)),
    ocre_timer_start: (id, interval, periodic) =>
      guard('ocre_timer_start', () => timers.start(id, interval, periodic)),
    ocre_timer_stop: (id) => guard('ocre_timer_stop', () => timers.stop(id)),
    ocre_timer_get_remaining: (id) => guard('ocre_timer_get_remaining', () => timers.remaining(id)),

    // Not guarded: the runtime's sleep may throw to unwind an instance the host has ended.
    ocre_sleep: (milliseconds) => options.sleep(milliseconds),

    uname: (pointer) =>
      guard('uname', () => (writeUtsname(options.memory(), pointer, uname) ? 0 : -1)),
  };
  return { imports, subscriptions, dispatchers };
}
