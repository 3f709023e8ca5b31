// Owns the `env` imports of Ocre's current API for one guest: each checks its pointers through GuestMemory and returns 0 or a negative errno, never throwing into the guest.
import { OcreError, defaultLimits } from '@ocre-ts/core';
import type { OcreLimits } from '@ocre-ts/core';
import type { GuestMemory, StringField } from '../guest/guest-memory.ts';
import { hex } from '../guest/guest-memory.ts';
import { EventDataTable } from './event-data.ts';
import type { GuestAllocator } from './event-data.ts';
import { errno, fail } from './errno.ts';
import type { ErrnoResult } from './errno.ts';
import { resourceType } from './event-queue.ts';
import type { CurrentEvent, CurrentEventQueue, MessageEvent } from './event-queue.ts';
import type { TimerTable } from './timer-table.ts';
import { systemDescription, writeUtsname } from './utsname.ts';
import type { SystemDescription } from './utsname.ts';

/** Ocre's runtime keeps a subscription's topic in 64 bytes: longer prefixes are cut to 63. */
export const maxSubscriptionTopicBytes = 63;
/** Dispatcher names are export names; this bounds how far the host scans for their NUL. */
const maxDispatcherNameBytes = 1024;

/** How a current-API container reaches the system's messaging. */
export interface CurrentMessagingPort {
  /**
   * Publishes a message. `payload` is a view into guest memory: copy it before returning.
   *
   * @returns 0 when accepted and at least one subscription matched, `-ENOENT` when none
   *   matched (the message is not sent), `-ENOMEM` when the system's queue is full
   */
  publish(topic: string, contentType: string, payload: Uint8Array): number;
  /** Records a prefix subscription of this container (new to it). 0, or a negative errno. */
  subscribe(prefix: string): number;
}

/** What the imports of one guest instance need. */
export interface CurrentImportsOptions {
  /** The guest's memory, once instantiated. */
  readonly memory: () => GuestMemory;
  /** The guest's `malloc` and `free`, once instantiated; message data is placed with them. */
  readonly allocator: () => GuestAllocator | undefined;
  /** The guest's exported function names, for `ocre_register_dispatcher`. */
  readonly exportedFunctions: ReadonlySet<string>;
  /** This container's pending events. */
  readonly events: CurrentEventQueue;
  /** This container's timers. */
  readonly timers: TimerTable;
  /** The system's messaging, as seen by this container. */
  readonly messaging: CurrentMessagingPort;
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
  /** A message the container took could not be handed over; the runtime dead-letters it. */
  readonly onUndelivered?: (event: CurrentEvent, reason: string) => void;
  /** A message was placed in the guest's memory and its fields written: the container has it. */
  readonly onTaken?: (event: MessageEvent) => void;
  /** A call failed; `reason` says why, for the container's diagnostics (rate-limit them). */
  readonly onCallError?: (call: string, result: number, reason: string) => void;
}

/** The `env` functions of Ocre's current API (messaging, events, timers, sleep, uname). */
interface CurrentImports {
  readonly ocre_get_event: (
    type: number,
    id: number,
    port: number,
    state: number,
    extra: number,
    payloadLen: number,
  ) => number;
  readonly ocre_register_dispatcher: (type: number, name: number) => number;
  readonly ocre_publish_message: (
    topic: number,
    contentType: number,
    payload: number,
    length: number,
  ) => number;
  readonly ocre_subscribe_message: (topic: number) => number;
  readonly ocre_messaging_free_module_event_data: (
    topic: number,
    contentType: number,
    payload: number,
  ) => number;
  readonly ocre_timer_create: (id: number) => number;
  readonly ocre_timer_delete: (id: number) => number;
  readonly ocre_timer_start: (id: number, interval: number, periodic: number) => number;
  readonly ocre_timer_stop: (id: number) => number;
  readonly ocre_timer_get_remaining: (id: number) => number;
  readonly ocre_sleep: (milliseconds: number) => number;
  readonly uname: (pointer: number) => number;
}

/** An exception thrown by guest code the host called (malloc, free): it belongs to the guest. */
class GuestFault extends Error {
  constructor(readonly fault: unknown) {
    super('guest fault');
  }
}

