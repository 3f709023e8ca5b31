// Owns the supervision rule for one child going down: restart type, fault directive and normal exits decide, before strategy and intensity apply.
import type { ChildDown } from '../child-link.ts';
import type { ChildSpec, FaultDirective, RestartType } from '../spec.ts';

/**
 * What a supervisor does when one child goes down:
 * - `resume`: keep the instance, the faulting message is already a dead letter;
 * - `stop`: stop the child for good (`container.stopped`), siblings untouched;
 * - `fail-child`: the child is down for good (`container.failed`), siblings untouched;
 * - `escalate`: the supervisor itself fails and its parent decides;
 * - `restart`: restart the child's group (per strategy), after backoff, within intensity.
 */
export type SupervisorDecision =
  | { readonly kind: 'resume' }
  | { readonly kind: 'stop'; readonly reason: string }
  | { readonly kind: 'fail-child'; readonly reason: string }
  | { readonly kind: 'escalate'; readonly reason: string }
  | { readonly kind: 'restart' };

/** The child as the rule sees it. */
export interface DecisionChild {
  readonly name: string;
  readonly restart: RestartType;
  readonly onFault: FaultDirective;
  /** Containers can resume after a handler fault; nested supervisors cannot. */
  readonly isContainer: boolean;
}

/**
 * Decide about one child going down, in this order:
 * 1. a normal exit (code 0) is not a fault: `permanent` restarts, `transient` and `temporary` stop;
 * 2. a permanent fault (`RuntimeFault.permanent`) fails the child: no restart can help;
 * 3. the directive: `resume` (only a handler fault of a responsive container; otherwise it
 *    restarts), `stop`, `escalate`;
 * 4. the restart type: `temporary` is never restarted (it fails), `permanent` and `transient` restart.
 *
 * @example
 * decideChildDown({ name: 'a', restart: 'transient', onFault: 'restart', isContainer: true }, down, 'root');
 */
export function decideChildDown(
  child: DecisionChild,
  down: ChildDown,
  supervisor: string,
): SupervisorDecision {
  if (down.normalExit) {
    return child.restart === 'permanent'
      ? { kind: 'restart' }
      : { kind: 'stop', reason: `exited normally; a ${child.restart} child is not restarted` };
  }
  const what = `${down.phase} fault: ${down.error}`;
  if (down.permanent) return { kind: 'fail-child', reason: `cannot be restarted (${what})` };
  switch (child.onFault) {
    case 'resume':
      if (down.phase === 'handler' && !down.unresponsive && child.isContainer)
        return { kind: 'resume' };
      break;
    case 'stop':
      return {
        kind: 'stop',
        reason: `stopped by its supervisor "${supervisor}" (directive stop after ${what})`,
      };
    case 'escalate':
      return {
        kind: 'escalate',
        reason: `child "${child.name}" escalated (${what})`,
      };
    case 'restart':
      break;
  }
  if (child.restart === 'temporary')
    return { kind: 'fail-child', reason: `temporary child not restarted (${what})` };
  return { kind: 'restart' };
}

/** A child's restart type, defaulted to `permanent`. */
export const restartTypeOf = (child: { readonly spec: ChildSpec }): RestartType =>
  child.spec.restart ?? 'permanent';
