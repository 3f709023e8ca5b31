// Tests a runtime that queues messages itself, as one of Ocre's current-API containers does: prefix subscriptions beside exact ones, a delivery counted when the container takes the message, back-pressure into the bounded mailbox, and no loss when the instance ends.
import { describe, expect, it } from 'vitest';
import { readText } from '@ocre-ts/core';
import type { OcreMessage } from '@ocre-ts/core';
import type { ContainerRuntime, ContainerSpec, DeadLetter, RuntimeHost } from '../src/index.ts';
import { VirtualClock, createOcreSystem } from '../src/index.ts';
import { createTestSystem } from '../src/testing/index.ts';

/** A runtime whose instance holds up to `capacity` messages until `take` is called. */
function queueingRuntime(capacity: number) {
  const queue: OcreMessage[] = [];
  let host: RuntimeHost | undefined;
  const runtime: ContainerRuntime = {
    start(h) {
      host = h;
      h.api.ocre_msg_system_init();
      const subscribed = h.api.subscribe('sensors/', 'events', 'prefix');
      if (!subscribed.ok) throw subscribed.error;
      return Promise.resolve();
    },
    deliver(message) {
      queue.push(message);
      host?.queuedCurrent?.();
    },
    acceptsMail: () => queue.length < capacity,
    hasHandler: (name) => name === 'events',
    stop() {
      for (const message of queue.splice(0))
        host?.settleQueued?.(message, 'events', 'container-down');
      return Promise.resolve();
    },
    kill: () => undefined,
  };
  /** The container takes its oldest message: it counts as delivered, and room is made. */
  const take = (): string | undefined => {
    const message = queue.shift();
    if (message === undefined) return undefined;
    host?.settleQueued?.(message, 'events');
    host?.wake?.();
    return readText(message);
  };
  return { runtime, queue, take };
}

describe('a runtime that queues messages itself', () => {
  it('prefix and exact subscriptions side by side; delivered when taken; the mailbox holds the rest; nothing lost at stop', async () => {
    const polling = queueingRuntime(2);
    const exact: string[] = [];
    const spec: ContainerSpec = {
      kind: 'container',
      name: 'poller',
      mailboxCapacity: 2,
      runtime: () => polling.runtime,
    };
    const exactSpec: ContainerSpec = {
      kind: 'container',
      name: 'exact',
      runtime: () => ({
        start(h) {
          h.api.ocre_msg_system_init();
          h.api.ocre_subscribe_message('sensors/a', 'on');
          return Promise.resolve();
        },
        deliver: (message) => void exact.push(readText(message)),
        hasHandler: (name) => name === 'on',
        stop: () => Promise.resolve(),
        kill: () => undefined,
      }),
    };
    const system = createOcreSystem({
      containers: [spec, exactSpec],
      clock: new VirtualClock(),
      messaging: { topicMatching: 'exact' },
    });
    const letters: DeadLetter[] = [];
    system.deadLetters$.subscribe((letter) => letters.push(letter));
    await system.start();
    for (const text of ['1', '2', '3', '4', '5']) system.publish('sensors/a', 'text/plain', text);
    system.publish('sensors/b', 'text/plain', 'only-prefix');
    await system.settle();

    expect(exact).toEqual(['1', '2', '3', '4', '5']);
    // One drain: the mailbox (2) took the first two, the rest found it full; then the runtime
    // took both from the mailbox into its own queue, where they wait to be taken.
    expect(polling.queue.map(readText)).toEqual(['1', '2']);
    expect(letters.map((l) => [readText(l.message), l.reason, l.container])).toEqual([
      ['3', 'mailbox-full', 'poller'],
      ['4', 'mailbox-full', 'poller'],
      ['5', 'mailbox-full', 'poller'],
      ['only-prefix', 'mailbox-full', 'poller'],
    ]);
    expect(system.container('poller').counters.delivered).toBe(0);

    // Its queue is full: more mail waits in the mailbox instead of being handed over.
    system.publish('sensors/c', 'text/plain', '6');
    system.publish('sensors/c', 'text/plain', '7');
    await system.settle();
    expect(polling.queue.map(readText)).toEqual(['1', '2']);
    expect(system.container('poller').mailbox).toBe(2);

    expect(polling.take()).toBe('1');
    await system.settle();
    expect(system.container('poller').counters.delivered).toBe(1);
    // Room was made: the next message left the mailbox for the runtime's queue.
    expect(polling.queue.map(readText)).toEqual(['2', '6']);
    expect(system.container('poller').mailbox).toBe(1);
    expect(system.container('poller').subscriptions).toEqual([
      { pattern: 'sensors/', handler: 'events' },
    ]);

    const { counters } = await system.stop();
    expect(
      letters
        .filter((l) => l.reason !== 'mailbox-full')
        .map((l) => [readText(l.message), l.reason]),
    ).toEqual([
      // Taken by nobody: the instance ended with them in its own queue, or in the mailbox.
      ['2', 'container-down'],
      ['6', 'container-down'],
      ['7', 'shutdown'],
    ]);
    // Every (message, subscriber) pair ended once: 5 messages × 2 subscribers, and 3 for the
    // poller alone (only-prefix, 6, 7).
    expect([counters.published, counters.delivered + counters.deadLettered]).toEqual([8, 13]);
    expect(counters.delivered).toBe(5 + 1);
  });
});

describe('a runtime that queues messages itself, under a slow fault', () => {
  it('counts a message handed over late (after the slow delay) once, when the container takes it', async () => {
    const polling = queueingRuntime(4);
    const t = createTestSystem({
      containers: [{ kind: 'container', name: 'poller', runtime: () => polling.runtime }],
      faults: { seed: 1, faults: [{ kind: 'slow', container: 'poller', ms: 50, nth: 1 }] },
    });
    await t.start();
    t.publish('sensors/a', 'late');
    await t.advance(60);
    expect(polling.queue.map(readText)).toEqual(['late']);
    expect(t.system.container('poller').counters.delivered).toBe(0);
    expect(polling.take()).toBe('late');
    await t.settle();
    expect(t.system.container('poller').counters.delivered).toBe(1);
    const { counters } = await t.stop();
    expect(counters.delivered).toBe(1);
    expect(t.deadLetters).toEqual([]);
  });
});
