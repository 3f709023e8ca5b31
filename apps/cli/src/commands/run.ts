// Owns `ocre run`: run a system file or a list of .wasm modules, printing container lines, until --for passes or a signal.
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseSeed } from '../chaos.ts';
import { composeSystem } from '../compose.ts';
import { takeUiOption } from '../dashboard/ui-address.ts';
import { parseDuration } from '../duration.ts';
import { exitFailed, exitOk, usageError } from '../errors.ts';
import { describeCounters, describeEvent } from '../event-lines.ts';
import { openEventLog } from '../events-log.ts';
import type { EventLog } from '../events-log.ts';
import { prepareInjectedRun } from '../injected-run.ts';
import { containerLine, note } from '../output.ts';
import { runSession } from '../session.ts';
import { loadSystemFile } from '../system-file/load.ts';
import type { SystemFile } from '../system-file/load.ts';
import { hasWasm } from '../system-file/schema.ts';
import { helpOption, parseCommandArgs } from './command.ts';
import type { Command } from './command.ts';

const options = {
  ...helpOption,
  for: { type: 'string' },
  events: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  chaos: { type: 'string' },
  seed: { type: 'string' },
} as const;

/** `ocre run`. */
export const runCommand: Command = {
  name: 'run',
  summary: 'run a system file, or .wasm modules, until stopped',
  help: `Usage: ocre run <system.yaml | a.wasm b.wasm …> [--for <duration>] [--events <file>] [--quiet]
                [--chaos <plan.yaml> [--seed <n>]] [--ui [host:port]]

Starts the system and prints each container's output as "[<name>] <line>" on stdout; the
runtime's own messages (faults, restarts, the final counters) go to stderr. It runs until
--for has passed or SIGINT/SIGTERM (Ctrl-C) arrives; either stops it gracefully: queued mail
is handled, containers stop in reverse start order. A second Ctrl-C exits at once.

Given .wasm modules instead of a system file, each becomes a container named after its file,
under a one-for-one root supervisor with the default options.

Options:
  --for <duration>   stop after this long: 500ms, 5s, 2m
  --events <file>    write every system event as one JSON object per line (NDJSON),
                     ending with "system.stopped" and the final counters
  -q, --quiet        print no container output and no runtime messages (errors still)
  --chaos <file>     inject the faults of a chaos plan (YAML: seed, faults); each fault
                     that fires is printed as "chaos: <ms> ms: <kind> <target>: <what>"
  --seed <n>         the seed of the plan's random choices (overrides its seed:); the
                     seed is printed, so a run can be replayed with the same choices
  --ui [host:port]   serve a live dashboard in the browser (default 127.0.0.1 and a free
                     port) and print its URL; its fault buttons need the URL's token
  -h, --help         show this help

Exit codes: 0 after a clean stop, 1 when the root supervisor gave up, 2 for bad usage or an
invalid system file.

Examples:
  ocre run apps/examples/temperature/system.yaml
  ocre run apps/examples/ts-pipeline/system.yaml --for 5s --events run.ndjson
  ocre run publisher.wasm subscriber.wasm --for 10s
  ocre run apps/examples/ts-pipeline/system.yaml --for 5s --chaos chaos.yaml --seed 42
  ocre run apps/examples/temperature/system.yaml --ui

A chaos plan lists faults by kind: throw, hang, kill, delay, drop, slow, fill-queue,
fail-start, crash-supervisor (see the @ocre-ts/actors README, "Testing with faults"):
  seed: 42
  faults:
    - { kind: throw, container: converter, probability: 0.1 }
    - { kind: kill, container: logger, atMs: 2000 }
    - { kind: delay, topic: readings/celsius, ms: 200, nth: 3 }`,
  run,
};

