// Owns the errors @ocre-ts/wasm-adapter throws, each with a stable `code`.

/** The apt-get line that installs a clang able to build Ocre containers on Debian/Ubuntu. */
export const clangInstallCommand =
  'apt-get install -y clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32';

/**
 * No usable clang was found: neither the `clang` option, nor `$OCRE_CLANG`, nor `clang-14` or
 * `clang` on the PATH.
 */
export class ClangNotFoundError extends Error {
  /** Stable error code. */
  readonly code = 'CLANG_NOT_FOUND';
  /** The executables that were tried, in order. */
  readonly tried: readonly string[];

  /** @param tried The executables that were tried, in order. */
  constructor(tried: readonly string[]) {
    super(
      `No clang found to build WebAssembly containers (tried ${tried.join(', ')}). ` +
        `Install one with \`${clangInstallCommand}\`, or point OCRE_CLANG at a clang ` +
        'that targets wasm32-wasi.',
    );
    this.name = 'ClangNotFoundError';
    this.tried = tried;
  }
}

/** clang ran but could not compile or link a container; `stderr` holds its diagnostics. */
export class BuildError extends Error {
  /** Stable error code. */
  readonly code = 'BUILD_FAILED';
  /** The source files that were being built. */
  readonly files: readonly string[];
  /** clang's standard error output, verbatim. */
  readonly stderr: string;
  /** clang's exit code, or `null` when it was killed by a signal. */
  readonly exitCode: number | null;

  /**
   * @param files The source files that were being built.
   * @param stderr clang's standard error output.
   * @param exitCode clang's exit code, or `null` when it was killed by a signal.
   */
  constructor(files: readonly string[], stderr: string, exitCode: number | null) {
    super(`clang failed to build ${files.join(', ')}:\n${stderr.trimEnd()}${installHint(stderr)}`);
    this.name = 'BuildError';
    this.files = files;
    this.stderr = stderr;
    this.exitCode = exitCode;
  }
}

/** Points at the install line when clang's failure looks like a missing wasm toolchain piece. */
function installHint(stderr: string): string {
  const missingToolchain =
    /wasm-ld|libclang_rt\.builtins-wasm32|unable to execute command|'stdio\.h' file not found|crt1[\w-]*\.o/i;
  return missingToolchain.test(stderr)
    ? `\nThe wasm32-wasi toolchain looks incomplete; install it with \`${clangInstallCommand}\`.`
    : '';
}

/** Why {@link WasmLoadError} refused a module. */
export type WasmLoadErrorCode =
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'MALFORMED_MODULE'
  | 'UNKNOWN_IMPORT'
  | 'IMPORT_SIGNATURE_MISMATCH'
  | 'MIXED_API'
  | 'NO_MEMORY_EXPORT'
  | 'NO_START_EXPORT'
  | 'UNSUPPORTED_MEMORY'
  | 'MEMORY_LIMIT'
  | 'INVALID_OPTION'
  | 'TRANSFORM_FAILED';

/**
 * A module cannot become a container: the file is missing, the bytes are not WebAssembly, it
 * imports something the Ocre host does not provide, or it lacks the `memory` / `_start` exports.
 * Thrown by `wasmContainer` when the system is composed, so a bad module never restart-loops.
 */
export class WasmLoadError extends Error {
  override readonly name = 'WasmLoadError';
  /** Stable code; match on this, never on the message text. */
  readonly code: WasmLoadErrorCode;
  /** The module as the user named it: the path given, or `<bytes of "name">`. */
  readonly module: string;

  /**
   * @param code - why the module was refused
   * @param module - the module as the user named it
   * @param message - what is wrong and what to do about it
   * @param cause - the underlying error (a CompileError, a file-system error), if any
   */
  constructor(code: WasmLoadErrorCode, module: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.module = module;
  }
}

/** A WebAssembly trap (unreachable, out-of-bounds access, divide by zero, stack overflow…) in a container. */
export class WasmTrapError extends Error {
  override readonly name = 'WasmTrapError';
  /** Stable error code. */
  readonly code = 'WASM_TRAP';
  /** Where it trapped: `main`, or `handler "<name>"`. */
  readonly where: string;
  /** The engine's description of the trap, e.g. `RuntimeError: unreachable`. */
  readonly trap: string;

  /**
   * @param where - `main`, or `handler "<name>"`
   * @param trap - the engine's description of the trap
   */
  constructor(where: string, trap: string) {
    super(`${where} trapped: ${trap}`);
    this.where = where;
    this.trap = trap;
  }
}

/** A container called WASI `proc_exit` with a non-zero status where that is a fault (in a handler). */
export class WasmExitError extends Error {
  override readonly name = 'WasmExitError';
  /** Stable error code. */
  readonly code = 'WASM_EXIT';
  /** The status passed to `proc_exit`. */
  readonly exitCode: number;

  /**
   * @param where - `main`, or `handler "<name>"`
   * @param exitCode - the status passed to `proc_exit`
   */
  constructor(where: string, exitCode: number) {
    super(`${where} exited with code ${exitCode}`);
    this.exitCode = exitCode;
  }
}

/** A container's worker thread died (out of memory, an internal error) or could not start an instance. */
export class WasmWorkerError extends Error {
  override readonly name = 'WasmWorkerError';
  /** Stable error code. */
  readonly code = 'WASM_WORKER';

  /**
   * @param message - what happened to the worker
   * @param cause - the worker's error, if any
   */
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** A scripted sensor's file cannot be read or holds something that is not a reading. */
export class SensorScriptError extends Error {
  override readonly name = 'SensorScriptError';
  /** Stable error code. */
  readonly code = 'SENSOR_SCRIPT';
  /** The file, as given. */
  readonly file: string;

  /**
   * @param file - the script file, as given
   * @param message - what is wrong, with the line number
   * @param cause - the file-system error, if any
   */
  constructor(file: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.file = file;
  }
}
