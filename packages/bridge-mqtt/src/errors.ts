// Owns the errors of @ocre-ts/bridge-mqtt: each a class with a stable code and a message a person can act on.

/** Stable codes of {@link BridgeError}. */
export type BridgeErrorCode =
  /** An option of `defineMqttBridge` is missing or out of range. */
  | 'INVALID_BRIDGE_OPTION'
  /** An export pattern cannot be subscribed to in the system's topic matching mode. */
  | 'EXPORT_PATTERN_UNSUPPORTED';

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

/** True when `value` is a {@link BridgeError}, optionally with `code`. */
export function isBridgeError(value: unknown, code?: BridgeErrorCode): value is BridgeError {
  return value instanceof BridgeError && (code === undefined || value.code === code);
}
