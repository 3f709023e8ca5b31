// Tests the SDK's C code against the host imports end to end: real current-API modules on real node:wasi, events in, publishes and callbacks out.
import { describe, expect, it } from 'vitest';
import { errno, resourceType } from '../../src/current-api/index.ts';
import type { MessageEvent } from '../../src/current-api/index.ts';
import { runCurrentGuest } from './current-guest.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const message = (mid: number, topic: string, payload: string): MessageEvent => ({
  type: resourceType.MESSAGE,
  mid,
  topic: utf8(topic),
  contentType: utf8('text/plain'),
  payload: utf8(`${payload}\0`),
});

describe('the current-API SDK on the host imports', () => {
  it('a timer-driven publisher publishes on every tick, and sees -ENOENT when nothing matched', () => {
    const published: string[] = [];
    const context = runCurrentGuest('current-publisher', {
      messaging: {
        publish: (topic, contentType, payload) => {
          published.push(`${topic} ${contentType} ${new TextDecoder().decode(payload)}`);
          return published.length === 2 ? -errno.ENOENT : 0;
        },
        subscribe: () => 0,
      },
      onSleep: (guest, milliseconds) => {
        if (published.length >= 3) return 'stop';
        // The SDK waits for its next event; the 100 ms timer ends the wait.
        const before = guest.clock.now();
        guest.clock.advance(100);
        return guest.events.takeArrival() ? milliseconds - (guest.clock.now() - before) : 0;
      },
    });
    expect(published).toEqual([
      'test/topic text/plain message 0\0',
      'test/topic text/plain message 1\0',
      'test/topic text/plain message 2\0',
    ]);
    expect(context.lines).toEqual([
      'publisher ready: timer 1 publishes to test/topic',
      'published: message 0',
      `publish 2 failed: ${-errno.ENOENT}`,
      'published: message 2',
    ]);
    expect(context.guest.dispatchers.get(resourceType.TIMER)).toBe('ocre_sdk_dispatch_timer');
    expect(context.timers.remaining(1)).toBe(100);
  });

  it('a prefix subscriber gets every pending message in one call, and frees each', () => {
    const subscribed: string[] = [];
    let sleeps = 0;
    const context = runCurrentGuest('current-subscriber', {
      messaging: {
        publish: () => -errno.ENOENT,
        subscribe: (prefix) => (subscribed.push(prefix), 0),
      },
      onSleep: (guest) => {
        if (sleeps++ > 0) return 'stop';
        guest.events.push(message(7, 'test/topic', 'first'));
        guest.events.push(message(8, 'other/topic', 'no callback for this one'));
        guest.events.push(message(9, 'test/b', 'x'.repeat(5000)));
        return guest.events.takeArrival() ? 1 : 0;
      },
    });
    expect(subscribed).toEqual(['test/']);
    expect(context.lines).toEqual([
      'subscriber ready: listening on test/',
      'received: topic=test/topic content_type=text/plain payload=first len=6',
      // Ocre's SDK would cut this payload to 1,024 bytes; ours hands over all of it.
      `received: topic=test/b content_type=text/plain payload=${'x'.repeat(5000)} len=5001`,
    ]);
    expect(context.frees).toHaveLength(3);
    expect(context.events.size).toBe(0);
  });
});
