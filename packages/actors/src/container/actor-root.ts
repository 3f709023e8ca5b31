// Owns the one xstate actor system every container actor of an Ocre system lives in: a root actor whose children they are, and retiring them at the end.
import { createActor, fromTransition } from 'xstate';
import type { AnyActorRef } from 'xstate';
import type { Clock } from '../clock.ts';
import type { UnhandledErrorReporter } from '../errors.ts';

/**
 * Start the root of a system's container actors. Each container actor is created with it as
 * `parent`, so all of them share one xstate system (one scheduler, one registry) instead of
 * building one each; an error a child actor raises reaches `reportError` through it.
 */
export function createActorRoot(clock: Clock, reportError: UnhandledErrorReporter): AnyActorRef {
  const logic = fromTransition((state: undefined, event: { type: string; error?: unknown }) => {
    if (event.type.startsWith('xstate.error.actor')) reportError(event.error, 'a container actor');
    return state;
  }, undefined);
  return createActor(logic, { clock }).start();
}

/**
 * Stop a child of the root for good, as `actor.stop()` stops a root actor: its timers are
 * cancelled and its observers completed. (xstate refuses `stop()` on a child, whose parent
 * normally stops it; the root never stops its children, so the system does it here.)
 */
export function retireActor(actor: AnyActorRef): void {
  (actor as unknown as { _stop(): void })._stop();
}
