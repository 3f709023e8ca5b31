// Owns the bridge-throughput scenario: system A → mosquitto → system B through two MQTT bridges, against a bare mqtt.js publisher → subscriber pair on the same broker.
import { connect } from 'mqtt';
import type { MqttClient } from 'mqtt';
import { createOcreSystem, defineContainer } from '@ocre-ts/actors';
import type { OcreSystem } from '@ocre-ts/actors';
import { defineMqttBridge } from '@ocre-ts/bridge-mqtt';
import type { MqttBridgeOptions, MqttBridgeSpec } from '@ocre-ts/bridge-mqtt';
import { startMosquitto } from '@ocre-ts/bridge-mqtt/testing';
import type { Mosquitto } from '@ocre-ts/bridge-mqtt/testing';
import { compare, nextTurn, perSecond } from '../harness.ts';
import type { RunOptions, Scenario, ScenarioOutcome } from '../harness.ts';
import { scenarioResult } from '../report.ts';
import type { ScenarioResult } from '../report.ts';

const payload = JSON.stringify({ celsius: 21.5, sensor: 'bench', pad: 'x'.repeat(24) }); // 64 bytes

/**
 * Two systems joined by bridges at `qos`; `run(n)` publishes n in A and resolves when B has
 * handled n. `exportOptions` go to A's bridge (an outbox file, in `bridge-outbox-file`); `tag`
 * tells the system ids (so client ids) of pairs connected at once apart.
 */
export async function bridgedPair(
  url: string,
  qos: 0 | 1,
  round: { n: number },
  exportOptions: Pick<MqttBridgeOptions, 'outboxFile' | 'outboxSync'> = {},
  tag = '',
) {
  let handled = 0;
  let done: (() => void) | undefined;
  const counter = defineContainer({
    name: 'counter',
    init(api) {
      api.ocre_msg_system_init();
      api.ocre_subscribe_message('bench/#', 'count');
    },
    handlers: {
      count() {
        if (++handled === round.n) done?.();
      },
    },
  });
  const messaging = {
    topicMatching: 'wildcard',
    queueCapacity: 4096,
    mailboxCapacity: 4096,
  } as const;
  const exporter = defineMqttBridge({
    name: 'a',
    url,
    systemId: `bench-a-${qos}${tag}`,
    export: ['bench/#'],
    qos,
    ...exportOptions,
  });
  const importer = defineMqttBridge({
    name: 'b',
    url,
    systemId: `bench-b-${qos}${tag}`,
    import: ['bench/#'],
    qos,
  });
  const a = createOcreSystem({ containers: [exporter], messaging, onOutput: () => {} });
  const b = createOcreSystem({ containers: [counter, importer], messaging, onOutput: () => {} });
  await Promise.all([a.start(), b.start()]);
  await connected([exporter, importer]);
  return {
    async run(n: number): Promise<number> {
      handled = 0;
      round.n = n;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const start = performance.now();
      await publishAll(a, n, exporter);
      await finished;
      const elapsed = performance.now() - start;
      const letters = a.counters().deadLettered + b.counters().deadLettered;
      if (letters > 0) throw new Error(`bridge-throughput: ${letters} dead letters`);
      return perSecond(n, elapsed);
    },
    async close(): Promise<void> {
      await Promise.all([a.stop(), b.stop()]);
    },
  };
}

async function connected(bridges: readonly MqttBridgeSpec[]): Promise<void> {
  while (bridges.some((bridge) => bridge.status().state !== 'connected')) await nextTurn();
}

/**
 * Outbox depth at which the publisher waits. What it publishes meanwhile still passes the router
 * queue and the bridge's mailbox (4096 each) before the outbox, so this plus both stays below the
 * default outbox capacity (10000) and nothing is dead-lettered.
 */
const outboxHighWater = 1024;

/**
 * Publish n messages from outside, yielding to the event loop while the router queue is full or
 * the bridge's outbox is deep (the router does not push back on a publisher for a full outbox:
 * the outbox dead-letters, by design, so a publisher faster than the broker paces itself).
 */
async function publishAll(system: OcreSystem, n: number, exporter: MqttBridgeSpec): Promise<void> {
  for (let i = 0; i < n;) {
    if (i % 256 === 0) {
      while (exporter.status().counters.outboxed >= outboxHighWater) await nextTurn();
    }
    const result = system.publish('bench/temperature', 'application/json', payload);
    if (result.ok) i++;
    else if (result.error.code === 'QUEUE_FULL') await nextTurn();
    else throw result.error;
  }
}

/**
 * The baseline: a bare mqtt.js publisher and subscriber (MQTT 5) through the same broker, on a
 * broker topic as long as the bridges' (`base/…` beside `ocre/…`), with the same payload and
 * content type. With `windowed`, the publisher keeps no more QoS 1 publishes unacknowledged than
 * the broker's receive maximum (CONNACK), as MQTT 5 requires of a client (§4.9) and as the
 * bridge does; it refills the window once per event-loop turn, as the bridge does. mqtt.js
 * itself does not enforce the receive maximum: without `windowed` it publishes regardless.
 */
