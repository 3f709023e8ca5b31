// Owns `ocre dashboard`: serving a recorded run (an --events log) in the dashboard page, with a time slider, until Ctrl-C.
import { basename } from 'node:path';
import { loadPageAssets } from '../dashboard/page-assets.ts';
import { readRecordedRun } from '../dashboard/replay-file.ts';
import { startDashboardServer } from '../dashboard/server.ts';
import { createToken } from '../dashboard/token.ts';
import { defaultUiAddress, takeUiOption } from '../dashboard/ui-address.ts';
import { exitOk, usageError } from '../errors.ts';
import { note, out } from '../output.ts';
import { helpOption, parseCommandArgs } from './command.ts';
import type { Command } from './command.ts';

/** `ocre dashboard`. */
export const dashboardCommand: Command = {
  name: 'dashboard',
  summary: 'replay a recorded run (--events log) in the browser',
  help: `Usage: ocre dashboard <events.ndjson> [--ui host:port]

Serves the dashboard page for a run recorded with "ocre run … --events <file>" (or
"ocre demo --events <file>"): a time slider moves through the run, and the supervision tree,
timeline, dead letters and dead-letter rate show the run as it was at that moment. The log
holds the system's events, not its message counts, so the replay shows no published or
delivered rates and no topic map; the tree lists the containers the log names.

It prints "ocre: dashboard at http://127.0.0.1:PORT/?token=…" and serves until Ctrl-C.

Options:
  --ui <host:port>   where to listen (default 127.0.0.1 and a free port)
  -h, --help         show this help

Examples:
  ocre run apps/examples/ts-pipeline/system.yaml --for 5s --events run.ndjson
  ocre dashboard run.ndjson`,
  run,
};

async function run(given: readonly string[]): Promise<number> {
  const { args, ui } = takeUiOption(given, 'dashboard');
  const { values, positionals } = parseCommandArgs('dashboard', args, helpOption);
  if (values.help === true) {
    out(dashboardCommand.help);
    return exitOk;
  }
  const [file, ...rest] = positionals;
  if (file === undefined || rest.length > 0) {
    throw usageError('give one event log: ocre dashboard <events.ndjson>', 'dashboard');
  }
  const recorded = readRecordedRun(file);
  const address = ui ?? defaultUiAddress;
  const server = await startDashboardServer({
    ...address,
    token: createToken(),
    page: loadPageAssets(),
    hello: () => ({
      mode: 'replay',
      title: basename(file),
      tree: recorded.tree,
      queueCapacity: recorded.queueCapacity,
      canControl: false,
      periodMs: 0,
      events: recorded.events,
    }),
    reportError: (error) => note(`dashboard: ${String(error)}`),
  }).catch((error: unknown) => {
    throw usageError(
      `--ui: cannot serve the dashboard on ${address.host}:${address.port}: ${(error as Error).message}`,
      'dashboard',
    );
  });
  const end = recorded.events.at(-1)?.time ?? 0;
  note(`dashboard at ${server.url}`);
  note(
    `replaying ${recorded.events.length} events over ${(end / 1000).toFixed(1)} s; stop with Ctrl-C`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  return exitOk;
}
