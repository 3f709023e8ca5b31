// Delivery through the router: fan-out, matching modes, bounded mailbox and queue, FIFO per publisher, subscriptions across restarts.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readText } from '@ocre-ts/core';
import type { OcreFacade, TopicMatchingMode } from '@ocre-ts/core';
import { defineContainer } from '../src/index.ts';
import { harness, scripted } from './fixtures.ts';

/** A container that only publishes: its facade is handed out once it started. */
function publisher(name: string, apis: Map<string, OcreFacade>) {
  return defineContainer({
    name,
    init(api) {
      api.ocre_msg_system_init();
      apis.set(name, api);
    },
  });
}

describe('delivery', () => {
  it('fans one message out to every matching container and counts each delivery', async () => {
    const log: string[] = [];
    const topics = ['sensors/t'];
    const h = harness({
      containers: ['x', 'y', 'z'].map((name) => scripted(name, {}, { log, topics })),
    });
    await h.system.start();
    h.publish('sensors/t', 'hello');
    await h.system.settle();
    expect(log.sort()).toEqual(['x:hello', 'y:hello', 'z:hello']);
    const counters = h.system.counters();
    expect(counters).toMatchObject({ published: 1, delivered: 3, deadLettered: 0 });
    expect(counters.topics['sensors/t']).toEqual({
      published: 1,
      delivered: 3,
      deadLettered: 0,
      publishers: { system: 1 },
    });
    expect(counters.containers.y).toMatchObject({ delivered: 1, deadLettered: 0 });
    await h.system.stop();
  });

  it("tallies each topic's publishes by publisher, interleaved runs included, adding up to published", async () => {
    const apis = new Map<string, OcreFacade>();
    const h = harness({
      containers: [
        publisher('a', apis),
        publisher('b', apis),
        scripted('sink', {}, { topics: ['#'] }),
      ],
      messaging: { topicMatching: 'wildcard' },
    });
    await h.system.start();
    const send = (who: string, topic: string) => {
      const api = apis.get(who) as OcreFacade;
      expect(api.ocre_publish_message(topic, 'text/plain', new Uint8Array([1]), 1)).toBe(0);
    };
    for (let i = 0; i < 3; i++) send('a', 't/1'); // a run on one pair
    send('b', 't/1');
    send('a', 't/1'); // back to an earlier pair
    send('a', 't/2');
    h.publish('t/1', 'outside');
    send('b', 't/2');
    await h.system.settle();
    const { topics } = h.system.counters();
    expect(topics['t/1']).toMatchObject({ published: 6, publishers: { a: 4, b: 1, system: 1 } });
    expect(topics['t/2']).toMatchObject({ published: 2, publishers: { a: 1, b: 1 } });
    await h.system.stop();
  });

  it('a subscription made while a topic is busy receives the messages routed after it', async () => {
    const log: string[] = [];
    const apis = new Map<string, OcreFacade>();
    const late = defineContainer({
      name: 'late',
      init(api) {
        api.ocre_msg_system_init();
        apis.set('late', api);
      },
      handlers: { on_message: (message) => void log.push(`late:${readText(message)}`) },
    });
    const h = harness({ containers: [scripted('early', {}, { log, topics: ['t'] }), late] });
    await h.system.start();
    h.publish('t', '1');
    await h.system.settle();
    apis.get('late')?.ocre_subscribe_message('t', 'on_message');
    h.publish('t', '2');
    await h.system.settle();
    expect(log).toEqual(['early:1', 'early:2', 'late:2']);
    await h.system.stop();
  });

  it('calls the handler each subscription names, however the mail for them interleaves', async () => {
    const log: string[] = [];
    const two = defineContainer({
      name: 'two',
      init(api) {
        api.ocre_msg_system_init();
        api.ocre_subscribe_message('a', 'on_a');
        api.ocre_subscribe_message('b', 'on_b');
      },
      handlers: {
        on_a: (message) => void log.push(`on_a:${readText(message)}`),
        on_b: (message) => void log.push(`on_b:${readText(message)}`),
      },
    });
    const h = harness({ containers: [two] });
    await h.system.start();
    for (const topic of ['a', 'a', 'b', 'a', 'b', 'b']) h.publish(topic, topic);
    await h.system.settle();
    expect(log).toEqual(['on_a:a', 'on_a:a', 'on_b:b', 'on_a:a', 'on_b:b', 'on_b:b']);
    await h.system.stop();
  });

  const matching: [TopicMatchingMode, string, string[], string[]][] = [
    ['exact', 'a/b', ['a/b'], ['a/bc', 'a', 'a/b/c']],
    ['prefix', 'a/b', ['a/b', 'a/bc', 'a/b/c'], ['a', 'b/a/b']],
    ['wildcard', 'a/+', ['a/b', 'a/'], ['a', 'a/b/c']],
    ['wildcard', 'a/#', ['a', 'a/b', 'a/b/c'], ['b', 'ab']],
    ['wildcard', '#', ['a', 'x/y/z'], []],
  ];
  it.each(matching)('%s mode: %s matches %j, not %j', async (mode, pattern, hits, misses) => {
    const log: string[] = [];
    const h = harness({
      messaging: { topicMatching: mode },
      containers: [scripted('s', {}, { log, topics: [pattern] })],
    });
    await h.system.start();
    for (const topic of [...hits, ...misses]) h.publish(topic, topic);
    await h.system.settle();
    expect(log).toEqual(hits.map((topic) => `s:${topic}`));
    expect(h.letters.map((l) => `${l.reason} ${l.message.topic}`)).toEqual(
      misses.map((topic) => `no-subscriber ${topic}`),
    );
    await h.system.stop();
  });

  it('a message nobody subscribes to is one no-subscriber dead letter, with no container', async () => {
    const h = harness({ containers: [scripted('a')] });
    await h.system.start();
    h.publish('nobody/home', 'x');
    await h.system.settle();
    expect(h.letters).toHaveLength(1);
    expect(h.letters[0]).not.toHaveProperty('container');
    expect(h.letters[0]?.reason).toBe('no-subscriber');
    expect(h.system.counters().topics['nobody/home']).toEqual({
      published: 1,
      delivered: 0,
      deadLettered: 1,
      publishers: { system: 1 },
    });
    await h.system.stop();
  });

  it('a full mailbox turns further deliveries into mailbox-full dead letters; others still get theirs', async () => {
    const log: string[] = [];
    const topics = ['t'];
    const h = harness({
      containers: [
        scripted('small', { mailboxCapacity: 2 }, { log, topics }),
        scripted('big', {}, { log, topics }),
      ],
    });
    await h.system.start();
    for (let i = 0; i < 5; i++) h.publish('t', `m${i}`); // routed in one router turn
    await h.system.settle();
    expect(log.filter((line) => line.startsWith('small'))).toEqual(['small:m0', 'small:m1']);
    expect(log.filter((line) => line.startsWith('big'))).toHaveLength(5);
    expect(h.letterLines()).toEqual([
      'mailbox-full small',
      'mailbox-full small',
      'mailbox-full small',
    ]);
    expect(h.system.counters()).toMatchObject({ published: 5, delivered: 7, deadLettered: 3 });
    await h.system.stop();
  });

  it('a full router queue refuses at once with QUEUE_FULL (-1 in C style), never delivering inside the call', async () => {
    const log: string[] = [];
    const apis = new Map<string, OcreFacade>();
    const h = harness({
      messaging: { queueCapacity: 3 },
      containers: [publisher('p', apis), scripted('s', {}, { log, topics: ['t'] })],
    });
    await h.system.start();
    const api = apis.get('p')!;
    const verdicts = [0, 1, 2, 3].map((i) =>
      api.ocre_publish_message('t', 'text/plain', `m${i}`, 2),
    );
    expect(verdicts).toEqual([0, 0, 0, -1]);
    expect(api.lastError()?.code).toBe('QUEUE_FULL');
    expect(h.publish('t', 'again')).toBe('QUEUE_FULL');
    expect(log).toEqual([]); // nothing is delivered inside the publisher's call stack
    expect(h.eventLines((e) => e.type === 'queue.full')).toEqual([
      'queue.full p',
      'queue.full system',
    ]);
    await h.system.settle();
    expect(log).toEqual(['s:m0', 's:m1', 's:m2']);
    expect(h.system.counters()).toMatchObject({ published: 3, rejected: 2 });
    expect(h.system.container('p').counters).toMatchObject({ published: 3, rejected: 1 });
    await h.system.stop();
  });

  it('keeps FIFO per publisher, with dense increasing ids, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('p1', 'p2', 'system'), fc.constantFrom('t1', 't2')), {
          maxLength: 60,
        }),
        async (plan) => {
          const seen: string[] = [];
          const apis = new Map<string, OcreFacade>();
          const h = harness({
            messaging: { queueCapacity: 1000 },
            containers: [
              publisher('p1', apis),
              publisher('p2', apis),
              defineContainer({
                name: 'sub',
                init(api) {
                  api.ocre_msg_system_init();
                  api.ocre_subscribe_message('t1', 'on');
                  api.ocre_subscribe_message('t2', 'on');
                },
                handlers: {
                  on: (message) => void seen.push(`${message.mid} ${readText(message)}`),
                },
              }),
            ],
          });
          await h.system.start();
          const sent = new Map<string, number>();
          for (const [who, topic] of plan) {
            const seq = sent.get(who) ?? 0;
            sent.set(who, seq + 1);
            const text = `${who}#${seq}`;
            if (who === 'system') h.publish(topic, text);
            else apis.get(who)?.publish(topic, 'text/plain', text);
          }
          await h.system.settle();
          expect(seen.map((line) => line.split(' ')[0])).toEqual(plan.map((_, i) => String(i)));
          for (const who of ['p1', 'p2', 'system']) {
            const mine = seen
              .map((line) => line.split(' ')[1] ?? '')
              .filter((t) => t.startsWith(who));
            expect(mine).toEqual(
              Array.from({ length: sent.get(who) ?? 0 }, (_, i) => `${who}#${i}`),
            );
          }
          await h.system.stop();
        },
      ),
      { numRuns: 30 },
    );
  });

  it('mail for a container in backoff waits in its mailbox and is handled, in order, after the restart', async () => {
    const log: string[] = [];
    const h = harness({
      supervisor: { backoff: { minMs: 100 } },
      containers: [scripted('w', {}, { log })],
    });
    await h.system.start();
    h.publish('w', 'boom');
    await h.system.settle();
    for (const text of ['one', 'two', 'three']) h.publish('w', text);
    await h.advance(99);
    expect(h.system.container('w')).toMatchObject({ state: 'restarting', mailbox: 3 });
    await h.advance(1);
    expect(log).toEqual(['w:one', 'w:two', 'w:three']);
    expect(h.letterLines()).toEqual(['handler-fault w']);
    await h.system.stop();
  });

  it('mail for a stopped container becomes container-down dead letters', async () => {
    const h = harness({ containers: [scripted('w', { onFault: 'stop' })] });
    await h.system.start();
    h.publish('w', 'boom');
    await h.system.settle();
    h.publish('w', 'late');
    await h.system.settle();
    expect(h.letterLines()).toEqual(['handler-fault w', 'container-down w']);
    expect(h.system.container('w').counters.deadLettered).toBe(2);
    await h.system.stop();
  });

  it('subscribing twice is idempotent; two handlers on one topic each get the message', async () => {
    const calls: string[] = [];
    const h = harness({
      containers: [
        defineContainer({
          name: 'twice',
          init(api) {
            api.ocre_msg_system_init();
            expect(api.ocre_subscribe_message('t', 'first')).toBe(0);
            expect(api.ocre_subscribe_message('t', 'first')).toBe(0);
            expect(api.ocre_subscribe_message('t', 'second')).toBe(0);
          },
          handlers: {
            first: () => void calls.push('first'),
            second: () => void calls.push('second'),
          },
        }),
      ],
    });
    await h.system.start();
    h.publish('t', 'x');
    await h.system.settle();
    expect(calls).toEqual(['first', 'second']);
    expect(h.system.container('twice').subscriptions).toEqual([
      { pattern: 't', handler: 'first' },
      { pattern: 't', handler: 'second' },
    ]);
    await h.system.stop();
  });

  it('keeps subscriptions across restarts, even when the new instance does not subscribe again', async () => {
    const log: string[] = [];
    let starts = 0;
    const h = harness({
      containers: [
        defineContainer({
          name: 'once',
          init(api) {
            api.ocre_msg_system_init();
            if (++starts === 1) api.ocre_subscribe_message('t', 'on');
          },
          handlers: {
            on(message) {
              if (readText(message) === 'boom') throw new Error('boom');
              log.push(readText(message));
            },
          },
        }),
        scripted('again'),
      ],
    });
    await h.system.start();
    h.publish('t', 'boom');
    h.publish('again', 'boom');
    await h.advance(10);
    h.publish('t', 'still here');
    await h.system.settle();
    expect(starts).toBe(2);
    expect(log).toEqual(['still here']);
    expect(h.system.container('once').subscriptions).toHaveLength(1);
    expect(h.system.container('again').subscriptions).toEqual([
      { pattern: 'again', handler: 'on_message' },
    ]);
    await h.system.stop();
  });
});
