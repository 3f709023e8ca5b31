// The dashboard feed on virtual time: at most one batch per period however fast the system runs, bounded events with every dead letter counted, rates and the topic map.
import { describe, expect, it } from 'vitest';
import { createOcreSystem, defineContainer, VirtualClock } from '@ocre-ts/actors';
import type { ContainerRuntime, RuntimeHost } from '@ocre-ts/actors';
import { applyBatch, createViewState } from '../../src/dashboard/model/view-state.ts';
import { DashboardFeed, defaultFeedLimits } from '../../src/dashboard/feed.ts';
import type { FeedLimits } from '../../src/dashboard/feed.ts';
import type { DashboardBatch } from '../../src/dashboard/model/wire.ts';

const sink = defineContainer({
  name: 'sink',
  init(api) {
    api.ocre_msg_system_init();
    api.ocre_subscribe_message('t', 'on_t');
  },
  handlers: { on_t: () => undefined },
});

function watched(limits?: Partial<FeedLimits>) {
  const clock = new VirtualClock();
  const system = createOcreSystem({
    clock,
    containers: [sink],
    messaging: { queueCapacity: 10_000, mailboxCapacity: 10_000 },
  });
  const feed = new DashboardFeed(system, 'exact', {
    ...defaultFeedLimits,
    maxDeadLetters: 5,
    backlog: 50,
    ...limits,
  });
  const batches: DashboardBatch[] = [];
  feed.subscribe((batch) => batches.push(batch));
  return { clock, system, feed, batches };
}

