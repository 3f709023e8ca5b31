// Owns the bridge-outbox-file scenario: bridge-throughput's A → mosquitto → B with A's outbox journalled to a file (no fsync, and fsync per batch), against the outbox in memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMosquitto } from '@ocre-ts/bridge-mqtt/testing';
import type { Mosquitto } from '@ocre-ts/bridge-mqtt/testing';
import { compare } from '../harness.ts';
import type { RunOptions, Scenario, ScenarioOutcome } from '../harness.ts';
import { scenarioResult } from '../report.ts';
import type { ScenarioResult } from '../report.ts';
import { bridgedPair } from './bridge-throughput.ts';

async function measureQos(
  broker: Mosquitto,
  dir: string,
  qos: 0 | 1,
  n: number,
  rounds: number,
  log: (line: string) => void,
): Promise<ScenarioResult[]> {
  const memory = await bridgedPair(broker.url, qos, { n }, {}, '-memory');
  const file = await bridgedPair(
    broker.url,
    qos,
    { n },
    { outboxFile: join(dir, `none-${qos}.outbox`), outboxSync: 'none' },
    '-file',
  );
  const synced = await bridgedPair(
    broker.url,
    qos,
    { n },
    { outboxFile: join(dir, `batch-${qos}.outbox`), outboxSync: 'batch' },
    '-fsync',
  );
  const results = await compare(
    [
      { name: 'memory', measure: () => memory.run(n) },
      { name: 'file', measure: () => file.run(n) },
      { name: 'fsync', measure: () => synced.run(n) },
    ],
    { rounds, log },
  );
  await Promise.all([memory.close(), file.close(), synced.close()]);
  const rate = (name: string) => results.get(name)?.median ?? 0;
  const rounded = (name: string) =>
    (results.get(name)?.rounds ?? []).map((r) => r.toFixed(0)).join(' ');
  log(
    `  QoS ${qos}: in memory ${rate('memory').toFixed(0)} msgs/s [${rounded('memory')}], ` +
      `outboxFile ${rate('file').toFixed(0)} [${rounded('file')}], ` +
      `outboxFile + fsync per batch ${rate('fsync').toFixed(0)} [${rounded('fsync')}]`,
  );
  const baseline = 'outbox in memory';
  return [
    scenarioResult({
      name: 'bridge-outbox-file',
      variant: `QoS ${qos}, outboxSync none`,
      unit: 'msgs/s',
      ours: rate('file'),
      baselines: { [baseline]: rate('memory') },
      goals: [
        {
          text: '≥ 0.8× the outbox in memory',
          met: rate('file') >= 0.8 * rate('memory'),
          against: baseline,
        },
      ],
    }),
    scenarioResult({
      name: 'bridge-outbox-file',
      variant: `QoS ${qos}, outboxSync batch`,
      unit: 'msgs/s',
      ours: rate('fsync'),
      baselines: { [baseline]: rate('memory') },
    }),
  ];
}

/** What journalling the outbox to a file costs the bridges' throughput, at QoS 0 and 1. */
export const bridgeOutboxFile: Scenario = {
  name: 'bridge-outbox-file',
  async run({ quick, log }: RunOptions): Promise<ScenarioOutcome> {
    const n = quick ? 5000 : 20_000;
    const rounds = quick ? 2 : 5;
    const dir = mkdtempSync(join(tmpdir(), 'ocre-bench-outbox-'));
    const broker = await startMosquitto({
      config: ['max_queued_messages 1000000', 'max_inflight_messages 100'],
    });
    try {
      const results = [
        ...(await measureQos(broker, dir, 0, n, rounds, log)),
        ...(await measureQos(broker, dir, 1, n, rounds, log)),
      ];
      return {
        results,
        notes: [
          `bridge-throughput's pair (system.publish in A → bridge → mosquitto → bridge → a counting container in B, ${n} messages per round, median of ${rounds} interleaved rounds), three pairs side by side: A's outbox in memory, journalled to a file in ${tmpdir()} (outboxSync none: one write per event-loop turn), and with an fsync per batch (outboxSync batch)`,
        ],
      };
    } finally {
      await broker.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
