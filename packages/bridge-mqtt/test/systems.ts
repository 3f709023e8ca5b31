// Owns the test fixtures: a system with a bridge and a recording subscriber, and a raw MQTT client, all against a real broker.
import { connect } from 'mqtt';
import type { IClientOptions, IPublishPacket, MqttClient } from 'mqtt';
import { readText } from '@ocre-ts/core';
import type { OcreLimits, OcreMessage, TopicMatchingMode } from '@ocre-ts/core';
import { createOcreSystem, defineContainer } from '@ocre-ts/actors';
import type { ChildSpec, DeadLetter, OcreSystem, SystemEvent } from '@ocre-ts/actors';
import { afterEach, beforeEach } from 'vitest';
import { defineMqttBridge } from '../src/index.ts';
import { startMosquitto } from '../src/testing/index.ts';
import type { Mosquitto, MosquittoOptions } from '../src/testing/index.ts';
import type { MqttBridgeOptions, MqttBridgeSpec } from '../src/index.ts';

/** A system with one bridge and a subscriber recording what it handles. */
export interface BridgedSystem {
  readonly system: OcreSystem;
  readonly bridge: MqttBridgeSpec;
  /** `topic text` of every message the recorder handled, in order. */
  readonly received: string[];
  /** The recorder's messages themselves. */
  readonly messages: OcreMessage[];
  readonly events: SystemEvent[];
  readonly output: string[];
  readonly letters: DeadLetter[];
  /** Publish text from outside (publisher `system`); throws on a refusal. */
  publish(topic: string, text: string, contentType?: string): bigint;
}

/** Options of {@link bridgedSystem}. */
export interface BridgedSystemOptions {
  readonly bridge: Omit<MqttBridgeOptions, 'name'> & { readonly name?: string };
  /** Patterns the recorder subscribes to (in the system's mode). */
  readonly record?: readonly string[];
  readonly topicMatching?: TopicMatchingMode;
  readonly queueCapacity?: number;
  readonly limits?: Partial<OcreLimits>;
  /** A handler that takes this long (async) per message, to fill queues. */
  readonly slowMs?: number;
  readonly extra?: readonly ChildSpec[];
}

/** Start a system with a bridge (fast reconnects) and a recorder. */
export async function bridgedSystem(options: BridgedSystemOptions): Promise<BridgedSystem> {
  const received: string[] = [];
  const messages: OcreMessage[] = [];
  const events: SystemEvent[] = [];
  const output: string[] = [];
  const letters: DeadLetter[] = [];
  const recorder = defineContainer({
    name: 'recorder',
    init(api) {
      api.ocre_msg_system_init();
      for (const pattern of options.record ?? []) api.subscribe(pattern, 'record');
    },
    handlers: {
      record(message) {
        received.push(`${message.topic} ${readText(message)}`);
        messages.push(message);
        if (options.slowMs !== undefined)
          return new Promise<void>((resolve) => setTimeout(resolve, options.slowMs));
        return undefined;
      },
    },
  });
  const bridge = defineMqttBridge({
    name: 'uplink',
    reconnect: { minMs: 50, maxMs: 200 },
    ...options.bridge,
  });
  const system = createOcreSystem({
    containers: [recorder, ...(options.extra ?? []), bridge],
    messaging: {
      topicMatching: options.topicMatching ?? 'wildcard',
      ...(options.queueCapacity === undefined ? {} : { queueCapacity: options.queueCapacity }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
    },
    onOutput: (container, _stream, line) => output.push(`[${container}] ${line}`),
  });
  system.events$.subscribe((event) => events.push(event));
  system.deadLetters$.subscribe((letter) => letters.push(letter));
  await system.start();
  return {
    system,
    bridge,
    received,
    messages,
    events,
    output,
    letters,
    publish(topic, text, contentType = 'text/plain') {
      const result = system.publish(topic, contentType, text);
      if (!result.ok) throw result.error;
      return result.value;
    },
  };
}

/** A plain MQTT 5 client (not a bridge) on `url`, connected. */
export async function rawClient(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  const client = connect(url, { protocolVersion: 5, reconnectPeriod: 0, ...options });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

/** Subscribe a raw client and collect every packet it receives. */
export async function collect(
  client: MqttClient,
  filter: string,
  qos: 0 | 1 = 1,
): Promise<IPublishPacket[]> {
  const packets: IPublishPacket[] = [];
  client.on('message', (_topic, _payload, packet) => packets.push(packet));
  await client.subscribeAsync(filter, { qos });
  return packets;
}

/** The states a bridge reported as `container.status` events, in order. */
export function bridgeStates(events: readonly SystemEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'container.status' ? [event.state] : []));
}

/** One broker per test and the systems a test made, stopped after it. */
export interface BrokerPerTest {
  /** This test's broker (set before each test). */
  broker: Mosquitto;
  /** Remember a system so it is stopped after the test; returns it. */
  readonly track: (system: BridgedSystem) => BridgedSystem;
}

/** Start a fresh Mosquitto before each test of the calling file; stop its systems and the broker after each. */
export function brokerPerTest(options?: MosquittoOptions): BrokerPerTest {
  const systems: BridgedSystem[] = [];
  const env: BrokerPerTest = {
    broker: undefined as unknown as Mosquitto,
    track: (system) => (systems.push(system), system),
  };
  beforeEach(async () => {
    env.broker = await startMosquitto(options);
  });
  afterEach(async () => {
    for (const s of systems.splice(0)) if (s.system.state === 'running') await s.system.stop();
    await env.broker.dispose();
  });
  return env;
}
