// Owns the current-API imports that hand events to a guest: `ocre_get_event` (a message's data placed in guest memory with its own malloc) and `ocre_messaging_free_module_event_data`.
import type { GuestMemory } from '../guest/guest-memory.ts';
import { hex } from '../guest/guest-memory.ts';
import { callGuest } from './call-guard.ts';
import type { CallGuard } from './call-guard.ts';
import { EventDataTable } from './event-data.ts';
import type { GuestAllocator } from './event-data.ts';
import { fail } from './errno.ts';
import { resourceType } from './event-queue.ts';
import type { CurrentEvent, CurrentEventQueue, MessageEvent } from './event-queue.ts';

/** What the event imports of one guest instance need. */
export interface EventImportsOptions {
  /** The guest's memory, once instantiated. */
  readonly memory: () => GuestMemory;
  /** The guest's `malloc` and `free`, once instantiated; message data is placed with them. */
  readonly allocator: () => GuestAllocator | undefined;
  /** This container's pending events. */
  readonly events: CurrentEventQueue;
  /** A message the container took could not be handed over; the runtime dead-letters it. */
  readonly onUndelivered?: (event: CurrentEvent, reason: string) => void;
  /** A message was placed in the guest's memory and its fields written: the container has it. */
  readonly onTaken?: (event: MessageEvent) => void;
}

/** The two event imports. */
export interface EventImports {
  readonly ocre_get_event: (
    type: number,
    id: number,
    port: number,
    state: number,
    extra: number,
    payloadLen: number,
  ) => number;
  readonly ocre_messaging_free_module_event_data: (
    topic: number,
    contentType: number,
    payload: number,
  ) => number;
}

/**
 * Makes `ocre_get_event` and `ocre_messaging_free_module_event_data` for one guest instance: the
 * six field addresses are checked before an event is taken, a message's data is placed with the
 * guest's own allocator, and only data this container took can be freed.
 */
export function createEventImports(
  options: EventImportsOptions,
  { refuse, guard }: CallGuard,
): EventImports {
  const { events } = options;
  let eventData: EventDataTable | undefined;
  const dataTable = (allocator: GuestAllocator): EventDataTable =>
    (eventData ??= new EventDataTable(options.memory, {
      malloc: (size) => callGuest(() => allocator.malloc(size)),
      free: (pointer) => callGuest(() => allocator.free(pointer)),
    }));

  return {
    ocre_get_event: (...offsets) =>
      guard('ocre_get_event', () => {
        const memory = options.memory();
        const allocator = options.allocator();
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

    ocre_messaging_free_module_event_data: (topic, contentType, payload) =>
      guard('ocre_messaging_free_module_event_data', () => {
        if (eventData?.free(topic, contentType, payload) === true) return 0;
        return refuse(
          'ocre_messaging_free_module_event_data',
          'EINVAL',
          `${hex(topic >>> 0)}, ${hex(contentType >>> 0)}, ${hex(payload >>> 0)} is not the data of a message this container took`,
        );
      }),
  };
}
