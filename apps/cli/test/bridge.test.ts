// End-to-end tests of bridges: two real `ocre run` processes joined through a real Mosquitto, including the two-hosts example and broker restarts and crashes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { bridgeRunsPerTest, printed, until } from './bridge-runs.ts';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/bridge/', import.meta.url));
const { startBroker, start } = bridgeRunsPerTest();

/** Write a system file into a fresh directory; `$URL` and `$DIR` are replaced. */
function systemFile(name: string, text: string, url: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocre-bridge-'));
  const path = join(dir, name);
  writeFileSync(path, text.replaceAll('$URL', url).replaceAll('$FIXTURES', fixtures));
  return path;
}

const numberedSystem = (url: string) =>
  systemFile(
    'a.yaml',
    `messaging: { topicMatching: wildcard, queueCapacity: 1000 }
containers:
  - { name: numbered, module: $FIXTURES/numbered.ts }
bridges:
  - { name: uplink, mqtt: $URL, export: ['numbers/#'], systemId: system-a }
`,
    url,
  );
const printerSystem = (url: string) =>
  systemFile(
    'b.yaml',
    `messaging: { topicMatching: wildcard, mailboxCapacity: 10000 }
containers:
  - { name: printer, module: $FIXTURES/printer.ts }
bridges:
  - { name: downlink, mqtt: $URL, import: ['numbers/#'], systemId: system-b }
`,
    url,
  );

describe('two systems through mosquitto', () => {
  it('runs the two-hosts example: the seed publisher in A, the seed subscriber in B', async () => {
    const broker = await startBroker();
    const rewrite = (file: string) =>
      readFileSync(join(examples, 'two-hosts', file), 'utf8')
        .replace('mqtt://127.0.0.1:1883', broker.url)
        .replace('../temperature/', join(examples, 'temperature/'));
    const b = start(['run', systemFile('system-b.yaml', rewrite('system-b.yaml'), '')]);
    await until(b.stderr, /bridge:downlink connected/);
    const events = join(mkdtempSync(join(tmpdir(), 'ocre-events-')), 'a.ndjson');
    const a = start([
      'run',
      systemFile('system-a.yaml', rewrite('system-a.yaml'), ''),
      '--for',
      '2s',
      '--events',
      events,
    ]);
    const resultA = await a.exited;
    expect(resultA.code).toBe(0);
    const exported = Number(/bridge:uplink stopped \((\d+) exported/.exec(resultA.stderr)?.[1]);
    expect(exported).toBeGreaterThanOrEqual(2);
    await vi.waitFor(
      () => expect(b.stdout().match(/Payload: \{"temperature"/g) ?? []).toHaveLength(exported),
      { timeout: 5000 },
    );
    b.signal('SIGTERM');
    const resultB = await b.exited;
    expect(resultB.stderr).toMatch(
      new RegExp(`bridge:downlink stopped \\(0 exported, ${exported} imported, 0 duplicates`),
    );
    expect(resultB.stdout).toContain('Received message on topic: sensors/temperature');
    expect(resultB.stdout).toContain('Content type: application/json');
    // The NDJSON log carries the bridge's states and counters.
    const states = readFileSync(events, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; state?: string; container?: string })
      .filter((event) => event.type === 'container.status');
    expect(states.map((event) => `${event.container} ${event.state}`)).toEqual([
      'bridge:uplink connecting',
      'bridge:uplink connected',
      'bridge:uplink stopped',
    ]);
  }, 40_000);

  it('delivers a numbered stream exactly once, in order, across a broker stopped for 2 s (SIGTERM, persistence on)', async () => {
    const broker = await startBroker({ config: ['max_queued_messages 100000'] });
    const count = 1600; // 200 msgs/s for 8 s
    const b = start(['run', printerSystem(broker.url)]);
    await until(b.stderr, /bridge:downlink connected/);
    // A runs until it is stopped (not for a fixed time): on a loaded machine the 5 ms ticks run late.
    const a = start(['run', numberedSystem(broker.url)], {
      OCRE_COUNT: String(count),
      OCRE_EVERY_MS: '5',
      OCRE_DELAY_MS: '500',
    });
    await vi.waitFor(() => expect(printed(b.stdout()).length).toBeGreaterThan(300), {
      timeout: 15_000,
    });
    await broker.stop();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await broker.restart();
    await vi.waitFor(() => expect(printed(b.stdout()).at(-1)).toBe(count - 1), { timeout: 30_000 });
    a.signal('SIGTERM');
    b.signal('SIGTERM');
    const [resultA, resultB] = await Promise.all([a.exited, b.exited]);
    expect(printed(resultB.stdout)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(resultA.stderr).toMatch(/bridge:uplink reconnecting/);
    expect(resultA.stderr).toMatch(new RegExp(`bridge:uplink stopped \\(${count} exported`));
    expect(resultB.stderr).toMatch(
      new RegExp(`bridge:downlink stopped \\(0 exported, ${count} imported`),
    );
  }, 60_000);

  it('never duplicates or reorders across a broker crash (SIGKILL); what it loses is what the broker had not saved', async () => {
    const broker = await startBroker({ config: ['max_queued_messages 100000'] });
    const count = 1000;
    const b = start(['run', printerSystem(broker.url)]);
    await until(b.stderr, /bridge:downlink connected/);
    const a = start(['run', numberedSystem(broker.url)], {
      OCRE_COUNT: String(count),
      OCRE_EVERY_MS: '5',
      OCRE_DELAY_MS: '500',
    });
    await vi.waitFor(() => expect(printed(b.stdout()).length).toBeGreaterThan(300), {
      timeout: 15_000,
    });
    await broker.kill();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await broker.restart();
    await vi.waitFor(() => expect(printed(b.stdout()).at(-1)).toBe(count - 1), { timeout: 30_000 });
    a.signal('SIGTERM');
    b.signal('SIGTERM');
    const [, resultB] = await Promise.all([a.exited, b.exited]);
    const got = printed(resultB.stdout);
    // Strictly increasing: no number twice, none out of order; gaps are the crash's loss window.
    for (let i = 1; i < got.length; i++) expect(got[i]).toBeGreaterThan(got[i - 1] as number);
    const imported = Number(
      /(\d+) imported/.exec(/bridge:downlink stopped.*/.exec(resultB.stderr)?.[0] ?? '')?.[1],
    );
    expect(imported).toBe(got.length);
    console.log(
      `SIGKILL: ${count - got.length} of ${count} lost (acknowledged by mosquitto, not yet saved)`,
    );
  }, 60_000);
});
