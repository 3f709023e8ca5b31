// The observation surface: events$, topic$, deadLetters$, metrics$ in virtual time, throwing observers, and what an unobserved stream costs.
import { describe, it, expect, vi } from 'vitest';
import { Subject, filter, firstValueFrom, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { readText } from '@ocre-ts/core';
import { createOcreSystem, VirtualClock } from '../src/index.ts';
import type { Clock, SystemEvent } from '../src/index.ts';
import { harness, scripted } from './fixtures.ts';

describe('events$', () => {
  it('tells a fault-and-restart story exactly', async () => {
    const h = harness({
      supervisor: { backoff: { minMs: 25 } },
      containers: [scripted('sensor'), scripted('logger')],
    });
    await h.system.start();
    await h.clock.advance(100);
    h.publish('sensor', 'boom');
    await h.advance(25);
    await h.system.stop();
    const events = h.events.map((event): Partial<SystemEvent> => {
      if (event.type !== 'system.stopped') return event;
      const { counters, ...rest } = event;
      return { ...rest, ...{ published: counters.published, deadLettered: counters.deadLettered } };
    });
    expect(events).toMatchInlineSnapshot(`
      [
        {
          "attempt": 1,
          "container": "sensor",
          "time": 0,
          "type": "container.starting",
        },
        {
          "container": "sensor",
          "time": 0,
          "type": "container.running",
        },
        {
          "attempt": 1,
          "container": "logger",
          "time": 0,
          "type": "container.starting",
        },
        {
          "container": "logger",
          "time": 0,
          "type": "container.running",
        },
        {
          "container": "sensor",
          "mid": 0n,
          "reason": "handler-fault",
          "time": 100,
          "topic": "sensor",
          "type": "message.dead-lettered",
        },
        {
          "container": "sensor",
          "error": "Error: boom in sensor",
          "mid": 0n,
          "phase": "handler",
          "time": 100,
          "type": "container.faulted",
        },
        {
          "attempt": 1,
          "container": "sensor",
          "delayMs": 25,
          "time": 100,
          "type": "container.restarting",
        },
        {
          "attempt": 2,
          "container": "sensor",
          "time": 125,
          "type": "container.starting",
        },
        {
          "container": "sensor",
          "time": 125,
          "type": "container.running",
        },
        {
          "container": "logger",
          "reason": "stop requested",
          "time": 125,
          "type": "container.stopped",
        },
        {
          "container": "sensor",
          "reason": "stop requested",
          "time": 125,
          "type": "container.stopped",
        },
        {
          "deadLettered": 1,
          "failed": false,
          "published": 1,
          "reason": "stop requested",
          "time": 125,
          "type": "system.stopped",
        },
      ]
    `);
  });

  it('completes when the system stops; subscribing later completes at once', async () => {
    const h = harness({ containers: [scripted('a')] });
    await h.system.start();
    const all = firstValueFrom(h.system.events$.pipe(toArray()));
    await h.system.stop();
    expect((await all).at(-1)?.type).toBe('system.stopped');
    expect(await firstValueFrom(h.system.events$.pipe(toArray()))).toEqual([]);
  });
});

describe('topic$', () => {
  it('shows routed messages on topics matching its pattern (system matching mode), subscribed or not', async () => {
    const h = harness({
      messaging: { topicMatching: 'wildcard' },
      containers: [scripted('s', {}, { topics: ['sensors/temp'] })],
    });
    const seen: string[] = [];
    h.system
      .topic$('sensors/+')
      .subscribe((message) => seen.push(`${message.topic}=${readText(message)}`));
    const everything = firstValueFrom(h.system.topic$('#').pipe(map(readText), toArray()));
    await h.system.start();
    h.publish('sensors/temp', '21');
    h.publish('sensors/humidity', '40');
    h.publish('actuators/fan', 'on');
    await h.system.settle();
    expect(seen).toEqual(['sensors/temp=21', 'sensors/humidity=40']);
    await h.system.stop();
    expect(await everything).toEqual(['21', '40', 'on']);
  });

  it('errors for a pattern the matching mode rejects', async () => {
    const h = harness({ messaging: { topicMatching: 'wildcard' }, containers: [] });
    await expect(firstValueFrom(h.system.topic$('a/#/b'))).rejects.toMatchObject({
      code: 'INVALID_PATTERN',
    });
  });
});

describe('deadLetters$', () => {
  it('carries the message, the reason, the container, the handler and the error', async () => {
    const h = harness({ containers: [scripted('a')] });
    await h.system.start();
    h.publish('a', 'boom');
    h.publish('nowhere', 'x');
    await h.system.settle();
    // The router routes a whole batch before any mailbox runs: no-subscriber comes first.
    expect(h.letters.map(({ message, ...rest }) => ({ ...rest, text: readText(message) }))).toEqual(
      [
        { reason: 'no-subscriber', text: 'x' },
        {
          reason: 'handler-fault',
          container: 'a',
          handler: 'on_message',
          error: 'Error: boom in a',
          text: 'boom',
        },
      ],
    );
    await h.system.stop();
  });
});

describe('metrics$', () => {
  it('samples counters and rates every periodMs of virtual time, and completes at stop', async () => {
    const h = harness({ containers: [scripted('a')] });
    await h.system.start();
    const samples: { time: number; published: number; perSecond: number; states: string }[] = [];
    let completed = false;
    h.system.metrics$(100).subscribe({
      next: (m) =>
        samples.push({
          time: m.time,
          published: m.counters.published,
          perSecond: m.publishedPerSecond,
          states: m.containers.map((c) => `${c.name}:${c.state}`).join(),
        }),
      complete: () => (completed = true),
    });
    for (let i = 0; i < 5; i++) h.publish('a', `m${i}`);
    await h.advance(100);
    await h.advance(150);
    expect(samples).toEqual([
      { time: 100, published: 5, perSecond: 50, states: 'a:running' },
      { time: 200, published: 5, perSecond: 0, states: 'a:running' },
    ]);
    await h.system.stop();
    expect(completed).toBe(true);
    expect(h.clock.pendingTimers).toBe(0);
    expect(() => h.system.metrics$(0)).toThrow(RangeError);
  });

  it('ticks on the injected clock (marble test on the RxJS TestScheduler)', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ expectObservable }) => {
      const clock: Clock = {
        now: () => scheduler.now(),
        setTimeout: (callback, delayMs) => scheduler.schedule(callback, delayMs),
        clearTimeout: (handle) => (handle as { unsubscribe(): void }).unsubscribe(),
      };
      const system = createOcreSystem({ containers: [], clock });
      const times = system.metrics$(10).pipe(map((sample) => sample.time));
      expectObservable(times, '^ 35ms !').toBe('10ms a 9ms b 9ms c', { a: 10, b: 20, c: 30 });
    });
  });
});

