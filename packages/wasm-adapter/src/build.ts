// Owns compiling C sources against the Ocre SDK header into wasm32-wasi container modules.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BuildError, ClangNotFoundError } from './errors.ts';

const execFileAsync = promisify(execFile);

/** Absolute path of the SDK's include directory, the one holding `messaging.h`. */
export const sdkIncludeDir = fileURLToPath(new URL('../sdk/include', import.meta.url));

/** Size in bytes of the C shadow stack `buildContainer` gives a module unless told otherwise. */
export const defaultStackSize = 65536;

/** How to build a container module. */
export interface BuildOptions {
  /** Where to write the `.wasm` module; its directory is created if missing. */
  readonly outFile: string;
  /** Extra `-I` directories, searched after the SDK's. */
  readonly includeDirs?: readonly string[];
  /** Optimisation level; `-O2` by default. */
  readonly optimize?: '-O0' | '-O2' | '-Os';
  /** More clang arguments (warnings, `-D` defines, `-Wl,…` linker flags), passed before the files. */
  readonly extraFlags?: readonly string[];
  /** The clang executable. When given, only it is tried; otherwise `$OCRE_CLANG`, then `clang-14`, then `clang`. */
  readonly clang?: string;
  /** Export libc's `malloc` and `free`, so the host can allocate messages in the module's memory. Off by default. */
  readonly exportAllocator?: boolean;
  /** Shadow stack size in bytes; {@link defaultStackSize} by default. The stack sits first in memory, so overflowing it traps. */
  readonly stackSize?: number;
}

/** What a successful build produced. */
export interface BuildResult {
  /** The module that was written. */
  readonly outFile: string;
  /** The sources it was built from. */
  readonly files: readonly string[];
  /** The clang executable that built it. */
  readonly clang: string;
  /** clang's full argument list. */
  readonly args: readonly string[];
  /** clang's warnings (its standard error), empty for a clean build. */
  readonly stderr: string;
}

/** Settled lookups of candidate executables: whether `<candidate> --version` ran. */
const clangProbes = new Map<string, Promise<boolean>>();

/**
 * Finds the clang `buildContainer` would use: `options.clang` when given, else `$OCRE_CLANG`
 * when set, else the first of `clang-14` and `clang` on the PATH. An explicit choice is never
 * silently replaced by another one.
 * @param options `clang`: the executable to use instead of searching.
 * @returns The executable, as given or as found on the PATH.
 * @throws {ClangNotFoundError} when none of the candidates runs.
 */
export async function findClang(options: { readonly clang?: string } = {}): Promise<string> {
  const fromEnv = process.env['OCRE_CLANG'];
  const candidates =
    options.clang !== undefined
      ? [options.clang]
      : fromEnv !== undefined && fromEnv !== ''
        ? [fromEnv]
        : ['clang-14', 'clang'];
  for (const candidate of candidates) {
    if (await probeClang(candidate)) return candidate;
  }
  throw new ClangNotFoundError(candidates);
}

function probeClang(candidate: string): Promise<boolean> {
  let probe = clangProbes.get(candidate);
  if (probe === undefined) {
    probe = execFileAsync(candidate, ['--version']).then(
      () => true,
      () => false,
    );
    clangProbes.set(candidate, probe);
  }
  return probe;
}

/**
 * Compiles and links C sources into a wasm32-wasi container module with the Ocre SDK on the
 * include path: `clang --target=wasm32-wasi -O2 -fuse-ld=lld -I<sdk> … -o outFile`. Only the
 * functions marked `__attribute__((export_name(…)))`, `_start` and `memory` are exported
 * (plus `malloc`/`free` with `exportAllocator`).
 * @param files One C source or several, linked into one module.
 * @param options Output path, include directories, optimisation, extra flags, clang to use.
 * @returns The output path, the clang and arguments used, and any warnings.
 * @throws {ClangNotFoundError} when no clang can be found.
 * @throws {BuildError} when clang reports an error; it carries clang's stderr.
 * @example
 * const { outFile } = await buildContainer('app.c', {
 *   outFile: 'build/app.wasm',
 *   extraFlags: ['-Wall', '-Wextra', '-Werror'],
 * });
 */
export async function buildContainer(
  files: readonly string[] | string,
  options: BuildOptions,
): Promise<BuildResult> {
  const sources = typeof files === 'string' ? [files] : [...files];
  if (sources.length === 0) throw new TypeError('buildContainer: no source files given');
  const clang = await findClang(options.clang === undefined ? {} : { clang: options.clang });
  const args = [
    '--target=wasm32-wasi',
    options.optimize ?? '-O2',
    '-fuse-ld=lld',
    `-I${sdkIncludeDir}`,
    ...(options.includeDirs ?? []).map((dir) => `-I${dir}`),
    `-Wl,-z,stack-size=${options.stackSize ?? defaultStackSize}`,
    '-Wl,--stack-first',
    ...(options.exportAllocator === true ? ['-Wl,--export=malloc,--export=free'] : []),
    ...(options.extraFlags ?? []),
    ...sources,
    '-o',
    options.outFile,
  ];
  await mkdir(dirname(options.outFile), { recursive: true });
  try {
    const { stderr } = await execFileAsync(clang, args, {
      maxBuffer: 16 * 1024 * 1024,
      encoding: 'utf8',
    });
    return { outFile: options.outFile, files: sources, clang, args, stderr };
  } catch (error: unknown) {
    // execFile rejects with an Error carrying `code` (errno string or exit status) and `stderr`.
    const failure = error as { readonly code?: unknown; readonly stderr?: unknown };
    if (failure.code === 'ENOENT') throw new ClangNotFoundError([clang]);
    const exitCode = typeof failure.code === 'number' ? failure.code : null;
    const stderr = typeof failure.stderr === 'string' ? failure.stderr : String(error);
    throw new BuildError(sources, stderr, exitCode);
  }
}
