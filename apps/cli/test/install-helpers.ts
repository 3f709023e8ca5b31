// Owns the tools of the installed-package test: which workspace packages publish, running pnpm, npm and node as child processes, and a trace of tsx being loaded.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A workspace package that is published: not `private`. */
export interface PublishedPackage {
  readonly name: string;
  readonly dir: string;
  /** Its `exports` as the workspace sees them (pointing at sources). */
  readonly exports: Readonly<Record<string, unknown>>;
}

/** Every package under packages/ and apps/ that is not private, in no particular order. */
export function publishedPackages(): PublishedPackage[] {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(repoRoot, group)).flatMap((folder) => {
      const dir = join(repoRoot, group, folder);
      const file = join(dir, 'package.json');
      if (!existsSync(file)) return [];
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
        name: string;
        private?: boolean;
        exports?: Record<string, unknown>;
      };
      if (manifest.private === true) return [];
      return [{ name: manifest.name, dir, exports: manifest.exports ?? {} }];
    }),
  );
}

/** What a finished child process left behind. */
export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link exec}. */
export interface ExecOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the process after this long. */
  readonly timeoutMs: number;
}

/** Run `command args…` without a shell and collect its output; never rejects on a non-zero exit. */
export function exec(
  command: string,
  args: readonly string[],
  options: ExecOptions,
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Throw with the output of a process that failed, so the test log says why. */
export function expectSuccess(what: string, result: Finished): Finished {
  if (result.code !== 0) {
    throw new Error(`${what} exited with ${result.code}:\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/**
 * How to call pnpm: the running pnpm when the tests were started by it (`pnpm test`), else the
 * pinned version of the root package.json's `packageManager` through npx.
 */
export function pnpmCommand(): [string, ...string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm\.c?js$/.test(execPath)) return [process.execPath, execPath];
  const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    packageManager: string;
  };
  return ['npx', '--yes', root.packageManager];
}

/**
 * The environment for plain npm and node outside the workspace: without the `npm_*` variables
 * pnpm sets for its scripts (npm would read them as its own settings), registry and proxy kept.
 */
export function plainEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(
    ([key]) =>
      !key.toLowerCase().startsWith('npm_') ||
      /^npm_config_(registry|cache|userconfig|.*proxy)$/i.test(key),
  );
  return { ...Object.fromEntries(kept), ...extra };
}

/** The `--import` flag that records, in the file `$OCRE_TSX_TRACE` names, each tsx module resolved. */
export function tsxTraceFlag(): string {
  return `--import=${pathToFileURL(join(repoRoot, 'apps/cli/test/fixtures/installed/trace-tsx.mjs')).href}`;
}
