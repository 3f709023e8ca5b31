// Tests the two-hosts example as two hosts: system A and system B as `ocre run` processes in two network namespaces joined by a veth pair, the broker on B's side.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../../..');
const ocre = join(root, 'apps/cli/bin/ocre.mjs');
const mosquitto = process.env.MOSQUITTO ?? '/usr/sbin/mosquitto';
/** iproute2's `ip` (Debian: /usr/sbin/ip), found on PATH. */
const ipCommand = 'ip';

// Names unique to this run: namespaces and interfaces are machine-wide (interface names ≤ 15 bytes).
const tag = `${process.pid % 100_000}`;
const hostA = `ocre-a-${tag}`;
const hostB = `ocre-b-${tag}`;
const [ifA, ifB] = [`ocrea${tag}`, `ocreb${tag}`];
// A private /30 on the veth pair: reachable only from inside the two namespaces.
const [addressA, addressB] = ['10.233.0.1', '10.233.0.2'];

function ip(...args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(ipCommand, args, { encoding: 'utf8' });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.error !== undefined) return { ok: false, output: result.error.message };
  return { ok: result.status === 0, output };
}

/** Why this machine cannot run the test, or undefined when it can (a namespace was made and removed). */
function cannotRun(): string | undefined {
  if (process.platform !== 'linux')
    return `network namespaces are Linux only (this is ${process.platform})`;
  if (process.getuid?.() !== 0)
    return 'creating network namespaces needs root (CI runs .ci/run as root)';
  const probe = `ocre-probe-${tag}`;
  const added = ip('netns', 'add', probe);
  if (!added.ok)
    return `cannot create a network namespace (\`ip netns add\`: ${added.output || 'failed'}); install iproute2 and run with CAP_SYS_ADMIN`;
  ip('netns', 'del', probe);
  if (spawnSync(mosquitto, ['-h']).error !== undefined)
    return `no mosquitto at ${mosquitto} (Debian: apt-get install mosquitto)`;
  return undefined;
}

const reason = cannotRun();
if (reason !== undefined) console.warn(`two-hosts netns test skipped: ${reason}`);

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  ip('netns', 'del', hostA); // removing a namespace removes its end of the veth pair, and the pair
  ip('netns', 'del', hostB);
});

/** The two hosts: namespaces, a veth pair between them, loopback up in each. */
function makeHosts(): void {
  const steps: string[][] = [
    ['netns', 'add', hostA],
    ['netns', 'add', hostB],
    ['link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB],
    ['link', 'set', ifA, 'netns', hostA],
    ['link', 'set', ifB, 'netns', hostB],
    ['-n', hostA, 'addr', 'add', `${addressA}/30`, 'dev', ifA],
    ['-n', hostB, 'addr', 'add', `${addressB}/30`, 'dev', ifB],
    ['-n', hostA, 'link', 'set', ifA, 'up'],
    ['-n', hostB, 'link', 'set', ifB, 'up'],
    ['-n', hostA, 'link', 'set', 'lo', 'up'],
    ['-n', hostB, 'link', 'set', 'lo', 'up'],
  ];
  for (const step of steps) {
    const done = ip(...step);
    if (!done.ok) throw new Error(`ip ${step.join(' ')}: ${done.output}`);
  }
}

/** Start `command` inside network namespace `host`, collecting its output. */
function startIn(host: string, command: string, args: readonly string[]) {
  const child = spawn(ipCommand, ['netns', 'exec', host, command, ...args], {
    cwd: root,
    env: { ...process.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** The example's system file with the broker at B's veth address and absolute module paths. */
function systemFile(dir: string, name: string): string {
  const text = readFileSync(join(here, name), 'utf8')
    .replace('mqtt://127.0.0.1:1883', `mqtt://${addressB}:1883`)
    .replace('../temperature/', join(here, '../temperature/'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('two-hosts in two network namespaces', () => {
  it.runIf(reason === undefined)(
    `A's readings reach B across a veth pair, once each${reason === undefined ? '' : ` (skipped: ${reason})`}`,
    async () => {
      makeHosts();
      const dir = mkdtempSync(join(tmpdir(), 'ocre-netns-'));
      try {
        // The broker lives on host B, listening on B's side of the pair only.
        const config = join(dir, 'mosquitto.conf');
        writeFileSync(
          config,
          `listener 1883 ${addressB}\nallow_anonymous true\npersistence false\nlog_dest none\n`,
        );
        startIn(hostB, mosquitto, ['-c', config]);
        const b = startIn(hostB, process.execPath, [ocre, 'run', systemFile(dir, 'system-b.yaml')]);
        await vi.waitFor(() => expect(b.stderr()).toMatch(/bridge:downlink connected/), {
          timeout: 20_000,
          interval: 50,
        });
        const a = startIn(hostA, process.execPath, [
          ocre,
          'run',
          systemFile(dir, 'system-a.yaml'),
          '--for',
          '3s',
        ]);
        // A really runs on the other host: its process is in namespace A (once `ip netns exec`,
        // just spawned, has entered it: until then `identify` prints nothing).
        await vi.waitFor(() =>
          expect(
            spawnSync(ipCommand, ['netns', 'identify', String(a.child.pid)], {
              encoding: 'utf8',
            }).stdout.trim(),
          ).toBe(hostA),
        );
        expect(await a.exited).toBe(0);
        const exported = Number(/bridge:uplink stopped \((\d+) exported/.exec(a.stderr())?.[1]);
        expect(exported).toBeGreaterThanOrEqual(2);
        await vi.waitFor(
          () => expect(b.stdout().match(/Payload: \{"temperature"/g) ?? []).toHaveLength(exported),
          { timeout: 10_000 },
        );
        b.child.kill('SIGTERM');
        await b.exited;
        expect(b.stderr()).toMatch(
          new RegExp(`bridge:downlink stopped \\(0 exported, ${exported} imported, 0 duplicates`),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
