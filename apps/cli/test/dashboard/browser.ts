// Starts what the dashboard's end-to-end tests drive: a real `ocre` process serving a dashboard, and Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { repoRoot } from '../helpers.ts';

const bin = fileURLToPath(new URL('../../bin/ocre.mjs', import.meta.url));

/** Debian's Chromium; never a downloaded browser. */
export const chromiumPath = '/usr/bin/chromium';

/** A running `ocre` process that printed its dashboard URL. */
export interface ServingOcre {
  readonly process: ChildProcessWithoutNullStreams;
  /** The URL with its token, as printed. */
  readonly url: string;
  /** The same page without the token. */
  readonly origin: string;
  /** Everything it printed on stderr so far. */
  stderr(): string;
  /** Everything it printed on stdout so far (the demo's status view and event lines). */
  stdout(): string;
  /** SIGINT, and its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Spawn `ocre <args>` from the repository root and wait for `ocre: dashboard at <url>`.
 *
 * @throws Error when it exits or prints no URL within `timeoutMs`
 */
export function serveOcre(args: readonly string[], timeoutMs = 60_000): Promise<ServingOcre> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let stderr = '';
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no dashboard URL within ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    void exited.then((code) => reject(new Error(`ocre exited (${code}) early:\n${stderr}`)));
    child.stderr.on('data', () => {
      const match = /ocre: dashboard at (http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/.exec(stderr);
      if (match === null) return;
      clearTimeout(timer);
      const origin = match[1] as string;
      resolve({
        process: child,
        url: `${origin}/?token=${match[2]}`,
        origin,
        stderr: () => stderr,
        stdout: () => stdout,
        stop: () => {
          child.kill('SIGINT');
          return exited;
        },
      });
    });
  });
}

/** A headless Chromium with a fresh profile; `close` removes the profile. */
export async function openChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'ocre-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
