// Owns one measuring process of the dashboard-attached scenario: rounds of fanout-1x1 either all with a live dashboard and an SSE client following it, or all without, so neither shares JIT or heap state with the other.
//
//   node --expose-gc bench/loader/run.mjs bench/workers/dashboard-child.ts <with|without> <messages> <rounds>
//
// Prints one JSON line: { rates, cpuNsPerMessage, batchesPerSecond } over the rounds after a warm-up round.
import { injectFaults } from '@ocre-ts/actors/testing';
import { openLiveDashboard } from '../../apps/cli/src/dashboard/live-dashboard.ts';
import type { LiveDashboard } from '../../apps/cli/src/dashboard/live-dashboard.ts';
import { measureOurs } from '../scenarios/fanout.ts';
import { mostInOneSecond, startStreamClient } from './stream-client.ts';
import type { StreamClient } from './stream-client.ts';

const [mode = 'without', messagesText = '3000000', roundsText = '4'] = process.argv.slice(2);
const messages = Number(messagesText);
const rounds = Number(roundsText);

/**
 * One round of fanout-1x1 with a dashboard and `client` following it; msgs/s. Timing starts
 * once the client has the dashboard's first batch: the steady cost of an open page.
 */
async function measureAttached(
  messages: number,
  client: StreamClient,
  batchesPerSecond: number[],
): Promise<number> {
  let dashboard: LiveDashboard | undefined;
  try {
    const rate = await measureOurs(1, messages, 'container', {
      async prepare(options) {
        const injection = injectFaults(options, { faults: [] }, { live: true });
        dashboard = await openLiveDashboard({
          system: injection.options,
          injection,
          title: 'bench',
          address: { host: '127.0.0.1', port: 0 },
          reportError: (error) => console.error(error),
        });
        return dashboard.options;
      },
      async attach(system) {
        const live = dashboard as LiveDashboard;
        live.attach(system);
        const events = live.url.replace('/?token=', '/events?token=');
        await client.ask(`open ${events}`, 'following');
      },
    });
    const line = await client.ask('count', 'batches');
    batchesPerSecond.push(mostInOneSecond(JSON.parse(line.slice('batches '.length)) as number[]));
    return rate;
  } finally {
    await dashboard?.close();
  }
}

const client = mode === 'with' ? startStreamClient() : undefined;
const rates: number[] = [];
const cpuNsPerMessage: number[] = [];
const batchesPerSecond: number[] = [];
// Round 0 warms up (and lets the client process finish starting); it is not reported.
for (let round = 0; round <= rounds; round++) {
  const before = process.cpuUsage();
  const rate =
    client === undefined
      ? await measureOurs(1, messages)
      : await measureAttached(messages, client, batchesPerSecond);
  const used = process.cpuUsage(before);
  if (round === 0) continue;
  rates.push(rate);
  cpuNsPerMessage.push(((used.user + used.system) * 1000) / messages);
}
client?.process.kill('SIGKILL');
process.stdout.write(
  `${JSON.stringify({ rates, cpuNsPerMessage, batchesPerSecond: batchesPerSecond.slice(1) })}\n`,
);
