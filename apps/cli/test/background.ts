// Owns running `ocre` processes in the background for end-to-end tests: read their output as it comes, wait for a line, signal them.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './helpers.ts';
import type { OcreResult } from './helpers.ts';

const bin = fileURLToPath(new URL('../bin/ocre.mjs', import.meta.url));

/** A running `ocre` process. */
export interface BackgroundOcre {
  /** Everything it printed on stdout so far. */
  readonly stdout: () => string;
  /** Everything it printed on stderr so far. */
  readonly stderr: () => string;
  /** Send a signal. */
  readonly signal: (name: NodeJS.Signals) => void;
  /** Resolves when it exits. */
  readonly exited: Promise<OcreResult>;
}

/** Start `ocre <args>` from the repository root; it is killed after `timeoutMs` (default 40 s). */
export function startOcre(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 40_000,
): BackgroundOcre {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<OcreResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    signal: (name) => child.kill(name),
    exited,
  };
}
