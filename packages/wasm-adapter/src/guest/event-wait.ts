// Owns ocre_sleep of an instance that polls its own events (Ocre's current API) in a dedicated worker: the thread blocks on the doorbell until the deadline, a routed message or a due timer ends the sleep.
import { C_DOORBELL, C_MAIL, readDelivery } from '../channel/control-block.ts';
import type { GuestEventHost } from './event-host.ts';

/** Take the message in the delivery slot into the instance's event queue and free the slot (no guest code runs). */
export function takeSlotMessage(
  control: Int32Array,
  slot: SharedArrayBuffer,
  events: GuestEventHost,
): void {
  const message = readDelivery(slot);
  // Copies: the slot is reused for the next message as soon as it is free.
  events.deliver({
    mid: message.mid,
    topic: message.topic.slice(),
    contentType: message.contentType.slice(),
    payload: message.payload.slice(),
  });
  Atomics.store(control, C_MAIL, 0);
  // Always report: the main thread writes the next message once it hears the slot is free.
  events.flush(true);
}

/** What {@link sleepOnEvents} asks of its instance. */
export interface SleepHooks {
  /** True when the host ended the instance: unwind. */
  readonly aborted: () => boolean;
  /** CAS SLEEPING → RUNNING before returning to the guest; false when the host aborted it first. */
  readonly enter: () => boolean;
}

/**
 * Sleep up to `milliseconds`, taking routed messages from the slot and firing due timers
 * meanwhile; an event that arrives ends the sleep early. Returns 0 when the time is up, else the
 * whole milliseconds left (what the SDK's ocre_sleep sleeps on).
 *
 * @throws whatever `onAbort` throws once the host ended the instance
 */
export function sleepOnEvents(
  control: Int32Array,
  slot: SharedArrayBuffer,
  events: GuestEventHost,
  milliseconds: number,
  hooks: SleepHooks & { readonly onAbort: () => never },
): number {
  const deadline = performance.now() + Math.max(0, milliseconds | 0);
  // Only an event that arrives from now on ends this sleep early.
  events.takeArrival();
  for (;;) {
    const seen = Atomics.load(control, C_DOORBELL);
    if (hooks.aborted()) hooks.onAbort();
    if (Atomics.load(control, C_MAIL) === 1) takeSlotMessage(control, slot, events);
    events.runDueTimers();
    const remaining = deadline - performance.now();
    if (events.takeArrival() || remaining <= 0) {
      if (!hooks.enter()) continue;
      return remaining <= 0 ? 0 : Math.ceil(remaining);
    }
    Atomics.wait(control, C_DOORBELL, seen, Math.min(remaining, events.msUntilNextTimer()));
  }
}
