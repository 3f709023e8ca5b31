// Owns every default of @ocre-ts/actors: options, validation and resolvers read them from here and nowhere else (messaging sizes come from core's defaults).
import type { BackoffOptions } from './spec.ts';

/** Backoff options with every default filled in. */
export type ResolvedBackoff = Required<BackoffOptions>;

/** Default budget for an async handler to settle, ms. */
export const defaultHandlerTimeoutMs = 5000;
/** Default budget for a graceful stop of a container, ms. */
export const defaultShutdownTimeoutMs = 5000;
/** Default budget for a start to become ready, ms. */
export const defaultStartTimeoutMs = 5000;
/** Default time `OcreSystem.stop` lets queued mail drain, ms. */
export const defaultDrainMs = 5000;
/** Default capacity of each container's mailbox. */
export const defaultMailboxCapacity = 100;
/** Default name of the root supervisor. */
export const defaultRootName = 'root';

/** The backoff defaults: 10 ms doubling to 1 s, 20 % jitter, reset after 5 s of health. */
export const defaultBackoff: ResolvedBackoff = Object.freeze({
  minMs: 10,
  maxMs: 1000,
  jitter: 0.2,
  resetAfterMs: 5000,
});

/** Defaults of a supervisor spec: one-for-one, at most 3 restarts within 5 s. */
export const defaultSupervisor = Object.freeze({
  strategy: 'one-for-one',
  maxRestarts: 3,
  withinMs: 5000,
} as const);
