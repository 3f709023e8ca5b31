// Owns every error the actors package reports: stable codes and the typed error class.

/** Stable codes of the actors package's errors. */
export type SystemErrorCode =
  'INVALID_SYSTEM_OPTIONS' | 'DUPLICATE_NAME' | 'ALREADY_STARTED' | 'UNKNOWN_CONTAINER';

/**
 * An error of the actors package: a stable `code`, a message a person can act on and,
 * where one caused it, the underlying `cause`.
 */
export class SystemError extends Error {
  override readonly name = 'SystemError';
  /** Stable code; match on this, never on the message text. */
  readonly code: SystemErrorCode;

  /**
   * @param code - the stable code
   * @param message - what went wrong and what to do
   * @param cause - the error underneath, if any
   */
  constructor(code: SystemErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
  }
}

/** Describe any thrown value in one line, for events and messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** Errors nobody observes (an observer that throws, a stray rejection) go through this hook. */
export type UnhandledErrorReporter = (error: unknown, where: string) => void;

/** The default reporter: one line on stderr; never throws. */
export const reportToStderr: UnhandledErrorReporter = (error, where) => {
  try {
    process.stderr.write(`ocre-ts: unhandled error in ${where}: ${describeError(error)}\n`);
  } catch {
    // Nothing else can be done: reporting must never throw into the router.
  }
};

/**
 * `hook`, except that what it throws goes to `report` (naming `where`) instead of into its
 * caller: a user's output or warning hook that throws must not take a container, or the host
 * thread a worker reports on, down with it.
 */
export function guardHook<TArgs extends unknown[]>(
  hook: (...args: TArgs) => void,
  report: UnhandledErrorReporter,
  where: string,
): (...args: TArgs) => void {
  return (...args) => {
    try {
      hook(...args);
    } catch (error) {
      report(error, where);
    }
  };
}
