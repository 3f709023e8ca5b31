// Owns reading durations such as `5s`, `500ms` or `2m` from the command line.
import { usageError } from './errors.ts';

const units: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Read a duration with a unit (`ms`, `s`, `m`, `h`) into milliseconds.
 *
 * @param text - what the user typed, e.g. `5s`, `1.5s`, `500ms`
 * @param flag - the flag it came from, for the error message
 * @param command - the command it belongs to, for the help hint
 * @throws CliError `USAGE` when it is not a positive number with a unit
 * @example
 * parseDuration('1.5s', '--for'); // 1500
 */
export function parseDuration(text: string, flag: string, command?: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/.exec(text.trim());
  const value = match === null ? NaN : Number(match[1]) * (units[match[2] ?? ''] ?? NaN);
  if (!(value > 0) || !Number.isFinite(value)) {
    throw usageError(
      `${flag} expects a positive duration with a unit, like 5s, 500ms or 2m; got "${text}"`,
      command,
    );
  }
  return Math.round(value);
}

/** Show milliseconds the way a person reads them: `850 ms`, `12.5 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}