/** The subscriptions this container holds, cut per Ocre's limit. */
export type SubscriptionSet = ReadonlySet<string>;

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
  const { events, timers, messaging } = options;
  const limits = options.limits ?? defaultLimits;
  const subscriptions = new Set<string>();
  const dispatchers = new Map<number, string>();
  const uname = systemDescription(options.system);
  let eventData: EventDataTable | undefined;

  const refuse = (call: string, code: keyof typeof errno, reason: string): ErrnoResult => {
    const result = fail(code);
    // GuestMemory's messages already start with the call's name.
    options.onCallError?.(
      call,
      result,
      reason.startsWith(`${call}:`) ? reason : `${call}: ${reason}`,
    );
    return result;
  };
  const guard = (call: string, body: () => number): number => {
    try {
      return body();
    } catch (error) {
      if (error instanceof GuestFault) throw error.fault;
      // A host bug must not become a guest trap: the call fails like any other.
      return refuse(call, 'EINVAL', `internal host error: ${String(error)}`);
    }
  };
  const guest = (): { memory: GuestMemory; allocator: GuestAllocator | undefined } => ({
    memory: options.memory(),
    allocator: options.allocator(),
  });
  const readString = (pointer: number, field: StringField): string | OcreError => {
    const text = options.memory().readString(pointer, field);
    if (text === null) return new OcreError(field.invalid, `${field.call}: ${field.name} is NULL`);
    if (text instanceof OcreError) return text;
    if (text === '') return new OcreError(field.invalid, `${field.call}: ${field.name} is empty`);
    return text;
  };
  const dataTable = (allocator: GuestAllocator): EventDataTable =>
    (eventData ??= new EventDataTable(options.memory, {
      malloc: (size) => callGuest(() => allocator.malloc(size)),
      free: (pointer) => callGuest(() => allocator.free(pointer)),
    }));

  const imports: CurrentImports = {
    ocre_get_event: (...offsets) =>
      guard('ocre_get_event', () => {
        const { memory, allocator } = guest();
        for (const offset of offsets) {
          const address = offset >>> 0;
          if (address === 0 || !memory.contains(address, 4)) {
            return refuse(
              'ocre_get_event',
              'EINVAL',
              `field address ${hex(address)} is NULL or not 4 bytes inside linear memory (${memory.size} bytes)`,
            );
          }
        }
        const event = events.take();
        if (event === undefined) return fail('ENOMSG');
        let fields: readonly number[];
        if (event.type === resourceType.MESSAGE) {
          if (allocator === undefined) {
            options.onUndelivered?.(event, 'the module exports no malloc/free to receive it');
            return refuse('ocre_get_event', 'ENOMEM', 'the module exports no malloc and free');
          }
          const placed = dataTable(allocator).place(event);
          if (typeof placed === 'string') {
            options.onUndelivered?.(event, placed);
            return refuse('ocre_get_event', 'ENOMEM', placed);
          }
          fields = [
            event.type,
            event.mid >>> 0,
            placed.topic,
            placed.contentType,
            placed.payload,
            event.payload.length,
          ];
        } else if (event.type === resourceType.TIMER) {
          fields = [event.type, event.timerId, 0, 0, 0, 0];
        } else {
          fields = [event.type, event.pin, event.port, event.state, 0, 0];
        }
        // malloc may have grown (and so detached) the memory: take the view now.
        const view = new DataView(options.memory().bytes().buffer);
        offsets.forEach((offset, at) => view.setUint32(offset >>> 0, fields[at] ?? 0, true));
        if (event.type === resourceType.MESSAGE) options.onTaken?.(event);
        return 0;
      }),

    ocre_register_dispatcher: (type, namePointer) =>
      guard('ocre_register_dispatcher', () => {
        if (type >>> 0 > resourceType.MESSAGE) {
          return refuse(
            'ocre_register_dispatcher',
            'EINVAL',
            `unknown resource type ${type >>> 0}`,
          );
        }
        const name = readString(namePointer, {
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

    ocre_publish_message: (topicPointer, typePointer, payloadPointer, length) =>
      guard('ocre_publish_message', () => {
        const call = 'ocre_publish_message';
        const topic = readString(topicPointer, topicField(call, limits));
        if (topic instanceof OcreError) return refuse(call, 'EINVAL', topic.message);
        const contentType = readString(typePointer, {
          call,
          name: 'content_type',
          maxBytes: limits.maxContentTypeBytes,
          invalid: 'INVALID_CONTENT_TYPE',
          tooLong: 'CONTENT_TYPE_TOO_LONG',
        });
        if (contentType instanceof OcreError) return refuse(call, 'EINVAL', contentType.message);
        // payload_len is a uint32 in C; at or above 2^31 it arrives negative.
        if (length <= 0 || length > limits.maxPayloadBytes) {
          return refuse(
            call,
            'EINVAL',
            `payload_len ${length >>> 0} is not from 1 to ${limits.maxPayloadBytes}`,
          );
        }
        const payload = options
          .memory()
          .readPayload(payloadPointer, length, limits.maxPayloadBytes, call);
        if (payload === null) return refuse(call, 'EINVAL', 'payload is NULL');
        if (payload instanceof OcreError) return refuse(call, 'EINVAL', payload.message);
        const result = messaging.publish(topic, contentType, payload);
        if (result === -errno.ENOMEM)
          options.onCallError?.(call, result, `${call}: the system's queue is full`);
        return result;
      }),

    ocre_subscribe_message: (topicPointer) =>
      guard('ocre_subscribe_message', () => {
        const call = 'ocre_subscribe_message';
        const topic = readString(topicPointer, topicField(call, limits));
        if (topic instanceof OcreError) return refuse(call, 'EINVAL', topic.message);
        const prefix = cutUtf8(topic, maxSubscriptionTopicBytes);
        if (subscriptions.has(prefix)) return 0;
        if (subscriptions.size >= limits.maxSubscriptions) {
          return refuse(
            call,
            'ENOMEM',
            `the container already holds ${limits.maxSubscriptions} subscriptions (maxSubscriptions)`,
          );
        }
        const result = messaging.subscribe(prefix);
        if (result === 0) subscriptions.add(prefix);
        return result;
      }),

    ocre_messaging_free_module_event_data: (topic, contentType, payload) =>
      guard('ocre_messaging_free_module_event_data', () => {
        if (eventData?.free(topic, contentType, payload) === true) return 0;
        return refuse(
          'ocre_messaging_free_module_event_data',
          'EINVAL',
          `${hex(topic >>> 0)}, ${hex(contentType >>> 0)}, ${hex(payload >>> 0)} is not the data of a message this container took`,
        );
      }),

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

function callGuest<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw new GuestFault(error);
  }
}

function topicField(call: string, limits: OcreLimits): StringField {
  return {
    call,
    name: 'topic',
    maxBytes: limits.maxTopicBytes,
    invalid: 'INVALID_TOPIC',
    tooLong: 'TOPIC_TOO_LONG',
  };
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes that ends on a character boundary. */
function cutUtf8(text: string, maxBytes: number): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut never splits a character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}
