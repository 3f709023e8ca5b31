// Tests the durable outbox against a real broker: exports held in the file outlive their bridge and are sent by the next one ahead of new exports, with their original origin, so a receiver that already has them drops them.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '@ocre-ts/actors';
import { describe, expect, it, vi } from 'vitest';
import { createBridgeCounters } from '../src/bridge-status.ts';
import { OutboxJournal } from '../src/journal/outbox-journal.ts';
import { readOrigin } from '../src/origin.ts';
import { Outbox, OutboxEntry } from '../src/outbox.ts';
import type { BridgedSystem } from './systems.ts';
import { bridgedSystem, brokerPerTest, collect, rawClient } from './systems.ts';

const env = brokerPerTest({ config: ['max_queued_messages 100000'] });
const { track } = env;

const state = (s: BridgedSystem, expected: string) =>
  vi.waitFor(() => expect(s.bridge.status().state).toBe(expected), { timeout: 5000 });
const numbers = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `sensors/n ${from + i}`);
const outboxFile = () => join(mkdtempSync(join(tmpdir(), 'ocre-durable-')), 'uplink.outbox');

async function receiver(): Promise<BridgedSystem> {
  const b = track(
    await bridgedSystem({
      bridge: { url: env.broker.url, systemId: 'b', import: ['sensors/#'] },
      record: ['sensors/#'],
    }),
  );
  await state(b, 'connected'); // B's session (and subscription) now lives in the broker
  return b;
}

describe('durable outbox', () => {
  it('sends what an earlier bridge left in the file, in order, ahead of new exports', async () => {
    const b = await receiver();
    await env.broker.stop();
    const file = outboxFile();
    const a1 = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'a', export: ['sensors/#'], outboxFile: file },
      }),
    );
    for (let n = 0; n < 10; n++) a1.publish('sensors/n', String(n));
    await vi.waitFor(() => expect(a1.bridge.status().counters.outboxed).toBe(10));
    await a1.system.stop(); // the process may end now: the ten are in the file
    expect(a1.output).toContain(
      `[bridge:uplink] stopping with 10 exported messages the broker has not acknowledged; they stay in the outbox file ${file}, sent after the next start`,
    );

    const a2 = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'a', export: ['sensors/#'], outboxFile: file },
      }),
    );
    expect(a2.bridge.status().counters).toMatchObject({ journalled: 10, outboxed: 10 });
    for (let n = 10; n < 15; n++) a2.publish('sensors/n', String(n));
    await env.broker.restart();
    await vi.waitFor(() => expect(b.received).toEqual(numbers(0, 15)), { timeout: 10_000 });
    await vi.waitFor(() =>
      expect(a2.bridge.status().counters).toMatchObject({ exported: 15, outboxed: 0 }),
    );
    expect(b.bridge.status().counters.duplicates).toBe(0);
  });

  it('resends with the original origin: a receiver that already has them drops them as duplicates', async () => {
    const b = await receiver();
    const watcher = await rawClient(env.broker.url);
    const packets = await collect(watcher, 'ocre/#');
    const file = outboxFile();
    const a1 = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'a', export: ['sensors/#'] },
      }),
    );
    await state(a1, 'connected');
    for (let n = 0; n < 5; n++) a1.publish('sensors/n', String(n));
    await vi.waitFor(() => expect(b.received).toEqual(numbers(0, 5)));
    await vi.waitFor(() => expect(packets).toHaveLength(5));
    await a1.system.stop();

    // The file a1 would have left had it been killed after the broker took the five and before
    // their acknowledgements were written: every one still pending, each with a1's origin.
    const outbox = new Outbox(100);
    const journal = new OutboxJournal({
      file,
      sync: 'none',
      clock: new VirtualClock(),
      counters: createBridgeCounters(),
      warn: () => {},
    });
    journal.open(outbox);
    for (const packet of packets) {
      const origin = readOrigin(packet.properties?.userProperties);
      if (origin === undefined || typeof origin === 'string') throw new Error('no origin');
      const space = origin.key.indexOf(' ');
      outbox.push(
        new OutboxEntry(
          packet.topic,
          packet.payload as Buffer,
          packet.properties?.contentType ?? '',
          BigInt(origin.key.slice(0, space)),
          origin.key.slice(space),
        ),
      );
    }
    journal.close();

    const a2 = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'a', export: ['sensors/#'], outboxFile: file },
      }),
    );
    await state(a2, 'connected');
    for (let n = 5; n < 8; n++) a2.publish('sensors/n', String(n));
    await vi.waitFor(() => expect(b.received).toEqual(numbers(0, 8)), { timeout: 10_000 });
    await vi.waitFor(() => expect(b.bridge.status().counters.duplicates).toBe(5));
    expect(a2.bridge.status().counters).toMatchObject({ journalled: 5 });
    await vi.waitFor(() => expect(a2.bridge.status().counters.exported).toBe(8));
    expect(b.received).toEqual(numbers(0, 8));
    watcher.end(true);
  });

  it('refuses a second bridge on a file another bridge holds: the bridge fails at start, naming the file', async () => {
    const file = outboxFile();
    const a = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'a', export: ['sensors/#'], outboxFile: file },
      }),
    );
    const a2 = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'a2', export: ['sensors/#'], outboxFile: file },
      }),
    );
    const failed = a2.events.find((event) => event.type === 'container.failed');
    expect(failed).toMatchObject({ container: 'bridge:uplink' });
    expect(failed?.type === 'container.failed' && failed.reason).toContain(
      `Outbox file ${file} is in use by another bridge of this process (lock file ${file}.lock)`,
    );
    expect(a2.system.state).toBe('running'); // the rest of the system runs on
    expect(a.bridge.status().state).not.toBe('stopped'); // the first bridge keeps its file
    await a.system.stop();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
