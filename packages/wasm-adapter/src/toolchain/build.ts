// Owns compiling C sources against the Ocre SDK header into wasm32-wasi container modules.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BuildError, ClangNotFoundError } from '../errors.ts';
import { defaultStackSize } from '../defaults.ts';

const execFileAsync = promisify(execFile);

/** Absolute path of the SDK's include directory, the one holding `messaging.h` and `ocre_api.h`. */
export const sdkIncludeDir = fileURLToPath(new URL('../../sdk/include', import.meta.url));

/** The SDK's C sources for Ocre's current API, linked into a module whose sources include `ocre_api.h`. */
const currentSdkSources: readonly string[] = Object.freeze([
  fileURLToPath(new URL('../../sdk/src/ocre_api.c', import.meta.url)),
]);

/** An `#include` of `ocre_api.h`, in either spelling, at the start of a line. */
const includesCurrentApi = /^[ \t]*#[ \t]*include[ \t]*[<"]ocre_api\.h[>"]/m;

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
  /**
   * Link the SDK sources of Ocre's current API ({@link currentSdkSources}) and export `malloc`
   * and `free`, which that API's host needs to hand over message data. By default this happens
   * when one of the sources has a line `#include <ocre_api.h>` (or `"ocre_api.h"`); pass `true`
   * when the include is in a header of yours, `false` to link your own copy of the SDK.
   */
  readonly currentSdk?: boolean;
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
  /** True when the SDK sources of Ocre's current API were linked in. */
  readonly currentSdk: boolean;
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
 * (plus `malloc`/`free` with `exportAllocator`). A source that includes `ocre_api.h` (Ocre's
 * current API) gets the SDK's C sources linked in and `malloc`/`free` exported (see
 * {@link BuildOptions.currentSdk}).
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
  const currentSdk = options.currentSdk ?? (await anyIncludesCurrentApi(sources));
  const exportAllocator = options.exportAllocator === true || currentSdk;
  const args = [
    '--target=wasm32-wasi',
    options.optimize ?? '-O2',
    '-fuse-ld=lld',
    `-I${sdkIncludeDir}`,
    ...(options.includeDirs ?? []).map((dir) => `-I${dir}`),
    `-Wl,-z,stack-size=${options.stackSize ?? defaultStackSize}`,
    '-Wl,--stack-first',
    ...(exportAllocator ? ['-Wl,--export=malloc,--export=free'] : []),
    ...(options.extraFlags ?? []),
    ...sources,
    ...(currentSdk ? currentSdkSources : []),
    '-o',
    options.outFile,
  ];
  await mkdir(dirname(options.outFile), { recursive: true });
  try {
    const { stderr } = await execFileAsync(clang, args, {
      maxBuffer: 16 * 1024 * 1024,
      encoding: 'utf8',
      env: { ...process.env, PATH: pathWithoutWasmOpt() },
    });
    return { outFile: options.outFile, files: sources, clang, args, stderr, currentSdk };
  } catch (error: unknown) {
    // execFile rejects with an Error carrying `code` (errno string or exit status) and `stderr`.
    const failure = error as { readonly code?: unknown; readonly stderr?: unknown };
    if (failure.code === 'ENOENT') throw new ClangNotFoundError([clang]);
    const exitCode = typeof failure.code === 'number' ? failure.code : null;
    const stderr = typeof failure.stderr === 'string' ? failure.stderr : String(error);
    throw new BuildError(sources, stderr, exitCode);
  }
}

/** True when a source includes `ocre_api.h`; a file that cannot be read is left for clang to report. */
async function anyIncludesCurrentApi(sources: readonly string[]): Promise<boolean> {
  const texts = await Promise.all(sources.map((file) => readFile(file, 'utf8').catch(() => '')));
  return texts.some((text) => includesCurrentApi.test(text));
}

/**
 * PATH without the folders that hold binaryen's `wasm-opt`. clang runs any `wasm-opt` it finds
 * after linking at -O1 and above (clang 14 has no flag against it), and the `binaryen` npm package
 * puts one in `node_modules/.bin`, which package scripts add to PATH: the same source would then
 * build to different bytes inside and outside a script.
 */
function pathWithoutWasmOpt(): string {
  return (process.env['PATH'] ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !existsSync(join(dir, 'wasm-opt')))
    .join(delimiter);
}
