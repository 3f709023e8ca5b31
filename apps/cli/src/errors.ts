// Owns the errors the CLI reports to its user, each with a stable code and the exit code it ends the process with.

/** Stable codes of the CLI's errors. */
export type CliErrorCode = 'USAGE' | 'INVALID_SYSTEM_FILE' | 'INVALID_CHAOS_PLAN' | 'BUILD_FAILED';

/** Exit code for a clean stop. */
export const exitOk = 0;
/** Exit code when the system failed: the root supervisor gave up, or a build failed. */
export const exitFailed = 1;
/** Exit code for bad usage or an invalid system file. */
export const exitUsage = 2;

/**
 * An error the CLI prints as it is (no stack) before exiting with {@link CliError.exitCode}.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  /** Stable code; match on this, never on the message text. */
  readonly code: CliErrorCode;
  /** The process exit code this error ends the command with. */
  readonly exitCode: number;

  /**
   * @param code - the stable code
   * @param message - what went wrong and what to do, ready to print
   * @param cause - the error underneath, if any
   */
  constructor(code: CliErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.exitCode = code === 'BUILD_FAILED' ? exitFailed : exitUsage;
  }
}

/** A usage error: a bad flag, a missing argument. Exit code 2. */
export function usageError(message: string, command?: string): CliError {
  const hint = command === undefined ? 'ocre --help' : `ocre ${command} --help`;
  return new CliError('USAGE', `${message}\nSee \`${hint}\`.`);
}

/**
 * An invalid system: names where it came from, then one line per problem, each starting with
 * the path inside the file. Exit code 2.
 *
 * @param subject - what was invalid, e.g. `system file apps/x/system.yaml`
 * @param problems - `path: what is expected` lines
 * @param code - `INVALID_CHAOS_PLAN` for a chaos plan file
 * @param footer - a last line after the problems, e.g. what is checked only once they are fixed
 */
export function systemFileError(
  subject: string,
  problems: readonly string[],
  code: 'INVALID_SYSTEM_FILE' | 'INVALID_CHAOS_PLAN' = 'INVALID_SYSTEM_FILE',
  footer?: string,
): CliError {
  const lines = problems.map((problem) => `  ${problem}`).join('\n');
  const noun = problems.length === 1 ? 'problem' : 'problems';
  const end = footer === undefined ? '' : `\n${footer}`;
  return new CliError(code, `invalid ${subject} (${problems.length} ${noun}):\n${lines}${end}`);
}

/** Stable codes of the dashboard server's refusals, each with its HTTP status. */
const dashboardErrorStatus = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  MISDIRECTED: 421,
} as const;

/** A code of {@link DashboardRequestError}. */
export type DashboardErrorCode = keyof typeof dashboardErrorStatus;

/**
 * A request the dashboard server refuses: answered with {@link DashboardRequestError.status}
 * and `{ ok: false, code, error }`, never thrown further.
 */
export class DashboardRequestError extends Error {
  override readonly name = 'DashboardRequestError';
  /** The HTTP status it is answered with. */
  readonly status: number;

  /**
   * @param code - the stable code
   * @param message - what was wrong with the request and what to send instead
   */
  constructor(
    readonly code: DashboardErrorCode,
    message: string,
  ) {
    super(message);
    this.status = dashboardErrorStatus[code];
  }
}
