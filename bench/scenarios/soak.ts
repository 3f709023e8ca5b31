// Owns the soak scenario: 10M messages and 10k restarts through one system, checking that heap, counters, subscriptions and timers do not grow.
import { createOcreSystem, defineContainer } from '@ocre-ts/actors';
import type { OcreSystem } from '@ocre-ts/actors';
import type { RunOptions, Scenario, ScenarioOutcome } from '../harness.ts';
import { scenarioResult } from '../report.ts';

const capacity = 4096;
const payload = new Uint8Array(16).fill(3);
/** A message on this topic makes the `crasher` container throw, so its supervisor restarts it. */
const crashTopic = 'soak/crash';
const dataTopic = 'soak/data';

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap after collecting until it stops shrinking. */
async function settledHeap(): Promise<number> {
  let previous = Infinity;
  for (let i = 0; i < 10; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    gc?.();
    const heap = process.memoryUsage().heapUsed;
    if (heap >= previous - 1024) break;
    previous = heap;
  }
  return process.memoryUsage().heapUsed;
}

/** Live timers of this process. */
function timers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

/** Publish `messages` data messages and `crashes` crash messages, evenly interleaved. */
async function drive(system: OcreSystem, messages: number, crashes: number): Promise<void> {
  const every = Math.max(1, Math.floor(messages / crashes));
  let crashed = 0;
  for (let sent = 0; sent < messages;) {
    const crash = crashed < crashes && sent % every === 0 && sent / every >= crashed;
    const result = crash
      ? system.publish(crashTopic, 'text/plain', 'boom')
      : system.publish(dataTopic, 'application/octet-stream', payload);
    if (result.ok) {
      if (crash) {
        crashed++;
        // One crash at a time: the next waits until the restart is done.
        await system.settle();
      } else sent++;
    } else if (result.error.code === 'QUEUE_FULL') await system.settle();
    else throw result.error;
  }
  await system.settle();
}

/** 10M messages (1M quick) and 10k restarts (1k quick) in one system. */
export const soak: Scenario = {
  name: 'soak',
  async run({ quick, log }: RunOptions): Promise<ScenarioOutcome> {
    const messages = quick ? 1_000_000 : 10_000_000;
    const restarts = quick ? 1_000 : 10_000;
    let received = 0;
    const system = createOcreSystem({
      messaging: { queueCapacity: capacity, mailboxCapacity: capacity },
      supervisor: {
        maxRestarts: restarts * 2,
        withinMs: 1000,
        backoff: { minMs: 0, maxMs: 0, jitter: 0 },
      },
      containers: [
        defineContainer({
          name: 'subscriber',
          init(api) {
            api.ocre_msg_system_init();
            api.ocre_subscribe_message(dataTopic, 'on_data');
          },
          handlers: { on_data: () => void received++ },
        }),
        defineContainer({
          name: 'crasher',
          init(api) {
            api.ocre_msg_system_init();
            api.ocre_subscribe_message(dataTopic, 'on_data');
            api.ocre_subscribe_message(crashTopic, 'on_crash');
          },
          handlers: {
            on_data: () => void received++,
            on_crash: () => {
              throw new Error('soak: crash on purpose');
            },
          },
        }),
      ],
    });
    await system.start();
    const warmMessages = messages / 10;
    const warmRestarts = restarts / 10;
    await drive(system, warmMessages, warmRestarts);
    const warmHeap = await settledHeap();
    const warmTimers = timers();
    const started = performance.now();
    await drive(system, messages - warmMessages, restarts - warmRestarts);
    const seconds = (performance.now() - started) / 1000;
    const endHeap = await settledHeap();
    const endTimers = timers();
    const counters = system.counters();
    const info = system.containers();
    await system.stop();
    const crasher = counters.containers.crasher;
    const subscriptions = info.map((c) => c.subscriptions.length).join('+');
    // Every accepted message is delivered to both subscribers or dead-lettered: nothing lost.
    const accepted = messages + restarts;
    const accounted = counters.delivered + counters.deadLettered;
    const problems = [
      counters.published !== accepted && `published ${counters.published}, expected ${accepted}`,
      accounted !== 2 * messages + restarts &&
        `delivered + dead-lettered = ${accounted}, expected ${2 * messages + restarts}`,
      crasher?.restarts !== restarts &&
        `crasher restarted ${crasher?.restarts}, expected ${restarts}`,
      subscriptions !== '1+2' && `subscriptions per container ${subscriptions}, expected 1+2`,
      endTimers > warmTimers && `live timers grew from ${warmTimers} to ${endTimers}`,
      counters.queued + counters.inFlight !== 0 && 'messages still queued or in flight',
    ].filter((p): p is string => typeof p === 'string');
    if (problems.length > 0) throw new Error(`soak: ${problems.join('; ')}`);
    log(`  heap after warm-up ${warmHeap} B, after ${seconds.toFixed(1)} s ${endHeap} B`);
    return {
      results: [
        scenarioResult({
          name: 'soak',
          unit: 'heap bytes',
          ours: endHeap,
          baselines: { 'heap after warm-up': warmHeap },
          goals: [
            {
              text: '≤ 1.1× heap after warm-up',
              met: endHeap <= 1.1 * warmHeap,
              against: 'heap after warm-up',
            },
          ],
        }),
      ],
      notes: [
        `${messages} messages to two subscriber containers and ${restarts} handler faults (each one restart, backoff 0) in one system, after a warm-up of a tenth of each; ${((messages - warmMessages) / seconds / 1e6).toFixed(2)}M msgs/s after warm-up; checked: every message delivered or dead-lettered (handler-fault), ${restarts} restarts, subscriptions 1+2, live timers ${warmTimers} → ${endTimers}, nothing queued`,
      ],
    };
  },
};
