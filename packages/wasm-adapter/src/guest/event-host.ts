// Owns what a guest instance needs from an API whose container polls its own events (Ocre's current API), so the guest folder does not depend on that API's modules.
import type { LinkedGuest } from './instantiate.ts';
import type { WorkerMessagingPort } from './worker-port.ts';

/** A routed message handed to an instance that queues it as an event (bytes are private copies). */
export interface HandedMessage {
  readonly mid: bigint;
  readonly topic: Uint8Array;
  readonly contentType: Uint8Array;
  readonly payload: Uint8Array;
}

/** The events side of one instance: its imports, its queue, its timers and its reports. */
export interface GuestEventHost {
  /** The `env` imports to link. */
  env(guest: LinkedGuest): Readonly<Record<string, (...args: number[]) => number>>;
  /** Queue a routed message; a full queue makes it a dead letter (reported by {@link flush}). */
  deliver(message: HandedMessage): void;
  /** True when an event was queued since the last call. */
  takeArrival(): boolean;
  /** Milliseconds until its next timer is due when its timers must be polled, else Infinity. */
  msUntilNextTimer(): number;
  /** Fire its polled timers that are due. */
  runDueTimers(): void;
  /** Report how handed messages ended; `always` reports even when none did (the slot is free). */
  flush(always?: boolean): void;
  /** The instance ended: stop its timers. */
  dispose(): void;
}

/** Makes the events side of an instance from the instance's port and its ocre_sleep. */
export type GuestEventHostFactory = (links: {
  readonly port: WorkerMessagingPort;
  readonly sleep: (milliseconds: number) => number;
}) => GuestEventHost;
