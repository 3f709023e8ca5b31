// End-to-end tests of the durable outbox: an `ocre run` exporting with `outboxFile` is killed (SIGKILL) and started again; the receiving system gets every number once, in order.
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { bridgeRunsPerTest, printed, until } from './bridge-runs.ts';

const fixtures = fileURLToPath(new URL('./fixtures/bridge/', import.meta.url));
const { startBroker, start } = bridgeRunsPerTest();

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** System A (the numbered publisher, a bridge with an outbox file next to the system file) and system B (a printer). */
function systems(url: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ocre-durable-'));
  const a = join(dir, 'a.yaml');
  writeFileSync(
    a,
    `messaging: { topicMatching: wildcard, queueCapacity: 1000 }
containers:
  - { name: numbered, module: ${fixtures}numbered.ts }
bridges:
  - { name: uplink, mqtt: ${url}, export: ['numbers/#'], systemId: system-a, outboxFile: ./uplink.outbox }
`,
  );
  const b = join(dir, 'b.yaml');
  writeFileSync(
    b,
    `messaging: { topicMatching: wildcard, mailboxCapacity: 10000 }
containers:
  - { name: printer, module: ${fixtures}printer.ts }
bridges:
  - { name: downlink, mqtt: ${url}, import: ['numbers/#'], systemId: system-b }
`,
  );
  return { a, b, outbox: join(dir, 'uplink.outbox') };
}

/** Entry records are at least this long here (framing, fixed fields, origin, topic, content type, one digit). */
const minRecordBytes = 8 + 21 + ' 123456789012 system-a'.length + 'ocre/numbers/n'.length + 10 + 1;

describe('a durable outbox across a process crash (SIGKILL)', () => {
  it('sends what the killed process held while the broker was down, once, in order, ahead of new numbers', async () => {
    const broker = await startBroker({ config: ['max_queued_messages 100000'] });
    const files = systems(broker.url);
    const b = start(['run', files.b]);
    await until(b.stderr, /bridge:downlink connected/);
    await broker.stop(); // B's session (and subscription) waits in the broker's database
    const held = 300;
    const a1 = start(['run', files.a], {
      OCRE_COUNT: String(held),
      OCRE_EVERY_MS: '1',
      OCRE_DELAY_MS: '200',
    });
    await until(a1.stdout, /published all 300/);
    // The outbox file (beside the system file) holds all 300 once this turn's batch is written.
    await vi.waitFor(() =>
      expect(statSync(files.outbox).size).toBeGreaterThan(8 + held * minRecordBytes),
    );
    a1.signal('SIGKILL');
    await a1.exited;

    const a2 = start(['run', files.a], {
      OCRE_FROM: String(held),
      OCRE_COUNT: String(2 * held),
      OCRE_EVERY_MS: '1',
      OCRE_DELAY_MS: '200',
    });
    await until(a2.stdout, /published all 600/);
    await broker.restart();
    await vi.waitFor(() => expect(printed(b.stdout()).at(-1)).toBe(2 * held - 1), {
      timeout: 20_000,
    });
    a2.signal('SIGTERM');
    b.signal('SIGTERM');
    const [resultA, resultB] = await Promise.all([a2.exited, b.exited]);
    expect(printed(resultB.stdout)).toEqual(range(0, 2 * held));
    expect(resultA.stderr).toMatch(
      new RegExp(
        `bridge:uplink stopped \\(${2 * held} exported, 0 imported, 0 duplicates, 0 outboxed, ${held} journalled\\)`,
      ),
    );
    expect(existsSync(`${files.outbox}.lock`)).toBe(false); // the clean stop let the lock go
  }, 45_000);

  it('after a crash with exports in flight to a hung broker, what the broker had already taken is dropped by the receiver: still exactly once', async () => {
    const broker = await startBroker({ config: ['max_queued_messages 100000'] });
    const files = systems(broker.url);
    const b = start(['run', files.b]);
    await until(b.stderr, /bridge:downlink connected/);
    const a1 = start(['run', files.a], {
      OCRE_COUNT: '2000',
      OCRE_EVERY_MS: '2',
      OCRE_DELAY_MS: '300',
    });
    await vi.waitFor(() => expect(printed(b.stdout()).length).toBeGreaterThan(200), {
      timeout: 15_000,
    });
    broker.pause(); // acknowledges nothing more: exports pile up in A's outbox and file
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = printed(b.stdout()).length;
    a1.signal('SIGKILL');
    await a1.exited;
    broker.resume(); // it now takes what A wrote before dying, and B gets those

    // A again, publishing one sentinel after what it replays from the file.
    const sentinel = 100_000;
    const a2 = start(['run', files.a], {
      OCRE_FROM: String(sentinel),
      OCRE_COUNT: String(sentinel + 1),
      OCRE_DELAY_MS: '200',
    });
    await vi.waitFor(() => expect(printed(b.stdout()).at(-1)).toBe(sentinel), { timeout: 20_000 });
    a2.signal('SIGTERM');
    b.signal('SIGTERM');
    const [resultA, resultB] = await Promise.all([a2.exited, b.exited]);
    const got = printed(resultB.stdout);
    const k = got.length - 1;
    expect(got).toEqual([...range(0, k), sentinel]); // every number once, in order, no gap
    expect(k).toBeGreaterThan(before);
    const journalled = Number(/(\d+) journalled/.exec(resultA.stderr)?.[1]);
    expect(journalled).toBeGreaterThan(0);
    const duplicates = Number(
      /(\d+) duplicates/.exec(/bridge:downlink stopped.*/.exec(resultB.stderr)?.[0] ?? '')?.[1],
    );
    console.log(
      `SIGKILL with a hung broker: ${journalled} replayed from the file, ${duplicates} of them dropped by B as duplicates`,
    );
  }, 45_000);
});
