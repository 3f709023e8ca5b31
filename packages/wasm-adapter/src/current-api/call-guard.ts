// Owns how a current-API import fails: a refused call returns a negative errno and is reported, a host bug becomes a refused call, and only the guest's own faults (a trap in its malloc or free) propagate.
import { fail } from './errno.ts';
import type { ErrnoResult, errno } from './errno.ts';

/** An exception thrown by guest code the host called (malloc, free): it belongs to the guest. */
class GuestFault extends Error {
  constructor(readonly fault: unknown) {
    super('guest fault');
  }
}

/** Call guest code from inside an import: whatever it throws is the guest's fault, rethrown as such by {@link CallGuard.guard}. */
export function callGuest<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw new GuestFault(error);
  }
}

/** Refusing and guarding the calls of one guest instance. */
export interface CallGuard {
  /** Fail `call` with `-code`, telling `onCallError` why. */
  readonly refuse: (call: string, code: keyof typeof errno, reason: string) => ErrnoResult;
  /** Run the body of `call`: a host error refuses it with `-EINVAL`, a guest fault propagates. */
  readonly guard: (call: string, body: () => number) => number;
}

/**
 * The guard of one guest instance's current-API calls.
 *
 * @param onCallError - told of each refused call and why (the reason starts with the call's name)
 */
export function createCallGuard(
  onCallError: ((call: string, result: number, reason: string) => void) | undefined,
): CallGuard {
  const refuse = (call: string, code: keyof typeof errno, reason: string): ErrnoResult => {
    const result = fail(code);
    // GuestMemory's messages already start with the call's name.
    onCallError?.(call, result, reason.startsWith(`${call}:`) ? reason : `${call}: ${reason}`);
    return result;
  };
  const guard = (call: string, body: () => number): number => {
    try {
      return body();
    } catch (error) {
      if (error instanceof GuestFault) throw error.fault;
      // A host bug must not become a guest trap: the call fails like any other.
      return refuse(call, 'EINVAL', `internal host error: ${String(error)}`);
    }
  };
  return { refuse, guard };
}
