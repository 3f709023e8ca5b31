// Owns the export side: local messages matching the export filters into the bounded outbox, and the outbox onto the broker in order.
import type { OcreMessage } from '@ocre-ts/core';
import type { IClientPublishOptions, MqttClient } from 'mqtt';
import type { BridgeCounters } from './bridge-status.ts';
import { bridgeDefaults } from './defaults.ts';
import { originProperty, originValue } from './origin.ts';
import { OutboxEntry } from './outbox.ts';
import type { Outbox } from './outbox.ts';
import { PublishEncoder, publishPacketBytes } from './publish-encoder.ts';
import { isMqttTopicName, mqttMatches } from './topic-mapping.ts';

/** What the exporter needs from its bridge. */
export interface ExportContext {
  readonly prefix: string;
  readonly qos: 0 | 1;
  readonly retain: boolean;
  readonly systemId: string;
  readonly runId: string;
  readonly filters: readonly string[];
  readonly counters: BridgeCounters;
  readonly outbox: Outbox;
  /** Make the message being delivered a `bridge-outbox-full` dead letter. */
  refuse(error: string): void;
  /** A line for the operator (a publish the broker refused). */
  warn(line: string): void;
}

/** Feeds the outbox from the bridge's deliveries and drains it to the live connection. */
export class Exporter {
  /** Ids of messages this bridge imported whose topic it also exports, in id order: never sent back out. */
  private readonly imported: bigint[] = [];
  private importedHead = 0;
  private client: MqttClient | undefined;
  private connection = 0;
  private window = 0;
  private pumpScheduled = false;
  /** At QoS 0, the socket of the live connection is over its high-water mark. */
  private awaitingDrain = false;
  /** False while the router's subscriptions are exactly the export filters: every delivery matches one. */
  private filterDeliveries = true;
  /** The broker's maximum packet size (CONNACK); larger exports are unexportable. */
  private maxPacketBytes = Infinity;
  /** The origin property's value after the mid: `' <run> <system>'`. */
  private readonly runAndSystem: string;
  /** QoS 0 exports are encoded here and written in batches, not through mqtt.js's `publish`. */
  private readonly encoder: PublishEncoder;

  constructor(private readonly context: ExportContext) {
    this.runAndSystem = ` ${context.runId} ${context.systemId}`;
    this.encoder = new PublishEncoder(context.retain, originProperty, this.runAndSystem);
  }

  /**
   * The bridge subscribed `covers[i]` for `filters[i]`. Where each is the filter itself (wildcard
   * mode, or exact topics) the router already matched by MQTT's rules and deliveries need no
   * second check; a wider cover (prefix mode) makes every delivery checked against the filters.
   */
  subscribedWith(covers: readonly string[]): void {
    const { filters } = this.context;
    this.filterDeliveries = covers.some((cover, i) => cover !== filters[i]);
  }

  /** True when `topic` matches an export filter (MQTT rules, whatever the system's mode). */
  exports(topic: string): boolean {
    const { filters } = this.context;
    for (let i = 0; i < filters.length; i++)
      if (mqttMatches(filters[i] as string, topic)) return true;
    return false;
  }

  /** The bridge published `mid` locally (an import): remember it if it will come back to us. */
  publishedLocally(mid: bigint, topic: string): void {
    if (this.exports(topic)) this.imported.push(mid);
  }

  /** A delivery from the router (the bridge's subscriptions cover the export filters). */
  deliver(message: OcreMessage): void {
    if (this.isOwnImport(message.mid)) return;
    const { counters, outbox, prefix } = this.context;
    if (this.filterDeliveries && !this.exports(message.topic)) return; // a cover's surplus (prefix mode)
    if (!isMqttTopicName(message.topic)) {
      counters.unexportable++;
      return;
    }
    // The pump is scheduled before the entry enters the outbox (and the outbox file schedules
    // its write): at QoS 0 it then goes out on the socket first, and an entry that left within
    // the turn is never written to the file.
    this.schedulePump();
    const pushed = outbox.push(
      new OutboxEntry(
        prefix + message.topic,
        // The payload is the message's own bytes, usually exactly payloadLen long: no new view.
        message.payload.length === message.payloadLen
          ? message.payload
          : message.payload.subarray(0, message.payloadLen),
        message.contentType,
        message.mid,
        this.runAndSystem,
      ),
    );
    if (!pushed) {
      counters.outboxFull++;
      this.context.refuse(
        `the outbox holds ${outbox.capacity} messages the broker has not acknowledged (outboxCapacity)`,
      );
      return;
    }
    counters.outboxed = outbox.size;
  }

  /**
   * A connection is up: resend what the last one left unacknowledged, then keep draining.
   * `maxPacketBytes` is the broker's maximum packet size from its CONNACK (Infinity if none).
   */
  attach(client: MqttClient, connection: number, window: number, maxPacketBytes: number): void {
    this.client = client;
    this.connection = connection;
    this.window = window;
    this.maxPacketBytes = maxPacketBytes;
    this.awaitingDrain = false;
    this.context.outbox.resend();
    this.pump();
  }

