// Owns every error @ocre-ts/core can report: the stable codes and the typed error class.

/** Stable machine-readable codes for every way an Ocre operation can fail. */
export type OcreErrorCode =
  | 'NOT_INITIALIZED'
  | 'INVALID_TOPIC'
  | 'TOPIC_TOO_LONG'
  | 'INVALID_CONTENT_TYPE'
  | 'CONTENT_TYPE_TOO_LONG'
  | 'INVALID_PAYLOAD'
  | 'PAYLOAD_TOO_LARGE'
  | 'QUEUE_FULL'
  | 'INVALID_HANDLER'
  | 'SUBSCRIPTION_LIMIT'
  | 'INVALID_PATTERN'
  | 'SHUTTING_DOWN'
  | 'INVALID_OPTION'
  | 'HOST_ERROR';

/**
 * The one error type of @ocre-ts/core: a stable `code` plus a message a person can act on.
 *
 * @example
 * if (error instanceof OcreError && error.code === 'QUEUE_FULL') retryLater();
 */
export class OcreError extends Error {
  override readonly name = 'OcreError';
  /** Stable code; match on this, never on the message text. */
  readonly code: OcreErrorCode;

  /**
   * @param code - the stable code of this failure
   * @param message - what went wrong and what to do about it
   */
  constructor(code: OcreErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** True when `value` is an {@link OcreError}, optionally with the given code. */
export function isOcreError(value: unknown, code?: OcreErrorCode): value is OcreError {
  return value instanceof OcreError && (code === undefined || value.code === code);
}
