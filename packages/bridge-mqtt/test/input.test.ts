// Tests what the bridge does with what arrives from the broker: bad input rejected and counted, redeliveries recognised, retained messages, content types.
import { describe, expect, it, vi } from 'vitest';
import type { BridgedSystem } from './systems.ts';
import { brokerPerTest } from './systems.ts';
import { bridgedSystem, rawClient } from './systems.ts';

const env = brokerPerTest();
const { track } = env;

const connected = (s: BridgedSystem) =>
  vi.waitFor(() => expect(s.bridge.status().state).toBe('connected'), { timeout: 5000 });
const origin = (system: string, run: string, mid: string) => ({
  userProperties: { 'ocre-origin': `${mid} ${run} ${system}` },
});

describe('input from the broker', () => {
  it('rejects bad input with a counted reason and keeps running', async () => {
    const b = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'b', import: ['in/#'] },
        record: ['in/#'],
        limits: { maxPayloadBytes: 16, maxTopicBytes: 32, maxContentTypeBytes: 24 },
      }),
    );
    await connected(b);
    const raw = await rawClient(env.broker.url);
    const send = (topic: string, payload: string | Buffer, properties = {}) =>
      raw.publishAsync(`ocre/${topic}`, payload, { qos: 1, properties });
    await send(`in/${'x'.repeat(40)}`, 'long topic');
    await send('in/empty', Buffer.alloc(0));
    await send('in/big', 'y'.repeat(17));
    await send('in/ct', 'z', { contentType: 'application/'.padEnd(30, 'x') });
    await send('in/origin', 'bad mid', origin('x', 'r', '12abc'));
    await send('in/origin', 'huge mid', origin('x', 'r', '18446744073709551616'));
    await send('in/origin', 'leading zero', origin('x', 'r', '01'));
    await send('in/origin', 'no system', { userProperties: { 'ocre-origin': '1 r' } });
    await send('in/origin', 'repeated', {
      userProperties: { 'ocre-origin': ['1 r x', '2 r y'] },
    });
    await send('in/ok', 'fine');
    await vi.waitFor(() => expect(b.received).toEqual(['in/ok fine']));
    expect(b.bridge.status().counters).toMatchObject({
      rejected: 9,
      imported: 1,
      'rejected.topic-too-long': 1,
      'rejected.empty-payload': 1,
      'rejected.payload-too-large': 1,
      'rejected.content-type-too-long': 1,
      'rejected.bad-origin': 5,
    });
    expect(b.bridge.status().state).toBe('connected');
    expect(b.system.state).toBe('running');
    raw.end(true);
  });

  it('delivers a redelivered message once, by (origin, run, mid); a new run of the origin is not a duplicate', async () => {
    const b = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'b', import: ['in/#'] },
        record: ['in/#'],
      }),
    );
    await connected(b);
    const raw = await rawClient(env.broker.url);
    const send = (payload: string, run: string, mid: string) =>
      raw.publishAsync('ocre/in/x', payload, {
        qos: 1,
        dup: true,
        properties: origin('a', run, mid),
      });
    await send('first', 'run-1', '1');
    await send('first again', 'run-1', '1'); // what a publisher resends after a reconnect
    await send('second', 'run-1', '2');
    await send('after restart', 'run-2', '1'); // the origin restarted: ids begin again
    await vi.waitFor(() =>
      expect(b.received).toEqual(['in/x first', 'in/x second', 'in/x after restart']),
    );
    expect(b.bridge.status().counters).toMatchObject({ imported: 3, duplicates: 1 });
    raw.end(true);
  });

  it('exports retained when asked: a system joining later gets the last value once, and the content type', async () => {
    const a = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'a', export: ['status/#'], retain: true },
      }),
    );
    await connected(a);
    a.publish('status/pump', 'off', 'text/plain');
    a.publish('status/pump', 'on', 'text/x-state');
    await vi.waitFor(() => expect(a.bridge.status().counters.exported).toBe(2));
    const b = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'b', import: ['status/#'] },
        record: ['status/#'],
      }),
    );
    await vi.waitFor(() => expect(b.received).toEqual(['status/pump on']));
    expect(b.messages[0]?.contentType).toBe('text/x-state');
    // The subscription is re-sent on every connect; retained messages come only for a new one.
    await env.broker.restart();
    await connected(b);
    await vi.waitFor(() => expect(b.bridge.status().counters.connects).toBe(2));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(b.received).toEqual(['status/pump on']);
  });

  it('gives an imported message without a content type application/octet-stream', async () => {
    const b = track(
      await bridgedSystem({
        bridge: { url: env.broker.url, systemId: 'b', import: ['in/#'] },
        record: ['in/#'],
      }),
    );
    await connected(b);
    const raw = await rawClient(env.broker.url);
    await raw.publishAsync('ocre/in/plain', Buffer.from([0, 1, 2, 255]), { qos: 0 });
    await vi.waitFor(() => expect(b.messages).toHaveLength(1));
    expect(b.messages[0]?.contentType).toBe('application/octet-stream');
    expect([...(b.messages[0]?.payload ?? [])]).toEqual([0, 1, 2, 255]);
    raw.end(true);
  });
});
