// Spawns the real `ocre` binary (bin/ocre.mjs, which loads the sources through tsx) and collects what it prints.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: commands run from here, as `pnpm ocre …` does. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../bin/ocre.mjs', import.meta.url));

/** What a finished `ocre` process left behind. */
export interface OcreResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runOcre}. */
export interface RunOptions {
  /** Extra environment variables. */
  readonly env?: Record<string, string>;
  /** Send this signal once stdout contains `after` (or at once without it). */
  readonly signal?: { readonly name: NodeJS.Signals; readonly after: RegExp };
  /** Kill the process after this long. Default 25 s. */
  readonly timeoutMs?: number;
}

/**
 * Run `ocre <args>` from the repository root and wait for it to exit.
 *
 * @example
 * const { code, stdout } = await runOcre(['run', 'system.yaml', '--for', '1s']);
 */
export function runOcre(args: readonly string[], options: RunOptions = {}): Promise<OcreResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...options.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 25_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const { signal } = options;
      if (signal !== undefined && !signalled && signal.after.test(stdout)) {
        signalled = true;
        child.kill(signal.name);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A fresh temporary directory for a test's output files. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ocre-cli-'));
}

/** The path of a file under test/fixtures, relative to the repository root (as a user would type it). */
export function fixture(name: string): string {
  return `apps/cli/test/fixtures/${name}`;
}

/** Parse an NDJSON file's text into objects; throws on any line that is not JSON. */
export function parseNdjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