async function barePair(url: string, qos: 0 | 1, windowed: boolean) {
  let receiveMaximum = 65_535;
  const open = async (): Promise<MqttClient> => {
    // No debug logging, as the bridges run it (with DEBUG unset).
    const client = connect(url, { protocolVersion: 5, reconnectPeriod: 0, log: () => {} });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', (connack) => {
        receiveMaximum = connack.properties?.receiveMaximum ?? receiveMaximum;
        resolve();
      });
      client.once('error', reject);
    });
    return client;
  };
  const [publisher, subscriber] = await Promise.all([open(), open()]);
  let received = 0;
  let target = 0;
  let done: (() => void) | undefined;
  subscriber.on('message', () => {
    if (++received === target) done?.();
  });
  await subscriber.subscribeAsync('base/#', { qos });
  const body = Buffer.from(payload);
  const window = qos === 1 && windowed ? receiveMaximum : Infinity;
  let inFlight = 0;
  let refill: (() => void) | undefined;
  let refillScheduled = false;
  const acknowledged = () => {
    inFlight--;
    if (refill === undefined || refillScheduled) return;
    refillScheduled = true;
    setImmediate(() => {
      refillScheduled = false;
      const wake = refill;
      refill = undefined;
      wake?.();
    });
  };
  return {
    async run(n: number): Promise<number> {
      received = 0;
      target = n;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const start = performance.now();
      for (let i = 0; i < n; i++) {
        while (inFlight >= window) await new Promise<void>((resolve) => (refill = resolve));
        if (qos === 1) inFlight++;
        const options = { qos, properties: { contentType: 'application/json' } };
        // At QoS 0 no callback: mqtt.js would hold one 'drain' listener per publish.
        if (qos === 1) publisher.publish('base/bench/temperature', body, options, acknowledged);
        else publisher.publish('base/bench/temperature', body, options);
        // Let the socket drain now and then, as a real publisher loop would.
        if (i % 1000 === 999) await nextTurn();
      }
      await finished;
      return perSecond(n, performance.now() - start);
    },
    close(): void {
      publisher.end(true);
      subscriber.end(true);
    },
  };
}

async function measureQos(
  broker: Mosquitto,
  qos: 0 | 1,
  n: number,
  rounds: number,
  log: (line: string) => void,
): Promise<ScenarioResult> {
  const ours = await bridgedPair(broker.url, qos, { n });
  const bare = await barePair(broker.url, qos, true);
  // At QoS 1, also mqtt.js as it runs by default: ignoring the broker's receive maximum.
  const unbounded = qos === 1 ? await barePair(broker.url, qos, false) : undefined;
  const results = await compare(
    [
      { name: 'ours', measure: () => ours.run(n) },
      { name: 'mqtt.js', measure: () => bare.run(n) },
      ...(unbounded === undefined ? [] : [{ name: 'unbounded', measure: () => unbounded.run(n) }]),
    ],
    { rounds, log },
  );
  await ours.close();
  bare.close();
  unbounded?.close();
  const rate = (name: string) => results.get(name)?.median ?? 0;
  const rounded = (name: string) => (results.get(name)?.rounds ?? []).map((r) => r.toFixed(0));
  log(
    `  QoS ${qos}: ours ${rate('ours').toFixed(0)} msgs/s [${rounded('ours').join(' ')}], ` +
      `mqtt.js ${rate('mqtt.js').toFixed(0)} msgs/s [${rounded('mqtt.js').join(' ')}]` +
      (unbounded === undefined
        ? ''
        : `, unbounded ${rate('unbounded').toFixed(0)} msgs/s [${rounded('unbounded').join(' ')}]`),
  );
  const baseline = qos === 1 ? 'mqtt.js pub→sub (window 100)' : 'mqtt.js pub→sub';
  return scenarioResult({
    name: 'bridge-throughput',
    variant: `QoS ${qos}`,
    unit: 'msgs/s',
    ours: rate('ours'),
    baselines: {
      [baseline]: rate('mqtt.js'),
      ...(unbounded === undefined ? {} : { 'mqtt.js, window ignored': rate('unbounded') }),
    },
    goals: [
      {
        text: '≥ 0.8× a bare mqtt.js pair',
        met: rate('ours') >= 0.8 * rate('mqtt.js'),
        against: baseline,
      },
    ],
  });
}

/** A → mosquitto → B msgs/s at QoS 0 and 1, against mqtt.js alone. */
export const bridgeThroughput: Scenario = {
  name: 'bridge-throughput',
  async run({ quick, log }: RunOptions): Promise<ScenarioOutcome> {
    const n = quick ? 5000 : 20_000;
    const rounds = quick ? 2 : 5;
    const broker = await startMosquitto({
      config: ['max_queued_messages 1000000', 'max_inflight_messages 100'],
    });
    try {
      const results = [
        await measureQos(broker, 0, n, rounds, log),
        await measureQos(broker, 1, n, rounds, log),
      ];
      return {
        results,
        notes: [
          `${n} messages of ${payload.length} bytes per round, median of ${rounds} rounds; ours: system.publish in A → bridge (export) → mosquitto → bridge (import) → a counting container in B, both systems in this process; mqtt.js: one publisher and one subscriber client in this process, broker topics of the same length (base/… beside ocre/…), the same payload and content type, without the bridges' origin user property, mqtt.js's debug logging off as in the bridges; at QoS 1 the mqtt.js publisher keeps at most the broker's receive maximum (100) unacknowledged, as MQTT 5 requires and the bridge does ('window ignored': mqtt.js's default, which does not enforce it); the same mosquitto (max_inflight_messages 100, persistence on); bridges at their defaults (receiveMaximum 100, maxInflight 100, qos0Batch 1024, outbox 10000; the publisher in A waits while the outbox holds ${outboxHighWater} or more); no dead letters`,
        ],
      };
    } finally {
      await broker.dispose();
    }
  },
};
