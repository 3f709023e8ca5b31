// Owns one bridge's life as a container runtime: its broker connection, reconnects with backoff, states, and the outbox and counters that outlive restarts.
import type { IClientOptions, IConnackPacket, MqttClient } from 'mqtt';
import type { OcreFacade, OcreMessage } from '@ocre-ts/core';
import type { ContainerRuntime, RuntimeHost, TimerHandle } from '@ocre-ts/actors';
import { createBridgeCounters } from './bridge-status.ts';
import type { BridgeCounters, BridgeState, BridgeStatus } from './bridge-status.ts';
import { bridgeDefaults } from './defaults.ts';
import { DedupeWindow } from './dedupe-window.ts';
import { Exporter } from './exporter.ts';
import { Importer } from './importer.ts';
import { OutboxJournal } from './journal/outbox-journal.ts';
import type { ResolvedBridgeOptions } from './options.ts';
import { newRunId } from './origin.ts';
import { Outbox } from './outbox.ts';
import { coveringSubscription } from './topic-mapping.ts';

type Connect = (url: string, options: IClientOptions) => MqttClient;
let mqttClient: Promise<Connect> | undefined;
/** The mqtt client library, loaded on the first bridge start: importing this package stays cheap. */
function loadMqtt(): Promise<Connect> {
  mqttClient ??= import('mqtt').then((module) => module.connect);
  return mqttClient;
}

/** The handler name the bridge subscribes its export patterns with. */
const exportHandler = 'export';

/**
 * The runtime behind a bridge's container. The supervisor starts, restarts and stops it like any
 * container; the outbox, the dedupe window and the counters belong to the runtime and survive
 * restarts. A broker that is away is a state (`reconnecting`), not a fault: faults count against
 * restart intensity, and a broker away for minutes must not bring the system down.
 */
export class MqttBridgeRuntime implements ContainerRuntime {
  /** The bridge's counters (live; `status()` copies them). */
  readonly counters: BridgeCounters = createBridgeCounters();
  private readonly outbox: Outbox;
  private readonly dedupe: DedupeWindow;
  private readonly exporter: Exporter;
  private readonly importer: Importer;
  /** The outbox file's journal; undefined without `outboxFile`. */
  private readonly journal: OutboxJournal | undefined;
  private readonly runId = newRunId();
  private state: BridgeState = 'stopped';
  private host: RuntimeHost | undefined;
  private client: MqttClient | undefined;
  /** Bumped on every connection attempt and stop: callbacks of older ones are ignored. */
  private connection = 0;
  private failures = 0;
  private everConnected = false;
  private timer: TimerHandle | undefined;
  private lastWarning = '';
  private connectWith: Connect | undefined;

  constructor(private readonly options: ResolvedBridgeOptions) {
    this.outbox = new Outbox(options.outboxCapacity);
    this.dedupe = new DedupeWindow(options.dedupeWindow);
    this.exporter = new Exporter({
      prefix: options.prefix,
      qos: options.qos,
      retain: options.retain,
      systemId: options.systemId,
      runId: this.runId,
      filters: options.export,
      counters: this.counters,
      outbox: this.outbox,
      refuse: (error) => this.host?.deadLetterCurrent?.('bridge-outbox-full', error),
      warn: (line) => this.warn(line),
    });
    this.importer = new Importer({
      prefix: options.prefix,
      systemId: options.systemId,
      counters: this.counters,
      dedupe: this.dedupe,
      clock: options.clock,
      current: (): OcreFacade | undefined => this.host?.api,
      isLive: (connection) => connection === this.connection && this.client !== undefined,
      publishedLocally: (mid, topic) => this.exporter.publishedLocally(mid, topic),
    });
    this.journal =
      options.outboxFile === undefined
        ? undefined
        : new OutboxJournal({
            file: options.outboxFile,
            sync: options.outboxSync,
            clock: options.clock,
            counters: this.counters,
            warn: (line) => this.warn(line),
          });
  }

  /** The bridge's state and a copy of its counters. */
  status(): BridgeStatus {
    return { state: this.state, counters: { ...this.counters } };
  }

