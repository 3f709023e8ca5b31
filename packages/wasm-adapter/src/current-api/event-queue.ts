// Owns one container's queue of pending current-API events: FIFO, bounded, timer firings coalesced per timer id.
import { maxQueueCapacity } from '@ocre-ts/core';
import { RingBuffer, checkPositiveInteger } from '@ocre-ts/core/internal';

/** Ocre's resource types, the `type` field of an event. */
export const resourceType = Object.freeze({ TIMER: 0, GPIO: 1, SENSOR: 2, MESSAGE: 3 });

/** A timer fired. */
interface TimerEvent {
  readonly type: typeof resourceType.TIMER;
  readonly timerId: number;
}

/** A watched GPIO pin changed. */
export interface GpioEvent {
  readonly type: typeof resourceType.GPIO;
  readonly pin: number;
  readonly port: number;
  readonly state: number;
}

/** A message for this container; bytes are UTF-8 without the NUL. */
export interface MessageEvent {
  readonly type: typeof resourceType.MESSAGE;
  /** The system's message id, cut to uint32 (`ocre_msg_t.mid` is uint32 in this API). */
  readonly mid: number;
  readonly topic: Uint8Array;
  readonly contentType: Uint8Array;
  readonly payload: Uint8Array;
}

/** One pending event. */
export type CurrentEvent = TimerEvent | GpioEvent | MessageEvent;

/** What {@link CurrentEventQueue.push} did with an event. */
export type PushVerdict =
  /** Queued; the container takes it with `ocre_get_event`. */
  | 'queued'
  /** A timer that already has a firing pending: one pending firing stands for both. */
  | 'coalesced'
  /** The queue holds `capacity` messages and GPIO events: the caller dead-letters this one. */
  | 'full';

/** Default bound on the messages and GPIO events one container may have pending. */
export const defaultEventQueueCapacity = 64;

/**
 * The events pending for one container, taken in arrival order by `ocre_get_event`. Each
 * container has its own queue, so one that does not poll never holds up another (Ocre's
 * runtime shares one 32-slot queue between all containers). Messages and GPIO events are
 * bounded by `capacity`; timer firings are not counted against it because at most one per timer
 * is ever pending: a timer that fires again before its last firing was taken is coalesced.
 */
export class CurrentEventQueue {
  /** Bound on pending messages and GPIO events. */
  readonly capacity: number;
  private readonly ring: RingBuffer<CurrentEvent>;
  private readonly pendingTimers = new Set<number>();
  private bounded = 0;
  private arrived = false;
  private coalescedCount = 0;

  /**
   * @param capacity - bound on pending messages and GPIO events ({@link defaultEventQueueCapacity})
   * @param maxTimers - how many timer ids the container can have, each with at most one pending firing
   * @throws OcreError `INVALID_OPTION` unless both are whole numbers from 1 up
   */
  constructor(capacity: number = defaultEventQueueCapacity, maxTimers = 16) {
    this.capacity = checkPositiveInteger('eventQueueCapacity', capacity, maxQueueCapacity);
    checkPositiveInteger('maxTimers', maxTimers, 65535);
    this.ring = new RingBuffer(capacity + maxTimers);
  }

  /** Events pending. */
  get size(): number {
    return this.ring.size;
  }

  /** Timer firings merged into one already pending, since creation. */
  get coalesced(): number {
    return this.coalescedCount;
  }

  /** Adds an event at the back; see {@link PushVerdict}. */
  push(event: CurrentEvent): PushVerdict {
    if (event.type === resourceType.TIMER) {
      if (this.pendingTimers.has(event.timerId)) {
        this.coalescedCount++;
        return 'coalesced';
      }
      this.pendingTimers.add(event.timerId);
    } else {
      if (this.bounded >= this.capacity) return 'full';
      this.bounded++;
    }
    this.ring.push(event);
    this.arrived = true;
    return 'queued';
  }

  /** Takes the oldest event, or undefined when none is pending. */
  take(): CurrentEvent | undefined {
    const event = this.ring.shift();
    if (event === undefined) return undefined;
    if (event.type === resourceType.TIMER) this.pendingTimers.delete(event.timerId);
    else this.bounded--;
    return event;
  }

  /**
   * True when an event was queued since the last call: what ends a current-API `ocre_sleep`
   * early. Clearing on read means a sleep that follows is ended only by a newer event, so a
   * container that leaves events pending while it sleeps does not spin.
   */
  takeArrival(): boolean {
    const arrived = this.arrived;
    this.arrived = false;
    return arrived;
  }

  /** Takes every pending event (stopping the container: its messages become dead letters). */
  drain(): CurrentEvent[] {
    const all = this.ring.takeAll();
    this.pendingTimers.clear();
    this.bounded = 0;
    return all;
  }
}
