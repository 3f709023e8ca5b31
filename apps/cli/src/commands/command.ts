// Owns the shape of a CLI command and argument parsing with node's util.parseArgs, turning its errors into usage errors.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { usageError } from '../errors.ts';

/** One `ocre <name>` command. */
export interface Command {
  /** What the user types after `ocre`. */
  readonly name: string;
  /** One line for `ocre --help`. */
  readonly summary: string;
  /** The full `ocre <name> --help` text, examples included. */
  readonly help: string;
  /** Run with the arguments after the command name; resolves to the exit code. */
  run(args: readonly string[]): Promise<number>;
}

/** Options every command accepts. */
export const helpOption = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * Parse a command's arguments strictly: unknown flags and missing values are usage errors.
 *
 * @param command - the command's name, for the help hint
 * @param args - the arguments after the command name
 * @param options - util.parseArgs option descriptors
 * @throws CliError `USAGE` with node's message and a pointer to `ocre <command> --help`
 */
export function parseCommandArgs<const T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: readonly string[],
  options: T,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError((error as Error).message, command);
  }
}
