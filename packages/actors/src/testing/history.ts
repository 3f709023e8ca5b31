// Owns the recorded history of a run: one ordered list of every message step, restart decision and system event, filled by a tracer and events$.
import type { Subscription } from 'rxjs';
import type { SystemEvent } from '../events.ts';
import type { OcreSystem } from '../system/ocre-system.ts';
import type { RestartDecision, SystemHooks } from '../system-hooks.ts';

/** One step of a run, in the order it happened. */
export type HistoryEntry =
  /** A message was accepted (recorded in id order, as the router takes it from its queue). */
  | {
      readonly kind: 'accepted';
      readonly mid: bigint;
      readonly topic: string;
      readonly publisher: string;
    }
  /** The router matched it to these containers (one entry per matching subscription). */
  | { readonly kind: 'routed'; readonly mid: bigint; readonly subscribers: readonly string[] }
  /** A container's handler completed on it. */
  | { readonly kind: 'delivered'; readonly mid: bigint; readonly container: string }
  /** A supervisor started its children with a clean restart history. */
  | { readonly kind: 'supervisor-started'; readonly supervisor: string }
  /** A supervisor decided a restart. */
  | { readonly kind: 'restart'; readonly decision: RestartDecision }
  /** An event of `events$` (dead letters are `message.dead-lettered` events). */
  | { readonly kind: 'event'; readonly event: SystemEvent };

/** Records a system's history; give its `hooks` to the system, then `attach` the system. */
export interface HistoryRecorder {
  /** Everything recorded so far, in order. */
  readonly history: HistoryEntry[];
  /** The tracer that records message steps and restarts; pass as the system's `hooks`. */
  readonly hooks: SystemHooks;
  /** Record the system's `events$` too (call before `start`). */
  attach(system: OcreSystem): void;
  /** Stop recording events. */
  detach(): void;
}

/**
 * Make a recorder for {@link checkHistory}.
 *
 * @example
 * const recorder = recordHistory();
 * const system = createOcreSystem({ containers, hooks: recorder.hooks });
 * recorder.attach(system);
 * await system.start();
 * // …
 * await system.stop();
 * expect(checkHistory(recorder.history)).toEqual([]);
 */
export function recordHistory(): HistoryRecorder {
  const history: HistoryEntry[] = [];
  let subscription: Subscription | undefined;
  return {
    history,
    hooks: {
      tracer: {
        accepted: (message, publisher) =>
          history.push({ kind: 'accepted', mid: message.mid, topic: message.topic, publisher }),
        routed: (message, subscribers) =>
          history.push({ kind: 'routed', mid: message.mid, subscribers: [...subscribers] }),
        delivered: (message, container) =>
          history.push({ kind: 'delivered', mid: message.mid, container }),
        supervisorStarted: (supervisor) => history.push({ kind: 'supervisor-started', supervisor }),
        restartDecided: (decision) => history.push({ kind: 'restart', decision }),
      },
    },
    attach(system) {
      subscription?.unsubscribe();
      subscription = system.events$.subscribe((event) => history.push({ kind: 'event', event }));
    },
    detach() {
      subscription?.unsubscribe();
      subscription = undefined;
    },
  };
}
