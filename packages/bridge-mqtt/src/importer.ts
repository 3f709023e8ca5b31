// Owns the import side: a broker message checked, deduplicated and offered to the local router queue, acknowledged only once accepted.
import type { OcreFacade } from '@ocre-ts/core';
import type { Clock } from '@ocre-ts/actors';
import type { IPublishPacket } from 'mqtt';
import type { BridgeCounters, ImportRejectReason } from './bridge-status.ts';
import { bridgeDefaults } from './defaults.ts';
import type { DedupeWindow } from './dedupe-window.ts';
import { readOrigin } from './origin.ts';

/** What the importer needs from its bridge. */
export interface ImportContext {
  readonly prefix: string;
  readonly systemId: string;
  readonly counters: BridgeCounters;
  readonly dedupe: DedupeWindow;
  readonly clock: Clock;
  /** The current instance's facade (it checks the system's limits); undefined while stopped. */
  current(): OcreFacade | undefined;
  /** True while `connection` is the live connection (a stale one's acks mean nothing). */
  isLive(connection: number): boolean;
  /** A message this bridge published locally: its export side must not send it back out. */
  publishedLocally(mid: bigint, topic: string): void;
}

/** A broker message that passed the checks. */
interface Candidate {
  readonly topic: string;
  readonly contentType: string;
  readonly payload: Uint8Array;
  readonly key: string | undefined;
}

/**
 * Takes broker messages one at a time (mqtt.js waits for `done` before reading the next packet,
 * so a full local queue holds the whole connection back: TCP back-pressure, and at QoS 1 no
 * PUBACK until the router accepted the message; the broker's in-flight is bounded by our MQTT 5
 * receive maximum).
 */
export class Importer {
  constructor(private readonly context: ImportContext) {}

  /** Handle one packet from connection `connection`; `done` acknowledges it to the broker. */
  receive(packet: IPublishPacket, connection: number, done: () => void): void {
    const { counters, dedupe } = this.context;
    const checked = this.check(packet);
    if (checked === 'own') {
      counters.loops++;
      done();
      return;
    }
    if (typeof checked === 'string') {
      this.reject(checked);
      done();
      return;
    }
    if (checked.key !== undefined && !dedupe.admit(checked.key)) {
      counters.duplicates++;
      done();
      return;
    }
    this.offer(checked, connection, done, 0);
  }

  private offer(message: Candidate, connection: number, done: () => void, attempt: number): void {
    const { counters, dedupe, clock } = this.context;
    const current = this.context.current();
    if (current === undefined || !this.context.isLive(connection)) {
      // Stopped, or the connection is gone: not acknowledged, so the broker sends it again.
      if (message.key !== undefined) dedupe.forget(message.key);
      return;
    }
    // The packet's payload is ours alone (mqtt.js hands each packet out once and never writes to
    // it again), so it is handed over, not copied a second time.
    const result = current.publish(message.topic, message.contentType, message.payload, undefined, {
      transfer: true,
    });
    if (result.ok) {
      counters.imported++;
      this.context.publishedLocally(result.value, message.topic);
      done();
      return;
    }
    switch (result.error.code) {
      case 'QUEUE_FULL': {
        if (attempt === 0) counters.backpressured++;
        const delay = Math.min(bridgeDefaults.retryMaxMs, bridgeDefaults.retryMinMs * 2 ** attempt);
        clock.setTimeout(() => this.offer(message, connection, done, attempt + 1), delay);
        return;
      }
      case 'SHUTTING_DOWN':
      case 'NOT_INITIALIZED':
        if (message.key !== undefined) dedupe.forget(message.key);
        return;
      default:
        if (message.key !== undefined) dedupe.forget(message.key);
        this.reject(rejectReasonOf(result.error.code));
        done();
    }
  }

  /** The checks the facade cannot make; it checks lengths against the system's limits on publish. */
  private check(packet: IPublishPacket): Candidate | ImportRejectReason | 'own' {
    const { prefix, systemId } = this.context;
    if (!packet.topic.startsWith(prefix)) return 'outside-prefix';
    if (packet.topic.includes('\uFFFD')) return 'invalid-utf8';
    const topic = packet.topic.slice(prefix.length);
    if (topic.length === 0) return 'invalid-topic';
    const payload =
      typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    if (payload.length === 0) return 'empty-payload';
    const properties = packet.properties;
    const contentType: unknown = properties?.contentType ?? bridgeDefaults.contentType;
    if (typeof contentType !== 'string' || contentType.length === 0) return 'invalid-content-type';
    const origin = readOrigin(properties?.userProperties);
    if (origin === 'bad-origin') return origin;
    if (origin === undefined) return { topic, contentType, payload, key: undefined };
    if (origin.system === systemId) return 'own';
    return { topic, contentType, payload, key: origin.key };
  }

  private reject(reason: ImportRejectReason): void {
    const { counters } = this.context;
    counters.rejected++;
    counters[`rejected.${reason}`] = (counters[`rejected.${reason}`] ?? 0) + 1;
  }
}

function rejectReasonOf(code: string): ImportRejectReason {
  switch (code) {
    case 'TOPIC_TOO_LONG':
      return 'topic-too-long';
    case 'PAYLOAD_TOO_LARGE':
      return 'payload-too-large';
    case 'INVALID_PAYLOAD':
      return 'empty-payload';
    case 'INVALID_CONTENT_TYPE':
      return 'invalid-content-type';
    case 'CONTENT_TYPE_TOO_LONG':
      return 'content-type-too-long';
    default:
      return 'invalid-topic';
  }
}
