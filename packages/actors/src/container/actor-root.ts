// Owns the one xstate actor system every container actor of an Ocre system lives in: a root actor whose children they are, and retiring them at the end.
import { createActor, fromTransition } from 'xstate';
import type { AnyActorRef } from 'xstate';
import type { Clock } from '../clock.ts';
import type { UnhandledErrorReporter } from '../errors.ts';

/** What the root handles: a child to retire, or an error a child raised. */
type RootEvent =
  | { readonly type: 'ocre.retire'; readonly child: AnyActorRef }
  | { readonly type: string; readonly error?: unknown };

/**
 * Start the root of a system's container actors. Each container actor is created with it as
 * `parent`, so all of them share one xstate system (one scheduler, one registry) instead of
 * building one each; an error a child actor raises reaches `reportError` through it.
 */
export function createActorRoot(clock: Clock, reportError: UnhandledErrorReporter): AnyActorRef {
  const logic = fromTransition((state: undefined, event: RootEvent, actorScope) => {
    if (event.type === 'ocre.retire' && 'child' in event) actorScope.stopChild(event.child);
    else if (event.type.startsWith('xstate.error.actor') && 'error' in event)
      reportError(event.error, 'a container actor');
    return state;
  }, undefined);
  return createActor(logic, { clock }).start();
}

/**
 * Stop a child of the root for good, as `actor.stop()` stops a root actor: its timers are
 * cancelled and its observers completed. xstate lets only a child's parent stop it, so the root
 * does, through its actor scope's public `stopChild` (the root never stops its children itself).
 *
 * @param root - the root from {@link createActorRoot}
 * @param actor - a child of `root`
 */
export function retireActor(root: AnyActorRef, actor: AnyActorRef): void {
  root.send({ type: 'ocre.retire', child: actor });
}
