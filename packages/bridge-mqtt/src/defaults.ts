// Owns every default and bound of a bridge in one place.

/** The defaults and bounds of {@link MqttBridgeOptions}, named so the README and errors can cite them. */
export const bridgeDefaults = Object.freeze({
  /** Broker topic = prefix + local topic, both ways. */
  prefix: 'ocre/',
  /** QoS of exported publishes and import subscriptions. */
  qos: 1,
  /** Messages held while the broker is away or has not acknowledged them yet. */
  outboxCapacity: 10_000,
  /** Recent (origin, run, mid) keys remembered to recognise redeliveries. */
  dedupeWindow: 10_000,
  /** MQTT 5 receive maximum: QoS 1 messages the broker may have in flight to us, unacknowledged. */
  receiveMaximum: 100,
  /** QoS 1 publishes we keep in flight to the broker (further capped by the broker's own receive maximum). */
  maxInflight: 100,
  /** QoS 0 exports written to the socket per event-loop turn (none while the socket waits for 'drain'). */
  qos0Batch: 1024,
  /** Reconnect backoff: the first retry after this long… */
  reconnectMinMs: 100,
  /** …doubling up to this. */
  reconnectMaxMs: 5_000,
  /** Fraction of each reconnect delay taken off at random, so many bridges do not retry in step. */
  reconnectJitter: 0.2,
  /** A connect attempt that has no CONNACK after this long is abandoned. */
  connectTimeoutMs: 5_000,
  /** MQTT keepalive. */
  keepaliveSeconds: 30,
  /** How long the broker keeps our session (subscriptions and queued QoS 1 messages) while we are away. */
  sessionExpirySeconds: 3_600,
  /** MQTT 5 maximum packet size we accept; the broker discards larger messages for us. */
  maxPacketBytes: 1_048_576,
  /** A refused local publish (router queue full) is retried after this long, doubling… */
  retryMinMs: 1,
  /** …up to this, while the broker's message stays unacknowledged. */
  retryMaxMs: 50,
  /** On a stop while connected, how long the outbox may take to drain (below the 5 s default shutdown timeout). */
  stopDrainMs: 2_000,
  /** Then how long a clean close may wait for the broker (its acknowledgements) before the connection is dropped. */
  closeTimeoutMs: 1_000,
  /** With `outboxFile`: when the file is flushed to the disk (`'none'`: never; `'batch'`: fsync per batch). */
  outboxSync: 'none',
  /** The outbox file is rewritten (temporary file + rename) once larger than this and… */
  outboxCompactBytes: 4 * 1024 * 1024,
  /** …its live entries are fewer than this fraction of its entry records. */
  outboxCompactLiveFraction: 0.25,
  /** After a failed write to the outbox file, how long until it is rewritten (while exports flow). */
  outboxRetryMs: 1_000,
  /** Content type given to an imported message that carries none. */
  contentType: 'application/octet-stream',
});

/** The largest outbox, dedupe window and in-flight counts accepted. */
export const maxBridgeBound = 10_000_000;
