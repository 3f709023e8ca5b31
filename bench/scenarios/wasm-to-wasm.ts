// Owns the wasm-to-wasm scenario: a C publisher container → a C subscriber container, each in its own worker, against plain postMessage between two workers.
import { MessageChannel, Worker } from 'node:worker_threads';
import { createOcreSystem } from '@ocre-ts/actors';
import { median, percentile } from '../harness.ts';
import type { RunOptions, Scenario, ScenarioOutcome } from '../harness.ts';
import { formatNumber, scenarioResult } from '../report.ts';
import type { ScenarioResult } from '../report.ts';
import { loadWasmRuntime, wasmModule, wasmPending } from '../wasm.ts';
import type { WasmRuntime } from '../wasm.ts';

/** Offered rate of the latency runs, messages per second. */
const offeredRate = 10_000;
/** Router queue capacity for our system (see fanout's note on why not the Ocre default of 100). */
const queueCapacity = 4096;
/**
 * The subscriber's mailbox holds a whole burst: the router has no backpressure from a full
 * mailbox to the publisher (a full mailbox dead-letters, by design), and the C subscriber is the
 * slower side, so a 4096 mailbox loses most of a burst. Mail storage grows on demand.
 */
const mailboxCapacity = 1 << 20;
/** Longest wait for a line from a container before the scenario gives up. */
const lineTimeoutMs = 120_000;

interface Sizes {
  readonly burst: number;
  readonly paced: number;
  readonly rounds: number;
}

/** One transfer's outcome: messages per second from the first send to the last receive, and latency percentiles in µs. */
export interface Transfer {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

const peerUrl = new URL('../workers/peer.mjs', import.meta.url);

/** Start a plain worker running one side of the baseline. */
function peer(role: 'sender' | 'receiver', base: bigint): Worker {
  return new Worker(peerUrl, { workerData: { role, base }, execArgv: [] });
}

function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** The plain-worker baseline: `count` messages from one worker to another, by postMessage or by one Atomics wake-up each. */
export async function measurePeers(
  kind: 'postMessage' | 'atomics',
  count: number,
  rate: number,
): Promise<Transfer> {
  const base = process.hrtime.bigint();
  const sender = peer('sender', base);
  const receiver = peer('receiver', base);
  try {
    await Promise.all([
      new Promise((resolve) => sender.once('online', resolve)),
      new Promise((resolve) => receiver.once('online', resolve)),
    ]);
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(16);
    const received = nextMessage<{
      firstAt: number;
      lastAt: number;
      received: number;
      latencies: Float64Array;
    }>(receiver);
    const sent = nextMessage<{ startedAt: number }>(sender);
    receiver.postMessage({ kind, port: port2, shared, count }, [port2]);
    // Let the receiver reach its wait before the first message.
    await new Promise((resolve) => setTimeout(resolve, 20));
    sender.postMessage({ kind, port: port1, shared, count, rate }, [port1]);
    const [{ startedAt }, result] = await Promise.all([sent, received]);
    const latencies = [...result.latencies.subarray(0, result.received)].sort((a, b) => a - b);
    return {
      perSecond: result.received / ((result.lastAt - startedAt) / 1e9),
      p50: percentile(latencies, 50) / 1e3,
      p99: percentile(latencies, 99) / 1e3,
    };
  } finally {
    await Promise.all([sender.terminate(), receiver.terminate()]);
  }
}

/** Parse `key=value` pairs of a line the C containers print. */
export function fields(line: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const match of line.matchAll(/(\w+)=(\d+)/g)) out[match[1] as string] = Number(match[2]);
  return out;
}

