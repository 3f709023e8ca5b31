// Owns the errors of @ocre-ts/bridge-mqtt: each a class with a stable code and a message a person can act on.

/** Stable codes of {@link BridgeError}. */
export type BridgeErrorCode =
  /** An option of `defineMqttBridge` is missing or out of range. */
  | 'INVALID_BRIDGE_OPTION'
  /** An export pattern cannot be subscribed to in the system's topic matching mode. */
  | 'EXPORT_PATTERN_UNSUPPORTED'
  /** The outbox file (or its lock file) cannot be created, read or written at start. */
  | 'OUTBOX_FILE_UNUSABLE'
  /** Another live bridge (in this process or another) holds the outbox file's lock. */
  | 'OUTBOX_FILE_LOCKED'
  /** The outbox file exists but is not an outbox file (it would be overwritten). */
  | 'OUTBOX_FILE_FOREIGN'
  /** A record in the middle of the outbox file fails its checksum (reported, not thrown). */
  | 'OUTBOX_FILE_CORRUPT'
  /** The last record of the outbox file is incomplete: a crash mid-write (reported, not thrown). */
  | 'OUTBOX_FILE_TORN'
  /** The outbox file held more pending exports than `outboxCapacity` (reported, not thrown). */
  | 'OUTBOX_FILE_OVER_CAPACITY'
  /** Writing the outbox file failed mid-run, e.g. disk full (reported, not thrown). */
  | 'OUTBOX_WRITE_FAILED';

/** A bridge that cannot be built or started as configured. Match on `code`, never on the message. */
export class BridgeError extends Error {
  override readonly name = 'BridgeError';

  /**
   * @param code - the stable code
   * @param message - what is wrong and what to do instead
   */
  constructor(
    readonly code: BridgeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A line for stderr about a problem the bridge survives: `[CODE] message`. */
export function bridgeProblem(code: BridgeErrorCode, message: string): string {
  return `[${code}] ${message}`;
}

/** True when `value` is a {@link BridgeError}, optionally with `code`. */
export function isBridgeError(value: unknown, code?: BridgeErrorCode): value is BridgeError {
  return value instanceof BridgeError && (code === undefined || value.code === code);
}
