// Owns the link from a child (container or nested supervisor) to whoever supervises it: what it reports when it goes down.
import type { FaultPhase } from './events.ts';

/** Why a child went down, as its supervisor is told. */
export interface ChildDown {
  /** Where it happened; nested supervisors report `runtime`. */
  readonly phase: FaultPhase;
  /** What happened, in one line (the error, or the nested supervisor's reason). */
  readonly error: string;
  /** The child hung (a handler or start that did not settle): its instance was killed. */
  readonly unresponsive: boolean;
  /** No restart can help (a malformed module): the supervisor fails the child at once. */
  readonly permanent: boolean;
  /** Not a fault: the instance ended with exit code 0; only the restart type decides. */
  readonly normalExit: boolean;
}

/** What a child tells its supervisor (or the system, for the root supervisor). */
export interface ChildLink {
  /** Child `name` went down (a fault, a hang, a normal exit, or a nested supervisor giving up) and waits for a decision. */
  childDown(name: string, down: ChildDown): void;
}

/** A fault report with the common fields defaulted. */
export function childFault(
  phase: FaultPhase,
  error: string,
  options: { unresponsive?: boolean; permanent?: boolean } = {},
): ChildDown {
  return {
    phase,
    error,
    unresponsive: options.unresponsive === true,
    permanent: options.permanent === true,
    normalExit: false,
  };
}
