// Owns `ocre build`: compile C containers against the Ocre SDK into one .wasm module per source.
import { basename, join, relative } from 'node:path';
import { existsSync } from 'node:fs';
import { buildContainer, ClangNotFoundError } from '@ocre-ts/wasm-adapter';
import { CliError, exitOk, usageError } from '../errors.ts';
import { note, out } from '../output.ts';
import { helpOption, parseCommandArgs } from './command.ts';
import type { Command } from './command.ts';

const options = {
  ...helpOption,
  out: { type: 'string', short: 'o' },
  O: { type: 'string' },
  include: { type: 'string', short: 'I', multiple: true },
  'export-allocator': { type: 'boolean' },
} as const;

const levels = ['0', '2', 's'] as const;

/** `ocre build`. */
export const buildCommand: Command = {
  name: 'build',
  summary: 'compile C containers to .wasm modules with the Ocre SDK',
  help: `Usage: ocre build <file.c …> -o <dir> [-I <dir>]… [--O 0|2|s] [--export-allocator]

Compiles each C source with clang (--target=wasm32-wasi) against the Ocre SDK header
"messaging.h" into <dir>/<name>.wasm, one module per source, named after it. Both the
documented call shape and the seed's (with a leading NULL) compile.

clang is looked up as $OCRE_CLANG, then clang-14, then clang; it needs the wasm32-wasi
sysroot (wasi-libc) and lld.

Options:
  -o, --out <dir>        where to write the modules (required)
  -I, --include <dir>    another include directory (repeatable)
  --O <level>            optimisation: 0, 2 (default) or s
  --export-allocator     export malloc/free so the host allocates messages with them
  -h, --help             show this help

Examples:
  ocre build publisher.c subscriber.c -o build/
  ocre build apps/examples/temperature/flaky-sensor.c -o /tmp/wasm --O s`,
  run,
};

async function run(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('build', args, options);
  if (values.help === true) {
    out(buildCommand.help);
    return exitOk;
  }
  if (positionals.length === 0) throw usageError('ocre build needs at least one .c file', 'build');
  if (values.out === undefined) {
    throw usageError('ocre build needs -o <dir>: where to write the modules', 'build');
  }
  const level = values.O ?? '2';
  if (!(levels as readonly string[]).includes(level)) {
    throw usageError(`--O must be one of ${levels.join(', ')}; got "${level}"`, 'build');
  }
  for (const source of positionals) {
    if (!source.endsWith('.c')) throw usageError(`"${source}" is not a C source (.c)`, 'build');
    if (!existsSync(source)) throw usageError(`no such file: ${source}`, 'build');
  }
  for (const source of positionals) {
    const outFile = join(values.out, `${basename(source, '.c')}.wasm`);
    try {
      const result = await buildContainer(source, {
        outFile,
        optimize: `-O${level}` as '-O0' | '-O2' | '-Os',
        includeDirs: values.include ?? [],
        exportAllocator: values['export-allocator'] === true,
      });
      if (result.stderr !== '') process.stderr.write(result.stderr);
      out(`built ${relative(process.cwd(), outFile) || outFile} from ${source}`);
    } catch (error) {
      if (error instanceof ClangNotFoundError)
        throw new CliError('BUILD_FAILED', error.message, error);
      note(`failed to build ${source}`);
      throw new CliError('BUILD_FAILED', (error as Error).message, error);
    }
  }
  return exitOk;
}