  /** The connection is gone: what it had in flight will be resent on the next one. */
  detach(): void {
    this.client = undefined;
    this.context.outbox.resend();
  }

  private pump(): void {
    const { client } = this;
    if (client === undefined) return;
    if (this.context.qos === 0) this.pumpAtMostOnce(client);
    else this.pumpAcknowledged(client, this.connection);
  }

  /** QoS 1: keep `window` publishes unacknowledged; each PUBACK settles its entry. */
  private pumpAcknowledged(client: MqttClient, connection: number): void {
    const { outbox } = this.context;
    while (outbox.inFlight < this.window) {
      const entry = outbox.takeUnsent();
      if (entry === undefined) return;
      if (
        this.maxPacketBytes !== Infinity &&
        publishPacketBytes(entry, originProperty, entry.origin, 1) > this.maxPacketBytes
      ) {
        this.oversized(entry);
        continue;
      }
      const payload = Buffer.from(
        entry.payload.buffer,
        entry.payload.byteOffset,
        entry.payload.length,
      );
      client.publish(entry.topic, payload, this.publishOptions(entry), (error) =>
        this.settled(entry, connection, client, error),
      );
    }
  }

  /**
   * QoS 0: nothing comes back from the broker, so an entry is exported once it is written to the
   * socket. The exporter encodes the PUBLISH packets itself ({@link PublishEncoder}) and writes a
   * batch in a few chunks straight to the connection's stream; mqtt.js keeps the connection (its
   * own packets are whole writes too, so they never interleave inside ours). At most
   * `qos0Batch` per event-loop turn, and none while the socket waits for `'drain'`.
   */
  private pumpAtMostOnce(client: MqttClient): void {
    if (this.awaitingDrain) return;
    const { outbox, counters } = this.context;
    const { encoder } = this;
    if (!client.connected || client.disconnecting) return; // resent on the next connection
    for (let taken = 0; taken < bridgeDefaults.qos0Batch; taken++) {
      const entry = outbox.takeUnsent();
      if (entry === undefined) break;
      if (!encoder.add(entry, this.maxPacketBytes)) {
        this.oversized(entry);
        continue;
      }
      counters.exported++;
      outbox.ack(entry);
    }
    const { stream } = client;
    for (const chunk of encoder.take()) stream.write(chunk);
    counters.outboxed = outbox.size;
    if (outbox.size === 0) return;
    if (!stream.writableNeedDrain) {
      this.schedulePump();
      return;
    }
    this.awaitingDrain = true;
    stream.once('drain', () => {
      if (this.client?.stream !== stream) return; // a later connection reset the flag
      this.awaitingDrain = false;
      this.schedulePump();
    });
  }

  /** An export larger than the broker accepts: counted, said once, and let go (it can never be sent). */
  private oversized(entry: OutboxEntry): void {
    const { outbox, counters } = this.context;
    counters.unexportable++;
    this.context.warn(
      `not exported: a message on ${entry.topic} is larger than the broker's maximum packet size (${this.maxPacketBytes} bytes)`,
    );
    outbox.ack(entry);
  }

  private publishOptions(entry: OutboxEntry): IClientPublishOptions {
    return {
      qos: this.context.qos,
      retain: this.context.retain,
      properties: {
        contentType: entry.contentType,
        userProperties: { [originProperty]: originValue(entry.mid, entry.origin) },
      },
    };
  }

  private settled(
    entry: OutboxEntry,
    connection: number,
    client: MqttClient,
    error: Error | null | undefined,
  ): void {
    // A callback of a lost connection: its entries were already put back for resending.
    if (connection !== this.connection || this.client !== client) return;
    const { outbox, counters } = this.context;
    // mqtt.js passes null (or nothing) for success.
    if (error !== undefined && error !== null) {
      if (!client.connected) return; // the connection is closing: resent on the next one
      // The broker answered with an error reason (not authorised, quota): retrying cannot help.
      counters.brokerRefused++;
      this.context.warn(
        `the broker refused ${entry.topic} (message ${entry.mid}): ${error.message}`,
      );
    } else {
      counters.exported++;
    }
    outbox.ack(entry);
    counters.outboxed = outbox.size;
    this.schedulePump();
  }

  /**
   * Refill the window once per event-loop turn rather than once per acknowledgement: the
   * publishes of one turn then leave in one socket write (mqtt.js corks until the next tick).
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private isOwnImport(mid: bigint): boolean {
    const { imported } = this;
    while (this.importedHead < imported.length && (imported[this.importedHead] as bigint) < mid)
      this.importedHead++; // an import that never reached us (dead-lettered on the way)
    let own = false;
    if (this.importedHead < imported.length && imported[this.importedHead] === mid) {
      this.importedHead++;
      own = true;
    }
    if (this.importedHead > 1024 && this.importedHead * 2 > imported.length) {
      imported.splice(0, this.importedHead);
      this.importedHead = 0;
    }
    return own;
  }
}
