import { describe, expect, it, vi } from 'vitest';
import { OcreError } from '../src/errors.ts';
import { createOcreFacade } from '../src/facade.ts';
import type { OcreMessagingPort } from '../src/facade.ts';
import { resolveLimits } from '../src/limits.ts';

interface Published {
  topic: string;
  contentType: string;
  payload: Uint8Array;
}

function recordingPort(capacity = Infinity) {
  const published: Published[] = [];
  const subscribed: [string, string][] = [];
  let mid = 0n;
  const port: OcreMessagingPort = {
    publish(topic, contentType, payload) {
      if (published.length >= capacity) return new OcreError('QUEUE_FULL', 'queue full');
      published.push({ topic, contentType, payload });
      return mid++;
    },
    subscribe(topic, handlerName) {
      subscribed.push([topic, handlerName]);
      return undefined;
    },
  };
  return { port, published, subscribed };
}

describe('createOcreFacade', () => {
  it('refuses to publish or subscribe before ocre_msg_system_init', () => {
    const { port, published } = recordingPort();
    const api = createOcreFacade({ container: 'sensor', port });
    expect(api.ocre_publish_message('t', 'text/plain', 'x', 1)).toBe(-1);
    expect(api.lastError()?.message).toMatchInlineSnapshot(
      `"ocre_publish_message: container "sensor" has not called ocre_msg_system_init(); call it once before publishing or subscribing"`,
    );
    expect(api.ocre_subscribe_message('t', 'h')).toBe(-1);
    expect(api.lastError()?.code).toBe('NOT_INITIALIZED');
    expect(published).toEqual([]);
  });

  it('warns on a second init and otherwise does nothing', () => {
    const onWarning = vi.fn();
    const api = createOcreFacade({ container: 'c', port: recordingPort().port, onWarning });
    api.ocre_msg_system_init();
    expect(onWarning).not.toHaveBeenCalled();
    api.ocre_msg_system_init();
    expect(onWarning).toHaveBeenCalledOnce();
    expect(onWarning.mock.calls[0]?.[0]).toMatchInlineSnapshot(
      `"ocre_msg_system_init: container "c" is already initialised; the second call does nothing"`,
    );
    expect(api.initialized).toBe(true);
  });

  it('publishes a private copy of payload_len bytes and returns 0', () => {
    const { port, published } = recordingPort();
    const api = createOcreFacade({ container: 'c', port });
    api.ocre_msg_system_init();
    const buffer = new TextEncoder().encode('hello\0');
    expect(api.ocre_publish_message('greetings', 'text/plain', buffer, 6)).toBe(0);
    buffer.fill(0);
    expect(published[0]?.topic).toBe('greetings');
    expect(new TextDecoder().decode(published[0]?.payload)).toBe('hello\0');
    expect(api.ocre_publish_message('greetings', 'text/plain', 'abc', 2)).toBe(0);
    expect(new TextDecoder().decode(published[1]?.payload)).toBe('ab');
  });

  it('copies a Node Buffer too, and cuts a string payload at payload_len bytes', () => {
    const { port, published } = recordingPort();
    const api = createOcreFacade({ container: 'c', port });
    api.ocre_msg_system_init();
    const reused = Buffer.from('abcdef');
    expect(api.ocre_publish_message('t', 'text/plain', reused, 6)).toBe(0);
    expect(api.ocre_publish_message('t', 'text/plain', reused, 3)).toBe(0);
    reused.fill(0);
    expect(published.map((message) => new TextDecoder().decode(message.payload))).toEqual([
      'abcdef',
      'abc',
    ]);
    expect(api.ocre_publish_message('t', 'text/plain', 'é€😀', 6)).toBe(0);
    expect([...(published[2]?.payload ?? [])]).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0]);
    expect(api.publish('t', 'text/plain', 'x'.repeat(40) + '€')).toEqual({ ok: true, value: 3n });
    expect(published[3]?.payload).toEqual(new TextEncoder().encode('x'.repeat(40) + '€'));
  });

  it('hands a byte payload over without a copy only when the publisher opts in with transfer', () => {
    const { port, published } = recordingPort();
    const api = createOcreFacade({ container: 'c', port });
    api.ocre_msg_system_init();
    const kept = new Uint8Array([1, 2, 3, 4]);
    const given = new Uint8Array([5, 6, 7, 8]);
    expect(api.publish('t', 'x/y', kept).ok).toBe(true);
    expect(api.publish('t', 'x/y', given, 4, { transfer: true }).ok).toBe(true);
    expect(api.publish('t', 'x/y', given, 2, { transfer: true }).ok).toBe(true);
    expect(published[0]?.payload).not.toBe(kept); // the default copies
    expect(published[1]?.payload).toBe(given); // transferred: the very buffer
    expect(published[2]?.payload.buffer).toBe(given.buffer); // a view of its first 2 bytes
    expect([...(published[2]?.payload ?? [])]).toEqual([5, 6]);
  });

  it('checks every publish after a topic or content type changes, though a repeated one is checked once', () => {
    const { port, published } = recordingPort();
    const api = createOcreFacade({
      container: 'c',
      port,
      limits: resolveLimits({ maxPayloadBytes: 4 }),
    });
    api.ocre_msg_system_init();
    expect(api.ocre_publish_message('t', 'c', 'ab', 2)).toBe(0);
    // Same topic and type: the payload rules still apply to every message.
    expect(api.ocre_publish_message('t', 'c', 'abcdef', 6)).toBe(-1);
    expect(api.lastError()?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(api.ocre_publish_message('t', 'c', 'ab', 3)).toBe(-1);
    expect(api.lastError()?.code).toBe('INVALID_PAYLOAD');
    // A new topic or type is checked in full, and a bad one never becomes the remembered one.
    expect(api.ocre_publish_message('t', '', 'ab', 2)).toBe(-1);
    expect(api.lastError()?.code).toBe('INVALID_CONTENT_TYPE');
    expect(api.ocre_publish_message('x'.repeat(300), 'c', 'ab', 2)).toBe(-1);
    expect(api.lastError()?.code).toBe('TOPIC_TOO_LONG');
    expect(api.ocre_publish_message('x'.repeat(300), 'c', 'ab', 2)).toBe(-1);
    expect(api.ocre_publish_message('t', 'c', 'ab', 2)).toBe(0);
    expect(published).toHaveLength(2);
  });

  it('returns -1 with the typed reason for every failure row, and never throws', () => {
    const { port, published } = recordingPort(1);
    const api = createOcreFacade({ container: 'c', port });
    api.ocre_msg_system_init();
    const rows: [unknown[], string][] = [
      [[null, 'c', 'x', 1], 'INVALID_TOPIC'],
      [['', 'c', 'x', 1], 'INVALID_TOPIC'],
      [['t', null, 'x', 1], 'INVALID_CONTENT_TYPE'],
      [['t', '', 'x', 1], 'INVALID_CONTENT_TYPE'],
      [['t', 'c', null, 1], 'INVALID_PAYLOAD'],
      [['t', 'c', 'x', 0], 'INVALID_PAYLOAD'],
      [['t', 'c', 'x', -5], 'INVALID_PAYLOAD'],
    ];
    for (const [args, code] of rows) {
      const [topic, contentType, payload, payloadLen] = args as [string, string, string, number];
      expect(api.ocre_publish_message(topic, contentType, payload, payloadLen)).toBe(-1);
      expect(api.lastError()?.code).toBe(code);
    }
    expect(published).toEqual([]);
    expect(api.ocre_publish_message('t', 'c', 'x', 1)).toBe(0);
    expect(api.ocre_publish_message('t', 'c', 'x', 1)).toBe(-1);
    expect(api.lastError()?.code).toBe('QUEUE_FULL');
  });

  it('gives the message id through the typed twin', () => {
    const api = createOcreFacade({ container: 'c', port: recordingPort().port });
    api.ocre_msg_system_init();
    expect(api.publish('t', 'text/plain', 'one')).toEqual({ ok: true, value: 0n });
    expect(api.publish('t', 'text/plain', 'two')).toEqual({ ok: true, value: 1n });
    const failed = api.publish('', 'text/plain', 'x');
    expect(failed.ok).toBe(false);
    expect(!failed.ok && failed.error.code).toBe('INVALID_TOPIC');
  });

  it('checks the handler exists, counts distinct subscriptions and enforces the limit', () => {
    const { port, subscribed } = recordingPort();
    const api = createOcreFacade({
      container: 'sub',
      port,
      limits: resolveLimits({ maxSubscriptions: 2 }),
      hasHandler: (name) => name === 'on_temp',
    });
    api.ocre_msg_system_init();
    expect(api.ocre_subscribe_message('a', 'missing')).toBe(-1);
    expect(api.lastError()?.message).toMatchInlineSnapshot(
      `"ocre_subscribe_message: container "sub" has no handler named "missing"; export it (in C: __attribute__((export_name("missing")))) or fix the name"`,
    );
    expect(api.ocre_subscribe_message('a', 'on_temp')).toBe(0);
    expect(api.ocre_subscribe_message('a', 'on_temp')).toBe(0);
    expect(api.ocre_subscribe_message('b', 'on_temp')).toBe(0);
    expect(api.subscriptionCount).toBe(2);
    expect(api.ocre_subscribe_message('c', 'on_temp')).toBe(-1);
    expect(api.lastError()?.code).toBe('SUBSCRIPTION_LIMIT');
    expect(api.subscribe('a', 'on_temp')).toEqual({ ok: true, value: undefined });
    expect(subscribed).toEqual([
      ['a', 'on_temp'],
      ['a', 'on_temp'],
      ['b', 'on_temp'],
      ['a', 'on_temp'],
    ]);
  });

  it('passes on what the port refuses', () => {
    const api = createOcreFacade({
      container: 'c',
      port: {
        publish: () => new OcreError('SHUTTING_DOWN', 'the system is stopping'),
        subscribe: () => new OcreError('INVALID_PATTERN', 'bad pattern'),
      },
    });
    api.ocre_msg_system_init();
    expect(api.ocre_publish_message('t', 'c', 'x', 1)).toBe(-1);
    expect(api.lastError()?.code).toBe('SHUTTING_DOWN');
    expect(api.ocre_subscribe_message('a/#/b', 'h')).toBe(-1);
    expect(api.lastError()?.code).toBe('INVALID_PATTERN');
    expect(api.subscriptionCount).toBe(0);
  });
});