async function run(given: readonly string[]): Promise<number> {
  const { args, ui } = takeUiOption(given, 'run');
  const { values, positionals } = parseCommandArgs('run', args, options);
  if (values.help === true) {
    process.stdout.write(`${runCommand.help}\n`);
    return exitOk;
  }
  const forMs = values.for === undefined ? undefined : parseDuration(values.for, '--for', 'run');
  const quiet = values.quiet === true;
  if (values.seed !== undefined && values.chaos === undefined) {
    throw usageError('--seed goes with --chaos <plan.yaml>: it seeds the plan', 'run');
  }
  const seed = values.seed === undefined ? undefined : parseSeed(values.seed);
  const file = systemFromArgs(positionals);
  const composed = await composeSystem(file, {
    onOutput: quiet ? () => undefined : containerLine,
    onWarning: (message) => note(`warning: ${message}`),
  });
  // Opened once the plan and the dashboard are in place, so a refused run leaves no file.
  const log: { current?: EventLog } = {};
  const injected = await prepareInjectedRun({
    system: composed,
    title: file.subject,
    command: 'run',
    ...(values.chaos === undefined ? {} : { chaos: { file: values.chaos, seed } }),
    ...(ui === undefined ? {} : { ui }),
    print: quiet ? undefined : note,
    eventLog: () => log.current,
  });
  const { chaos } = injected;
  // Set only when the system has WebAssembly containers (the module is loaded for them).
  const pool = hasWasm(file.data.containers)
    ? (await import('../wasm-containers.ts')).poolSummary()
    : undefined;
  const eventLog = values.events === undefined ? undefined : openEventLog(values.events, 'run');
  if (eventLog !== undefined) log.current = eventLog;
  let stopped;
  try {
    stopped = await runSession({
      system: injected.options,
      subject: file.subject,
      ...(forMs === undefined ? {} : { forMs }),
      ...(eventLog === undefined ? {} : { eventLog }),
      onCreated: (system) => {
        injected.attach(system);
        if (quiet) return;
        if (chaos !== undefined) {
          const { seed: used } = chaos.injection;
          note(`chaos: ${chaos.subject}, seed ${used} (replay with --seed ${used})`);
        }
        system.events$.subscribe((event) => {
          const line = describeEvent(event);
          if (line !== undefined) note(line);
        });
      },
      onStarted: (system) => {
        if (quiet) return;
        const names = system.containers().map((c) => c.name);
        const until = forMs === undefined ? 'stop with Ctrl-C' : `stopping after ${values.for}`;
        note(`running ${names.length} containers (${names.join(', ')}); ${until}`);
        if (pool !== undefined) note(pool);
      },
      onSignal: (signal) => {
        if (!quiet) note(`${signal}: stopping gracefully (again to exit at once)`);
      },
    });
  } finally {
    await injected.close();
  }
  if (stopped.failed) {
    note(`system failed: ${stopped.reason}`);
    note(`final counters: ${describeCounters(stopped.counters)}`);
    if (chaos !== undefined) note(chaos.injection.describe());
    return exitFailed;
  }
  if (!quiet) {
    note(`stopped (${stopped.reason}): ${describeCounters(stopped.counters)}`);
    if (chaos !== undefined) note(chaos.injection.describe());
  }
  return exitOk;
}

/** A system file, or a system of one container per .wasm module named after its file. */
function systemFromArgs(positionals: readonly string[]): SystemFile {
  const [first, ...rest] = positionals;
  if (first === undefined) {
    throw usageError('ocre run needs a system file (.yaml) or one or more .wasm modules', 'run');
  }
  if (/\.ya?ml$/i.test(first)) {
    if (rest.length > 0) {
      throw usageError(`give one system file, or .wasm modules; got also ${rest.join(' ')}`, 'run');
    }
    return loadSystemFile(first);
  }
  const names = new Map<string, string>();
  for (const module of positionals) {
    if (!module.endsWith('.wasm')) {
      throw usageError(`"${module}" is neither a system file (.yaml) nor a module (.wasm)`, 'run');
    }
    if (!existsSync(module)) throw usageError(`no such file: ${module}`, 'run');
    const name = basename(module, '.wasm');
    const other = names.get(name);
    if (other !== undefined) {
      throw usageError(
        `${other} and ${module} would both be named "${name}"; use a system file to name them`,
        'run',
      );
    }
    names.set(name, module);
  }
  return {
    subject: 'modules given on the command line',
    path: process.cwd(),
    data: {
      containers: [...names].map(([name, module]) => ({ name, wasm: resolve(module) })),
    },
  };
}