describe('DashboardFeed', () => {
  it("names each topic's publishers with their own rates, when several publish on one topic", async () => {
    const clock = new VirtualClock();
    const publisher = (name: string, counts: Record<string, number>) =>
      defineContainer({
        name,
        init(api) {
          api.ocre_msg_system_init();
          for (const [topic, n] of Object.entries(counts))
            for (let i = 0; i < n; i++) api.ocre_publish_message(topic, 'text/plain', 'x', 1);
        },
      });
    const system = createOcreSystem({
      clock,
      containers: [sink, publisher('pub-a', { t: 10 }), publisher('pub-b', { t: 5, u: 3 })],
    });
    const batches: DashboardBatch[] = [];
    new DashboardFeed(system, 'exact').subscribe((b) => batches.push(b));
    await system.start();
    await system.settle();
    await clock.advance(100);
    expect(batches[0]!.publishers).toEqual([
      { name: 'pub-a', perSecond: 100 },
      { name: 'pub-b', perSecond: 80 },
    ]);
    expect(batches[0]!.topics).toEqual([
      expect.objectContaining({
        topic: 't',
        publishedPerSecond: 150,
        publishers: [
          { name: 'pub-a', perSecond: 100 },
          { name: 'pub-b', perSecond: 50 },
        ],
        subscribers: ['sink'],
      }),
      expect.objectContaining({ topic: 'u', publishers: [{ name: 'pub-b', perSecond: 30 }] }),
    ]);
    // A second later nobody publishes any more: the topics name no publisher.
    await clock.advance(1100);
    expect(batches.at(-1)!.topics.map((t) => t.publishers)).toEqual([[], []]);
    await clock.drive(system.stop());
  });

  it('sends one batch per period however many messages flow, with their rates and topic map', async () => {
    const { clock, system, batches } = watched();
    await system.start();
    for (let tick = 0; tick < 10; tick++) {
      for (let i = 0; i < 2000; i++) system.publish('t', 'text/plain', 'x');
      await system.settle();
      await clock.advance(100);
    }
    expect(batches).toHaveLength(10);
    expect(batches.map((b) => b.time)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    const last = batches.at(-1)!;
    expect(last.counters).toMatchObject({ published: 20_000, delivered: 20_000, queued: 0 });
    // System-wide rates are averaged over the last second: 10 × 2000 messages.
    expect(last.rates.published).toBe(20_000);
    expect(batches[0]!.rates.delivered).toBe(20_000);
    expect(last.topics).toEqual([
      {
        topic: 't',
        // Published from outside any container.
        publishers: [{ name: 'system', perSecond: 20_000 }],
        subscribers: ['sink'],
        publishedPerSecond: 20_000,
        deliveredPerSecond: 20_000,
        deadLetteredPerSecond: 0,
      },
    ]);
    expect(last.publishers).toEqual([]);
    expect(last.containers).toEqual([
      expect.objectContaining({ name: 'sink', state: 'running', delivered: 20_000, mailbox: 0 }),
    ]);
    await clock.drive(system.stop());
  });

  it('averages the system-wide rates over the last second, so a burst fades out of the chart', async () => {
    const { clock, system, batches } = watched();
    await system.start();
    for (let i = 0; i < 2000; i++) system.publish('t', 'text/plain', 'x');
    await system.settle();
    await clock.advance(1500);
    expect(batches.map((b) => b.rates.published)).toEqual([
      20_000,
      10_000,
      2000 / 0.3,
      5000,
      4000,
      2000 / 0.6,
      2000 / 0.7,
      2500,
      2000 / 0.9,
      2000,
      0,
      0,
      0,
      0,
      0,
    ]);
    await clock.drive(system.stop());
  });

  it("counts batch times from the system's start, like event times, once told the origin", async () => {
    const clock = new VirtualClock();
    await clock.advance(5000); // the process ran a while before the system started
    const system = createOcreSystem({
      clock,
      containers: [sink],
      hooks: { started: (controls) => feed.startedAt(controls.clock.now()) },
    });
    const feed = new DashboardFeed(system, 'exact');
    const batches: DashboardBatch[] = [];
    feed.subscribe((b) => batches.push(b));
    await system.start();
    for (let i = 0; i < 100; i++) system.publish('t', 'text/plain', 'x');
    await system.settle();
    await clock.advance(200);
    expect(batches.map((b) => b.time)).toEqual([100, 200]);
    expect(batches[0]!.rates.published).toBe(1000);
    await clock.drive(system.stop());
  });

  it('keeps the newest dead letters of a batch and counts the rest; lifecycle events are kept', async () => {
    const { clock, system, batches, feed } = watched();
    await system.start();
    for (let i = 0; i < 1000; i++) system.publish('nobody/listens', 'text/plain', 'x');
    await system.settle();
    await clock.advance(100);
    const first = batches[0]!;
    const letters = first.events.filter((e) => e.type === 'message.dead-lettered');
    expect(letters.map((e) => e['mid'])).toEqual(['995', '996', '997', '998', '999']);
    expect(letters[0]).toMatchObject({ topic: 'nobody/listens', reason: 'no-subscriber' });
    expect(
      first.events.filter((e) => e.type !== 'message.dead-lettered').map((e) => e.type),
    ).toEqual(['container.starting', 'container.running']);
    expect(letters.length + first.skippedEvents).toBe(1000);
    expect(first.rates.deadLettered).toBe(10_000);
    expect(feed.backlog()).toHaveLength(7);

    await clock.drive(system.stop());
    const final = batches.at(-1)!;
    expect(feed.ended).toBe(true);
    expect(final.events.map((e) => e.type)).toContain('system.stopped');
  });

  it('caps recorded events per batch and counts what it left out', async () => {
    const { clock, system, batches, feed } = watched({ maxEvents: 3 });
    await system.start();
    for (let i = 0; i < 5; i++) feed.record({ time: 1, type: 'fault.injected', target: `c${i}` });
    await clock.advance(100);
    expect(batches[0]!.events.map((e) => e.type)).toEqual([
      'container.starting',
      'container.running',
      'fault.injected',
    ]);
    expect(batches[0]!.skippedEvents).toBe(4);
    await clock.drive(system.stop());
  });

  it("carries a runtime's own state and counters (a bridge's connection) to the tree and the timeline", async () => {
    const clock = new VirtualClock();
    let host: RuntimeHost | undefined;
    const link: ContainerRuntime = {
      start: (h) => ((host = h), Promise.resolve()),
      deliver: () => undefined,
      hasHandler: () => false,
      stop: () => Promise.resolve(),
      kill: () => undefined,
    };
    const system = createOcreSystem({
      clock,
      containers: [sink, { kind: 'container', name: 'uplink', runtime: () => link }],
    });
    const feed = new DashboardFeed(system, 'exact', defaultFeedLimits);
    const batches: DashboardBatch[] = [];
    feed.subscribe((batch) => batches.push(batch));
    await clock.drive(system.start());
    host?.status?.('connected', { exported: 3, outboxed: 0, connects: 1 });
    await clock.advance(defaultFeedLimits.periodMs);
    host?.status?.('reconnecting', { exported: 3, outboxed: 2, connects: 1 });
    await clock.advance(defaultFeedLimits.periodMs);

    const uplink = (batch: DashboardBatch | undefined) =>
      batch?.containers.find((c) => c.name === 'uplink');
    expect(uplink(batches[0])?.status).toEqual({
      state: 'connected',
      counters: { exported: 3, outboxed: 0, connects: 1 },
    });
    expect(uplink(batches[1])?.status?.state).toBe('reconnecting');
    expect(batches[0]?.containers.find((c) => c.name === 'sink')).not.toHaveProperty('status');

    // The page's view: the latest status beside the container, each change on the timeline.
    const view = createViewState({
      mode: 'live',
      title: 't',
      tree: { kind: 'supervisor', name: 'root', children: [] },
      queueCapacity: 100,
      canControl: false,
      periodMs: 100,
      events: [],
    });
    for (const batch of batches) applyBatch(view, batch);
    expect(view.containers.get('uplink')?.status).toEqual({
      state: 'reconnecting',
      counters: { exported: 3, outboxed: 2, connects: 1 },
    });
    expect(
      view.timeline.filter((e) => e.kind === 'status').map((e) => `${e.target} ${e.text}`),
    ).toEqual(['uplink connected', 'uplink reconnecting']);
    await clock.drive(system.stop());
  });
});
