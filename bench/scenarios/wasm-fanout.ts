// Owns the wasm-fanout scenario: one C publisher → 100 C subscribers as pooled WASM containers, deliveries per second against plain postMessage between two workers.
import { createOcreSystem } from '@ocre-ts/actors';
import { median } from '../harness.ts';
import type { RunOptions, Scenario, ScenarioOutcome } from '../harness.ts';
import { formatNumber, scenarioResult } from '../report.ts';
import { loadWasmRuntime, wasmModule, wasmPending } from '../wasm.ts';
import type { WasmRuntime } from '../wasm.ts';
import { fields, measurePeers } from './wasm-to-wasm.ts';

const subscribers = 100;
/** Router queue capacity (see fanout's note on why not the Ocre default of 100). */
const queueCapacity = 4096;
/** Each subscriber's mailbox holds a whole burst: a full mailbox dead-letters, by design. */
const mailboxCapacity = 1 << 20;
/** Longest wait for a round's lines before the scenario gives up. */
const roundTimeoutMs = 300_000;

/** 1 publisher → `subscribers` subscribers in the default pool: deliveries per second of each burst. */
async function measureOurs(wasm: WasmRuntime, count: number, rounds: number) {
  let sent: ((line: string) => void) | undefined;
  let received: string[] = [];
  let allReceived: (() => void) | undefined;
  const ready = new Set<string>();
  let allReady!: () => void;
  const readyAll = new Promise<void>((resolve) => (allReady = resolve));
  const system = createOcreSystem({
    messaging: { queueCapacity, mailboxCapacity, sharedQueue: true },
    containers: [
      ...Array.from({ length: subscribers }, (_, index) =>
        wasm.wasmContainer({
          name: `subscriber-${index}`,
          wasm: wasmModule('w2w-subscriber'),
          startTimeoutMs: 60_000,
        }),
      ),
      wasm.wasmContainer({ name: 'publisher', wasm: wasmModule('w2w-publisher') }),
    ],
    onOutput: (container, _stream, line) => {
      if (line.endsWith(' ready')) {
        ready.add(container);
        if (ready.size === subscribers + 1) allReady();
      } else if (line.startsWith('w2w-sent')) sent?.(line);
      else if (line.startsWith('w2w-received')) {
        received.push(line);
        if (received.length === subscribers) allReceived?.();
      }
    },
  });
  const round = async (): Promise<number> => {
    received = [];
    const sentLine = new Promise<string>((resolve) => (sent = resolve));
    const receivedAll = new Promise<void>((resolve) => (allReceived = resolve));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const { delivered, deadLettered } = system.counters();
        reject(
          new Error(
            `wasm-fanout: the round did not finish within ${roundTimeoutMs} ms (delivered ${delivered}, dead-lettered ${deadLettered})`,
          ),
        );
      }, roundTimeoutMs);
    });
    const verdict = system.publish('bench/w2w/go', 'text/plain', `${count} 0`);
    if (!verdict.ok) throw verdict.error;
    try {
      const publisher = fields(await Promise.race([sentLine, timeout]));
      await Promise.race([receivedAll, timeout]);
      let lastNs = 0;
      for (const line of received) {
        const got = fields(line);
        if (got['count'] !== count) {
          throw new Error(`wasm-fanout: sent ${count}, a subscriber counted ${got['count']}`);
        }
        lastNs = Math.max(lastNs, got['last_ns'] ?? 0);
      }
      return (count * subscribers) / ((lastNs - (publisher['start_ns'] ?? 0)) / 1e9);
    } finally {
      clearTimeout(timer);
    }
  };
  await system.start();
  await readyAll;
  try {
    await round(); // warm-up
    const perSecond: number[] = [];
    for (let index = 0; index < rounds; index++) perSecond.push(await round());
    const counters = system.counters();
    if (counters.deadLettered !== 0) {
      throw new Error(`wasm-fanout: ${counters.deadLettered} dead letters`);
    }
    return { perSecond: median(perSecond), counters };
  } finally {
    await system.stop();
  }
}

/** One C publisher → 100 C subscribers in the pool, against postMessage between two workers. */
export const wasmFanout: Scenario = {
  name: 'wasm-fanout',
  async run({ quick, log }: RunOptions): Promise<ScenarioOutcome> {
    const count = quick ? 2_000 : 10_000;
    const rounds = quick ? 1 : 3;
    await measurePeers('postMessage', 10_000, 0); // warm-up
    const baseline: number[] = [];
    for (let round = 0; round < rounds; round++) {
      baseline.push((await measurePeers('postMessage', 100_000, 0)).perSecond);
    }
    const postMessage = median(baseline);
    const wasm = await loadWasmRuntime();
    if (wasm === undefined) {
      log(`  ${wasmPending}`);
      return { results: [], notes: [wasmPending] };
    }
    const ours = await measureOurs(wasm, count, rounds);
    log(
      `  ${formatNumber(ours.perSecond)} deliveries/s, postMessage ${formatNumber(postMessage)} msgs/s`,
    );
    return {
      results: [
        scenarioResult({
          name: 'wasm-fanout',
          unit: 'deliveries/s',
          ours: ours.perSecond,
          baselines: { postMessage },
          goals: [
            {
              text: '≥ 1× postMessage',
              met: ours.perSecond >= postMessage,
              against: 'postMessage',
            },
          ],
        }),
      ],
      notes: [
        `bench/c/w2w-publisher.c → ${subscribers} × bench/c/w2w-subscriber.c as pooled WASM containers on the default pool (queueCapacity ${queueCapacity}, mailboxCapacity ${mailboxCapacity}): ${count} messages per burst, ${count * subscribers} deliveries, from the first publish to the last subscriber's last handler call, median of ${rounds} rounds; router delivered ${ours.counters.delivered}, dead-lettered ${ours.counters.deadLettered}. Baseline: 100,000 messages by postMessage from one plain worker to another, median of ${rounds}`,
      ],
    };
  },
};
