// Owns a bridge's states, counters and import-rejection reasons: the names events$, metrics$ and the CLI show.

/**
 * A bridge's connection state:
 * - `connecting`: the first connection attempt of this runtime is under way;
 * - `connected`: CONNACK received; exports flow, imports arrive;
 * - `reconnecting`: the broker went away (or refused us); retrying with backoff while the
 *   outbox holds exports;
 * - `stopped`: the bridge's container is stopped.
 */
export type BridgeState = 'connecting' | 'connected' | 'reconnecting' | 'stopped';

/**
 * Why a message from the broker was not imported (acknowledged, counted, never retried):
 * - `outside-prefix`: its topic does not start with the bridge's prefix;
 * - `invalid-utf8`: its topic held bytes that are not UTF-8 (decoded as U+FFFD);
 * - `invalid-topic`: the local topic is empty or not a valid topic in the system's mode;
 * - `topic-too-long`: the local topic is over the system's `maxTopicBytes`;
 * - `empty-payload`: no payload bytes (an Ocre message has at least one);
 * - `payload-too-large`: over the system's `maxPayloadBytes`;
 * - `invalid-content-type`: the MQTT 5 content type property is not a non-empty string;
 * - `content-type-too-long`: over the system's `maxContentTypeBytes`;
 * - `bad-origin`: the `ocre-origin` user property repeated or not `<mid> <run> <system>`.
 */
export type ImportRejectReason =
  | 'outside-prefix'
  | 'invalid-utf8'
  | 'invalid-topic'
  | 'topic-too-long'
  | 'empty-payload'
  | 'payload-too-large'
  | 'invalid-content-type'
  | 'content-type-too-long'
  | 'bad-origin';

/** Every import rejection reason. */
export const importRejectReasons: readonly ImportRejectReason[] = Object.freeze([
  'outside-prefix',
  'invalid-utf8',
  'invalid-topic',
  'topic-too-long',
  'empty-payload',
  'payload-too-large',
  'invalid-content-type',
  'content-type-too-long',
  'bad-origin',
]);

/**
 * A bridge's counters, for the life of the bridge (across restarts of its container):
 * - `exported`: local messages the broker acknowledged;
 * - `imported`: broker messages accepted into the local router queue;
 * - `duplicates`: broker messages recognised by (origin, run, mid) as already imported;
 * - `outboxed`: exports held now, waiting for the broker (a gauge);
 * - `outboxFull`: exports refused for a full outbox (each a `bridge-outbox-full` dead letter);
 * - `loops`: broker messages that originated in this very system, dropped;
 * - `rejected`: broker messages refused as bad input (also `rejected.<reason>` per reason);
 * - `backpressured`: broker messages that waited because the local queue was full;
 * - `unexportable`: local messages on topics MQTT cannot carry (holding `+`, `#` or NUL), or
 *   larger than the broker's maximum packet size (announced in its CONNACK; said on stderr);
 * - `brokerRefused`: exports the broker refused with a PUBACK error reason (logged);
 * - `connects`: successful connections;
 * - `journalled`: exports replayed from the outbox file at start (with `outboxFile`);
 * - `journalErrors`: outbox file problems survived (a torn or corrupt record at start, a failed
 *   write mid-run), each said on stderr.
 */
export type BridgeCounterName =
  | 'exported'
  | 'imported'
  | 'duplicates'
  | 'outboxed'
  | 'outboxFull'
  | 'loops'
  | 'rejected'
  | 'backpressured'
  | 'unexportable'
  | 'brokerRefused'
  | 'connects'
  | 'journalled'
  | 'journalErrors';

/** The counters record; per-reason rejections appear as `rejected.<reason>` once non-zero. */
export type BridgeCounters = Record<BridgeCounterName, number> &
  Partial<Record<`rejected.${ImportRejectReason}`, number>>;

/** A fresh set of counters, all zero. */
export function createBridgeCounters(): BridgeCounters {
  return {
    exported: 0,
    imported: 0,
    duplicates: 0,
    outboxed: 0,
    outboxFull: 0,
    loops: 0,
    rejected: 0,
    backpressured: 0,
    unexportable: 0,
    brokerRefused: 0,
    connects: 0,
    journalled: 0,
    journalErrors: 0,
  };
}

/** A bridge's state and a copy of its counters. */
export interface BridgeStatus {
  readonly state: BridgeState;
  readonly counters: Readonly<BridgeCounters>;
}