describe('observers that throw', () => {
  it('go to reportError; the router and the other observers carry on', async () => {
    const h = harness({ containers: [scripted('a')] });
    const log: string[] = [];
    h.system.events$.subscribe(() => {
      throw new Error('events observer');
    });
    h.system.deadLetters$.subscribe(() => {
      throw new Error('dead-letter observer');
    });
    h.system.topic$('a').subscribe(() => {
      throw new Error('topic observer');
    });
    h.system.topic$('a').subscribe((message) => log.push(readText(message)));
    await h.system.start();
    h.publish('a', 'one');
    h.publish('nowhere', 'x');
    h.publish('a', 'two');
    await h.system.settle();
    expect(log).toEqual(['one', 'two']);
    expect(h.system.counters()).toMatchObject({ published: 3, delivered: 2, deadLettered: 1 });
    const wheres = new Set(h.reported.map((r) => r.where));
    expect([...wheres].sort()).toEqual([
      'a deadLetters$ observer',
      'a topic$ observer',
      'an events$ observer',
    ]);
    expect(h.reported.find((r) => r.where === 'a topic$ observer')?.error).toEqual(
      new Error('topic observer'),
    );
    await h.system.stop();
  });
});

describe('an unobserved stream', () => {
  it('costs nothing on the hot path: no event is built, no subject is called', async () => {
    const virtual = new VirtualClock();
    let nowCalls = 0;
    const clock: Clock = {
      now: () => (nowCalls++, virtual.now()),
      setTimeout: (callback, ms) => virtual.setTimeout(callback, ms),
      clearTimeout: (handle) => virtual.clearTimeout(handle),
    };
    const system = createOcreSystem({
      containers: [scripted('a')],
      clock,
      messaging: { queueCapacity: 1000, mailboxCapacity: 2 },
    });
    await system.start();
    const next = vi.spyOn(Subject.prototype, 'next');
    nowCalls = 0;
    for (let i = 0; i < 300; i++) {
      system.publish('a', 'text/plain', `m${i}`); // delivered, or mailbox-full dead letters
      system.publish('nowhere', 'text/plain', `x${i}`); // no-subscriber dead letters
    }
    await system.settle();
    expect(system.counters().deadLettered).toBeGreaterThan(300);
    expect(nowCalls).toBe(0); // events stamp their time from the clock: none was built
    expect(next).not.toHaveBeenCalled();

    const seen = firstValueFrom(
      system.events$.pipe(filter((e) => e.type === 'message.dead-lettered')),
    );
    system.publish('nowhere', 'text/plain', 'observed');
    await expect(seen).resolves.toMatchObject({ reason: 'no-subscriber', topic: 'nowhere' });
    expect(nowCalls).toBeGreaterThan(0);
    expect(next).toHaveBeenCalled();
    next.mockRestore();
    await system.stop();
  });
});
