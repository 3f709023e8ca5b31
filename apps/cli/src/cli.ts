// Owns the `ocre` command line: dispatches to a command, prints help, and maps errors to exit codes.
import { buildCommand } from './commands/build.ts';
import type { Command } from './commands/command.ts';
import { dashboardCommand } from './commands/dashboard.ts';
import { demoCommand } from './commands/demo.ts';
import { inspectCommand } from './commands/inspect.ts';
import { runCommand } from './commands/run.ts';
import { CliError, exitFailed, exitOk, exitUsage, usageError } from './errors.ts';
import { note, out } from './output.ts';

/** Every command, in the order `ocre --help` lists them. */
const commands: readonly Command[] = [
  demoCommand,
  runCommand,
  dashboardCommand,
  inspectCommand,
  buildCommand,
];

const mainHelp = `Usage: ocre <command> [options]

Compose, run, observe and build systems of Ocre containers: WebAssembly modules compiled from
C against the Ocre messaging API, or TypeScript modules, run as supervised actors that talk
by publish/subscribe.

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join('\n')}

Run "ocre <command> --help" for a command's options and examples.

Examples:
  ocre demo
  ocre run apps/examples/temperature/system.yaml --for 10s
  ocre demo --ui
  ocre dashboard run.ndjson
  ocre inspect apps/examples/ts-pipeline/system.yaml
  ocre build sensor.c -o build/`;

/**
 * Run the CLI with `argv` (the arguments after the program name).
 *
 * @returns the exit code: 0 ok, 1 the system (or a build) failed, 2 bad usage or invalid system file
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? commands.find((c) => c.name === args[0]) : undefined;
      out(topic?.help ?? mainHelp);
      return name === undefined ? exitUsage : exitOk;
    }
    const command = commands.find((c) => c.name === name);
    if (command === undefined) {
      throw usageError(
        `unknown command "${name}"; the commands are ${commands.map((c) => c.name).join(', ')}`,
      );
    }
    return await command.run(args);
  } catch (error) {
    if (error instanceof CliError) {
      note(error.message);
      return error.exitCode;
    }
    note(
      `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return exitFailed;
  }
}
