// Owns the `--ui [host:port]` option: its optional value, which node's parseArgs cannot express, and the address it names.
import { usageError } from '../errors.ts';

/** Where the dashboard listens. */
export interface UiAddress {
  readonly host: string;
  /** 0: a free port. */
  readonly port: number;
}

/** The default: loopback, a free port. */
export const defaultUiAddress: UiAddress = { host: '127.0.0.1', port: 0 };

const addressLike = /^(?:\[[0-9a-f:.]+\]|[\w.-]*):\d+$|^\d+$/i;

/**
 * Take `--ui`, `--ui=<address>` or `--ui <address>` out of `args`. A following word counts as
 * the address only when it looks like one (`host:port` or a port), so `ocre run --ui system.yaml`
 * still works.
 *
 * @returns the other arguments, and the address when `--ui` was given
 * @throws CliError `USAGE` for a bad address
 */
export function takeUiOption(
  args: readonly string[],
  command: string,
): { args: string[]; ui: UiAddress | undefined } {
  const rest: string[] = [];
  let ui: UiAddress | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (arg === '--ui') {
      const next = args[i + 1];
      if (next !== undefined && addressLike.test(next)) {
        ui = parseUiAddress(next, command);
        i++;
      } else ui = defaultUiAddress;
    } else if (arg.startsWith('--ui=')) {
      ui = parseUiAddress(arg.slice('--ui='.length), command);
    } else rest.push(arg);
  }
  return { args: rest, ui };
}

/**
 * Parse `host:port`, `:port` or `port` (host 127.0.0.1; port 0 picks a free one).
 *
 * @throws CliError `USAGE` naming what is wrong
 */
export function parseUiAddress(given: string, command: string): UiAddress {
  const match = /^(?:(\[[0-9a-f:.]+\]|[\w.-]*):)?(\d+)$/i.exec(given);
  const port = Number(match?.[2]);
  if (match === null || !(port >= 0 && port <= 65535)) {
    throw usageError(
      `--ui: expected host:port, :port or a port (0 to 65535), got "${given}"`,
      command,
    );
  }
  const host = match[1] === undefined || match[1] === '' ? '127.0.0.1' : match[1];
  return { host: host.replace(/^\[(.*)\]$/, '$1'), port };
}
