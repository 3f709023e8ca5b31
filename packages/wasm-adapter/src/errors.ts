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