  /** Subscribe the export patterns (covered in the system's matching mode) and connect. */
  start(host: RuntimeHost): Promise<void> {
    this.host = host;
    const { api } = host;
    api.ocre_msg_system_init();
    try {
      // Replayed (first start) or rewritten from memory (a restart) before any new export.
      this.journal?.open(this.outbox);
      const covers = this.options.export.map((p) =>
        coveringSubscription(host.messaging.topicMatching, p),
      );
      this.exporter.subscribedWith(covers);
      for (const cover of new Set(covers)) {
        const subscribed = api.subscribe(cover, exportHandler);
        if (!subscribed.ok) throw subscribed.error;
      }
    } catch (error) {
      // Restarting cannot make an unsupported pattern supported, nor a locked or unusable file usable.
      this.journal?.close();
      host.fault({ phase: 'start', error, permanent: true });
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    this.setState(this.everConnected ? 'reconnecting' : 'connecting');
    const connection = this.connection;
    return loadMqtt().then((connect) => {
      this.connectWith = connect;
      // Stopped while the library loaded: do not connect.
      if (connection === this.connection && this.host === host) this.connect();
    });
  }

  /** An exported message from the router. */
  deliver(message: OcreMessage): void {
    this.exporter.deliver(message);
  }

  /** Only the export handler. */
  hasHandler(handlerName: string): boolean {
    return handlerName === exportHandler;
  }

  /**
   * Close the connection cleanly. While connected, first give the outbox up to `stopDrainMs` to
   * empty; what is still unacknowledged then stays in the outbox for the next start of this
   * bridge (and is said on stderr: a process that ends now loses it).
   */
  async stop(): Promise<void> {
    const { clock } = this.options;
    const deadline = clock.now() + bridgeDefaults.stopDrainMs;
    while (this.state === 'connected' && this.outbox.size > 0 && clock.now() < deadline)
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 10));
    const held = this.outbox.size;
    if (held > 0)
      this.warn(
        this.options.outboxFile === undefined
          ? `stopping with ${held} exported messages the broker has not acknowledged; they stay in the outbox of this bridge object (lost if the process ends)`
          : `stopping with ${held} exported messages the broker has not acknowledged; they stay in the outbox file ${this.options.outboxFile}, sent after the next start`,
      );
    const host = this.host; // shutdown() lets go of it
    const client = this.shutdown();
    if (client === undefined) return;
    // A clean close waits for the broker to acknowledge what is in flight; a hung broker never
    // does, so after `closeTimeoutMs` the connection is dropped (unacknowledged exports stay in
    // the outbox either way).
    await new Promise<void>((resolve) => {
      const timer = clock.setTimeout(() => {
        host?.output(
          'stderr',
          `the broker did not answer the close within ${bridgeDefaults.closeTimeoutMs} ms (closeTimeoutMs); connection dropped`,
        );
        client.end(true);
        resolve();
      }, bridgeDefaults.closeTimeoutMs);
      client.end(false, {}, () => {
        clock.clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Drop the connection at once. */
  kill(): void {
    this.shutdown()?.end(true);
  }

  private shutdown(): MqttClient | undefined {
    this.connection++;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    this.exporter.detach();
    this.journal?.close();
    this.setState('stopped');
    this.host = undefined;
    return client;
  }

  private connect(): void {
    this.timer = undefined;
    const connection = ++this.connection;
    const { options } = this;
    const connect = this.connectWith;
    if (connect === undefined) return;
    const client = connect(options.url, this.clientOptions());
    this.client = client;
    client.handleMessage = (packet, done) => {
      this.importer.receive(packet, connection, () => done());
    };
    client.on('connect', (connack: IConnackPacket) => {
      if (connection !== this.connection) return;
      this.failures = 0;
      this.everConnected = true;
      this.counters.connects++;
      if (options.import.length > 0) {
        client.subscribe(
          options.import.map((pattern) => options.prefix + pattern),
          // no-local: never receive our own publishes; rh 1: retained messages only on a new subscription.
          { qos: options.qos, nl: true, rap: false, rh: 1 },
          (error) => {
            if (error !== null && connection === this.connection)
              this.warn(`import subscription refused: ${error.message}`);
          },
        );
      }
      this.setState('connected');
      const brokerMax = connack.properties?.receiveMaximum ?? 65_535;
      const brokerMaxPacket = connack.properties?.maximumPacketSize ?? Infinity;
      this.exporter.attach(
        client,
        connection,
        Math.min(options.maxInflight, brokerMax),
        brokerMaxPacket,
      );
    });
    client.on('error', (error) => {
      if (connection === this.connection) this.warn(`broker ${options.url}: ${error.message}`);
    });
    client.on('close', () => {
      if (connection !== this.connection) return;
      this.lost(client);
    });
  }

  private lost(client: MqttClient): void {
    this.connection++;
    this.client = undefined;
    client.end(true);
    this.exporter.detach();
    this.setState('reconnecting');
    this.failures++;
    const { minMs, maxMs, jitter } = this.options.reconnect;
    const base = Math.min(maxMs, minMs * 2 ** Math.min(this.failures - 1, 30));
    const delay = Math.max(minMs, Math.round(base * (1 - jitter * this.options.random())));
    this.timer = this.options.clock.setTimeout(() => this.connect(), delay);
  }

  private clientOptions(): IClientOptions {
    const { options } = this;
    return {
      protocolVersion: 5,
      clientId: options.clientId,
      clean: false,
      reconnectPeriod: 0,
      connectTimeout: bridgeDefaults.connectTimeoutMs,
      keepalive: bridgeDefaults.keepaliveSeconds,
      resubscribe: false,
      queueQoSZero: false,
      // mqtt.js logs through `debug` a dozen times per packet; with DEBUG unset that is pure
      // cost on the hot path, so it gets a no-op unless someone asked for debug output.
      ...(process.env['DEBUG'] === undefined || process.env['DEBUG'] === '' ? { log: noLog } : {}),
      properties: {
        sessionExpiryInterval: options.sessionExpirySeconds,
        receiveMaximum: options.receiveMaximum,
        maximumPacketSize: bridgeDefaults.maxPacketBytes,
      },
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
      ...(options.tls.ca === undefined ? {} : { ca: options.tls.ca }),
      ...(options.tls.cert === undefined ? {} : { cert: options.tls.cert }),
      ...(options.tls.key === undefined ? {} : { key: options.tls.key }),
    };
  }

  private setState(state: BridgeState): void {
    this.state = state;
    this.counters.outboxed = this.outbox.size;
    this.host?.status?.(state, this.counters);
  }

  private warn(line: string): void {
    // One line per distinct problem: a broker away for an hour must not flood the output.
    if (line === this.lastWarning) return;
    this.lastWarning = line;
    this.host?.output('stderr', line);
  }
}

/** mqtt.js's log when no DEBUG output is asked for. */
function noLog(): void {}