/** Our system: the C publisher and subscriber as supervised WASM containers, several transfers in one system. */
async function measureOurs(wasm: WasmRuntime, sizes: Sizes) {
  const waiting = new Map<string, (line: string) => void>();
  const system = createOcreSystem({
    messaging: { queueCapacity, mailboxCapacity, sharedQueue: true },
    containers: [
      wasm.wasmContainer({ name: 'subscriber', wasm: wasmModule('w2w-subscriber') }),
      wasm.wasmContainer({ name: 'publisher', wasm: wasmModule('w2w-publisher') }),
    ],
    onOutput: (_container, _stream, line) => {
      for (const [prefix, resolve] of waiting) {
        if (line.startsWith(prefix)) {
          waiting.delete(prefix);
          resolve(line);
        }
      }
    },
  });
  /** The next line starting with `prefix` that a container prints. */
  const expect = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(prefix);
        const { delivered, deadLettered } = system.counters();
        reject(
          new Error(
            `wasm-to-wasm: no "${prefix}" line within ${lineTimeoutMs} ms (delivered ${delivered}, dead-lettered ${deadLettered})`,
          ),
        );
      }, lineTimeoutMs);
      waiting.set(prefix, (line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  const ready = Promise.all([expect('w2w-subscriber ready'), expect('w2w-publisher ready')]);
  await system.start();
  await ready;
  const transfer = async (count: number, rate: number): Promise<Transfer> => {
    const sent = expect('w2w-sent');
    const received = expect('w2w-received');
    const verdict = system.publish('bench/w2w/go', 'text/plain', `${count} ${rate}`);
    if (!verdict.ok) throw verdict.error;
    const publisher = fields(await sent);
    const subscriber = fields(await received);
    if (subscriber['count'] !== count) {
      throw new Error(`wasm-to-wasm: sent ${count}, the subscriber counted ${subscriber['count']}`);
    }
    return {
      perSecond: count / (((subscriber['last_ns'] ?? 0) - (publisher['start_ns'] ?? 0)) / 1e9),
      p50: (subscriber['p50_ns'] ?? NaN) / 1e3,
      p99: (subscriber['p99_ns'] ?? NaN) / 1e3,
    };
  };
  try {
    await transfer(Math.min(sizes.burst, 10_000), 0); // warm-up
    const burst: Transfer[] = [];
    const paced: Transfer[] = [];
    for (let round = 0; round < sizes.rounds; round++) {
      burst.push(await transfer(sizes.burst, 0));
      paced.push(await transfer(sizes.paced, offeredRate));
    }
    const counters = system.counters();
    if (counters.deadLettered !== 0) {
      throw new Error(`wasm-to-wasm: ${counters.deadLettered} dead letters`);
    }
    return { burst, paced, counters };
  } finally {
    await system.stop();
  }
}

/** C publisher → C subscriber, each in its own worker, against plain workers. */
export const wasmToWasm: Scenario = {
  name: 'wasm-to-wasm',
  async run({ quick, log }: RunOptions): Promise<ScenarioOutcome> {
    const sizes: Sizes = quick
      ? { burst: 20_000, paced: 2_000, rounds: 1 }
      : { burst: 100_000, paced: 20_000, rounds: 3 };
    const burst: Transfer[] = [];
    const paced: Transfer[] = [];
    const wake: Transfer[] = [];
    await measurePeers('postMessage', 10_000, 0); // warm-up
    for (let round = 0; round < sizes.rounds; round++) {
      burst.push(await measurePeers('postMessage', sizes.burst, 0));
      paced.push(await measurePeers('postMessage', sizes.paced, offeredRate));
      wake.push(await measurePeers('atomics', sizes.paced, offeredRate));
      log(`  baseline round ${round + 1}/${sizes.rounds} done`);
    }
    const postMessage = {
      perSecond: median(burst.map((t) => t.perSecond)),
      p50: median(paced.map((t) => t.p50)),
      p99: median(paced.map((t) => t.p99)),
    };
    const wakeUp = { p50: median(wake.map((t) => t.p50)), p99: median(wake.map((t) => t.p99)) };
    const baselineLine = `postMessage between two plain workers: ${formatNumber(postMessage.perSecond)} msgs/s, latency at ${offeredRate} msgs/s p50 ${postMessage.p50.toFixed(1)} µs / p99 ${postMessage.p99.toFixed(1)} µs; one Atomics.notify wake-up p50 ${wakeUp.p50.toFixed(1)} µs / p99 ${wakeUp.p99.toFixed(1)} µs`;

    const wasm = await loadWasmRuntime();
    if (wasm === undefined) {
      log(`  ${wasmPending}`);
      return { results: [], notes: [wasmPending, `measured anyway: ${baselineLine}`] };
    }
    const ours = await measureOurs(wasm, sizes);
    const oursBurst = median(ours.burst.map((t) => t.perSecond));
    const oursP50 = median(ours.paced.map((t) => t.p50));
    const oursP99 = median(ours.paced.map((t) => t.p99));
    const results: ScenarioResult[] = [
      scenarioResult({
        name: 'wasm-to-wasm',
        variant: 'throughput',
        unit: 'msgs/s',
        ours: oursBurst,
        baselines: { postMessage: postMessage.perSecond },
        goals: [
          {
            text: '≥ 5× postMessage',
            met: oursBurst / postMessage.perSecond >= 5,
            against: 'postMessage',
          },
        ],
      }),
      scenarioResult({
        name: 'wasm-to-wasm',
        variant: `latency p50 at ${offeredRate} msgs/s`,
        unit: 'µs',
        ours: oursP50,
        baselines: { postMessage: postMessage.p50, 'Atomics.notify wake-up': wakeUp.p50 },
        goals: [
          {
            text: 'p50 ≤ 2× one cross-thread wake-up',
            met: oursP50 <= 2 * wakeUp.p50,
            against: 'Atomics.notify wake-up',
          },
        ],
      }),
      scenarioResult({
        name: 'wasm-to-wasm',
        variant: `latency p99 at ${offeredRate} msgs/s`,
        unit: 'µs',
        ours: oursP99,
        baselines: { postMessage: postMessage.p99, 'Atomics.notify wake-up': wakeUp.p99 },
      }),
    ];
    return {
      results,
      notes: [
        `${sizes.burst} messages per throughput round, ${sizes.paced} per latency round at ${offeredRate} msgs/s, median of ${sizes.rounds} rounds; ours: bench/c/w2w-publisher.c → bench/c/w2w-subscriber.c as WASM containers (queueCapacity ${queueCapacity}, mailboxCapacity ${mailboxCapacity}, shared-memory queue), throughput from the publisher's first publish to the subscriber's last handler call, latency from publish to handler start, both on CLOCK_MONOTONIC; router delivered ${ours.counters.delivered}, dead-lettered ${ours.counters.deadLettered}`,
        baselineLine,
      ],
    };
  },
};
