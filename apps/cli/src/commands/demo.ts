// Owns `ocre demo`: runs the bundled temperature system for a while with a live status view, then prints a summary.
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import type { DeadLetterReason, OcreSystem } from '@ocre-ts/actors';
import { composeSystem } from '../compose.ts';
import { takeUiOption } from '../dashboard/ui-address.ts';
import { parseDuration } from '../duration.ts';
import { exitFailed, exitOk } from '../errors.ts';
import { describeEvent } from '../event-lines.ts';
import { openEventLog } from '../events-log.ts';
import type { EventLog } from '../events-log.ts';
import { prepareInjectedRun } from '../injected-run.ts';
import { out } from '../output.ts';
import { runSession } from '../session.ts';
import { createPlainView, createTtyView } from '../status-view.ts';
import type { StatusView } from '../status-view.ts';
import { summaryLines } from '../summary.ts';
import { loadSystemFile } from '../system-file/load.ts';
import { drawTree } from '../tree.ts';
import { helpOption, parseCommandArgs } from './command.ts';
import type { Command } from './command.ts';

/**
 * The bundled demo system: the temperature example itself when the CLI runs from its sources in
 * the workspace, the copy the build puts in dist (scripts/copy-demo.ts) when it runs built.
 */
const demoSystemFile = fileURLToPath(
  new URL(
    import.meta.url.endsWith('.ts')
      ? '../../../examples/temperature/system.yaml'
      : '../examples/temperature/system.yaml',
    import.meta.url,
  ),
);

const options = {
  ...helpOption,
  for: { type: 'string' },
  plain: { type: 'boolean' },
  events: { type: 'string' },
} as const;

/** `ocre demo`. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the bundled temperature system with a live view (~15 s)',
  help: `Usage: ocre demo [--for <duration>] [--plain] [--events <file>] [--ui [host:port]]

Runs the bundled temperature system (the temperature example): the Ocre seed's publisher
sends a JSON temperature reading to "sensors/temperature" every 500 ms and the seed's
subscriber prints each one; a third container, flaky-sensor, publishes readings of its own
and traps every few messages it handles, so you can watch its supervisor restart it while
the others carry on. All three are C programs compiled to WebAssembly; the .wasm files are
committed, so no compiler is needed.

On a terminal a status block (containers, state, restarts, message rates) stays at the
bottom while the output scrolls; otherwise plain lines. At the end: a summary of counters,
restarts and dead letters. Ctrl-C stops it early, gracefully.

Options:
  --for <duration>   how long to run (default 15s): 5s, 30s, 2m
  --plain            plain lines even on a terminal
  --events <file>    also write every system event as NDJSON
  --ui [host:port]   serve a live dashboard in the browser (default 127.0.0.1 and a free
                     port) and print its URL; runs until Ctrl-C unless --for is given.
                     Open the URL, watch flaky-sensor restart, click kill on subscriber
  -h, --help         show this help

Examples:
  ocre demo
  ocre demo --for 5s
  ocre demo --plain | less
  ocre demo --ui`,
  run,
};

/** How long the status view's progress bar spans when --ui runs the demo until Ctrl-C. */
const uiViewMs = 600_000;

async function run(given: readonly string[]): Promise<number> {
  const { args, ui } = takeUiOption(given, 'demo');
  const { values } = parseCommandArgs('demo', args, options);
  if (values.help === true) {
    out(demoCommand.help);
    return exitOk;
  }
  const forMs =
    values.for === undefined
      ? ui === undefined
        ? 15_000
        : undefined
      : parseDuration(values.for, '--for', 'demo');
  const plannedMs = forMs ?? uiViewMs;
  const system = loadSystemFile(relative(process.cwd(), demoSystemFile) || demoSystemFile);
  const tty = process.stdout.isTTY && values.plain !== true;
  const title = 'ocre demo · temperature system';
  const view: StatusView = tty
    ? createTtyView({ title, plannedMs })
    : createPlainView({ title, plannedMs, everyMs: 2000 });
  out(`${title}: ${relative(process.cwd(), system.path)}`);
  for (const line of drawTree(system)) out(`  ${line}`);
  const until = forMs === undefined ? 'until Ctrl-C' : `for ${forMs / 1000} s`;
  out(`Running ${until}. Watch flaky-sensor fault and come back.`);
  out();
  const composed = await composeSystem(system, {
    onOutput: (container, _stream, line) => view.log(container, line),
    onWarning: (message) => view.event(`warning: ${message}`),
  });
  // Opened once the plan and the dashboard are in place, so a refused run leaves no file.
  const log: { current?: EventLog } = {};
  const injected = await prepareInjectedRun({
    system: composed,
    title: 'demo · temperature system',
    command: 'demo',
    ...(ui === undefined ? {} : { ui }),
    print: (line) => view.event(line),
    eventLog: () => log.current,
  });
  const eventLog = values.events === undefined ? undefined : openEventLog(values.events, 'demo');
  if (eventLog !== undefined) log.current = eventLog;
  const deadLetters = new Map<DeadLetterReason, number>();
  let live: OcreSystem | undefined;
  let metrics: { unsubscribe(): void } | undefined;
  let started = Date.now();
  const stopped = await runSession({
    system: injected.options,
    subject: system.subject,
    ...(forMs === undefined ? {} : { forMs }),
    ...(eventLog === undefined ? {} : { eventLog }),
    onCreated(s) {
      live = s;
      injected.attach(s);
      s.events$.subscribe((event) => {
        const line = describeEvent(event);
        if (line !== undefined) view.event(line);
      });
      s.deadLetters$.subscribe((letter) =>
        deadLetters.set(letter.reason, (deadLetters.get(letter.reason) ?? 0) + 1),
      );
      metrics = s.metrics$(tty ? 250 : 500).subscribe((sample) => view.update(sample));
    },
    onStarted: () => (started = Date.now()),
    onSignal: (signal) => view.event(`${signal}: stopping gracefully`),
  });
  // metrics$ samples on a timer until unsubscribed, stopped system or not.
  metrics?.unsubscribe();
  await injected.close();
  view.finish();
  const containers = (live?.containers() ?? []).map((c) => c.name);
  out();
  const record = { elapsedMs: Date.now() - started, deadLetters, containers };
  for (const line of summaryLines(stopped, record)) out(line);
  return stopped.failed ? exitFailed : exitOk;
}
