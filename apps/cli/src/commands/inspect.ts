// Owns `ocre inspect`: validate a system file and print its supervision tree, and with --probe its topic map.
import type { ContainerInfo, SystemCounters } from '@ocre-ts/actors';
import { composeSystem } from '../compose.ts';
import { parseDuration } from '../duration.ts';
import { exitOk, usageError } from '../errors.ts';
import { out } from '../output.ts';
import { runSession } from '../session.ts';
import { loadSystemFile } from '../system-file/load.ts';
import { hasWasm } from '../system-file/schema.ts';
import { drawTree } from '../tree.ts';
import { helpOption, parseCommandArgs } from './command.ts';
import type { Command } from './command.ts';

const options = { ...helpOption, probe: { type: 'string' } } as const;

/** `ocre inspect`. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'validate a system file and print its supervision tree and topic map',
  help: `Usage: ocre inspect <system.yaml> [--probe <duration>]

Validates the system file (its schema, and that every WebAssembly module and TypeScript
module it names loads), then prints the messaging options and the supervision tree: each
supervisor with its strategy, restart intensity and backoff; each container with its file,
its options and, for WebAssembly, the handlers it exports.

Subscriptions are made by the containers as they start, so the topic map is not in the file:
--probe runs the system for that long (output hidden) and prints who subscribed to what and
which topics were published.

Options:
  --probe <duration>   start the system this long to learn its topic map: 1s, 500ms
  -h, --help           show this help

Exit codes: 0 valid, 2 invalid (each problem is listed with its path in the file).

Examples:
  ocre inspect apps/examples/temperature/system.yaml
  ocre inspect apps/examples/ts-pipeline/system.yaml --probe 1s`,
  run,
};

async function run(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('inspect', args, options);
  if (values.help === true) {
    out(inspectCommand.help);
    return exitOk;
  }
  if (positionals.length !== 1) throw usageError('ocre inspect needs one system file', 'inspect');
  const probeMs =
    values.probe === undefined ? undefined : parseDuration(values.probe, '--probe', 'inspect');
  const system = loadSystemFile(positionals[0] ?? '');
  const composed = await composeSystem(system, { onOutput: () => undefined });
  out(`${system.subject} is valid`);
  out();
  const messaging = system.data.messaging ?? {};
  out(
    `messaging: router queue ${messaging.queueCapacity ?? 100}, mailboxes ${messaging.mailboxCapacity ?? 100}, ` +
      `${messaging.topicMatching ?? 'exact'} topic matching`,
  );
  out();
  for (const line of drawTree(system)) out(line);
  out();
  if (probeMs === undefined) {
    out('topic map: containers subscribe as they start; add --probe 1s to learn it by running');
    return exitOk;
  }
  let containers: ContainerInfo[] = [];
  let placements: readonly { container: string; worker: string }[] = [];
  const wasm = hasWasm(system.data.containers) ? await import('../wasm-containers.ts') : undefined;
  const stopped = await runSession({
    system: { ...composed, onWarning: () => undefined },
    subject: system.subject,
    onStarted: (s) => {
      // Read the subscriptions just before the stop takes them down.
      setTimeout(() => {
        containers = s.containers();
        placements = wasm?.workerPlacements() ?? [];
        void s.stop({ reason: 'probe finished', timeoutMs: 0 });
      }, probeMs);
    },
  });
  for (const line of topicMap(containers, stopped.counters, probeMs)) out(line);
  if (placements.length > 0) {
    out();
    out('workers (pooled WebAssembly containers; the others run in a worker of their own):');
    for (const { container, worker } of placements) out(`  ${container}  ${worker}`);
  }
  return exitOk;
}

/** Topic → subscribers (with handlers) and publish counts, from a probe run. */
function topicMap(containers: readonly ContainerInfo[], counters: SystemCounters, ms: number) {
  const topics = new Map<string, { subscribers: string[]; published: number }>();
  const entry = (topic: string) => {
    let found = topics.get(topic);
    if (found === undefined) topics.set(topic, (found = { subscribers: [], published: 0 }));
    return found;
  };
  for (const container of containers) {
    for (const { pattern, handler } of container.subscriptions) {
      entry(pattern).subscribers.push(`${container.name} (${handler})`);
    }
  }
  for (const [topic, count] of Object.entries(counters.topics))
    entry(topic).published += count.published;
  const lines = [`topic map (from a ${ms} ms probe run):`];
  if (topics.size === 0) lines.push('  no subscriptions and nothing published');
  for (const [topic, { subscribers, published }] of [...topics].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const who = subscribers.length === 0 ? 'no subscribers' : `→ ${subscribers.join(', ')}`;
    lines.push(`  ${topic}  ${published} published  ${who}`);
  }
  return lines;
}
