// Catalogue, randomized: fast-check generates fault plans (every kind) and publish schedules over a multi-container TypeScript system with nested supervision, and checkHistory must hold for every run; a plan and seed replay a run exactly.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readText } from '@ocre-ts/core';
import { defineContainer } from '@ocre-ts/actors';
import type { ChildSpec, SupervisionStrategy, VirtualClock } from '@ocre-ts/actors';
import { createTestSystem } from '@ocre-ts/actors/testing';
import type { Fault, FaultPlan, TestSystem } from '@ocre-ts/actors/testing';

/** Runs per property: a fixed number in CI, more with OCRE_RELIABILITY_RUNS=<n>. */
const runs = Number(process.env['OCRE_RELIABILITY_RUNS'] ?? 150);

const names = ['c0', 'c1', 'c2', 'c3', 'relay'] as const;
const topics = ['t0', 't1', 't2', 'nobody'] as const;
const subscriptions: Record<(typeof names)[number], readonly string[]> = {
  c0: ['t0', 't1'],
  c1: ['t1'],
  c2: ['t1', 't2'],
  c3: ['t2'],
  relay: ['t0'],
};

/** c0…c3 record what they get (c1 and c3 asynchronously); relay republishes t0 onto t2. */
function container(name: (typeof names)[number]) {
  return defineContainer(
    {
      name,
      init(api) {
        api.ocre_msg_system_init();
        for (const topic of subscriptions[name]) api.ocre_subscribe_message(topic, 'on_message');
      },
      handlers: {
        on_message(message, ctx) {
          if (name === 'relay') {
            ctx.api.ocre_publish_message('t2', 'text/plain', readText(message), message.payloadLen);
            return undefined;
          }
          return name === 'c1' || name === 'c3' ? Promise.resolve() : undefined;
        },
      },
    },
    { handlerTimeoutMs: 50 },
  );
}

const trigger = fc.oneof(
  fc.record({ nth: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ probability: fc.double({ min: 0, max: 0.5, noNaN: true }) }),
);
const someContainer = fc.constantFrom(...names);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Drop the keys whose value is undefined (plans are exact-optional). */
const defined = (value: Record<string, unknown>): Fault =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as unknown as Fault;

const topicOrAny = maybe(fc.constantFrom(...topics));
const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc
    .tuple(fc.constantFrom('throw' as const, 'hang' as const), someContainer, trigger)
    .map(([kind, c, t]): Fault => ({ kind, container: c, ...t })),
  fc.tuple(someContainer, trigger).map(([c, t]): Fault => ({ kind: 'kill', container: c, ...t })),
  fc
    .tuple(someContainer, fc.integer({ min: 0, max: 400 }))
    .map(([c, atMs]): Fault => ({ kind: 'kill', container: c, atMs })),
  fc
    .tuple(maybe(someContainer), topicOrAny, fc.integer({ min: 1, max: 80 }), trigger)
    .map(([c, topic, ms, t]): Fault => defined({ kind: 'delay', container: c, topic, ms, ...t })),
  fc
    .tuple(maybe(someContainer), topicOrAny, trigger)
    .map(([c, topic, t]): Fault => defined({ kind: 'drop', container: c, topic, ...t })),
  fc
    .tuple(someContainer, fc.integer({ min: 1, max: 60 }))
    .map(([c, ms]): Fault => ({ kind: 'slow', container: c, ms, probability: 0.5 })),
  fc.integer({ min: 0, max: 400 }).map((atMs): Fault => ({ kind: 'fill-queue', atMs })),
  fc
    .tuple(someContainer, fc.integer({ min: 1, max: 3 }))
    .map(([c, times]): Fault => ({ kind: 'fail-start', container: c, times })),
  fc
    .tuple(fc.constantFrom('root', 'inner'), fc.integer({ min: 0, max: 400 }))
    .map(([supervisor, atMs]): Fault => ({ kind: 'crash-supervisor', supervisor, atMs })),
);

const plan: fc.Arbitrary<FaultPlan> = fc.record({
  seed: fc.nat(),
  faults: fc.array(fault, { maxLength: 6 }),
});

type Step = { publish: string } | { advance: number } | 'settle';
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...topics).map((topic) => ({ publish: topic })) },
  { weight: 2, arbitrary: fc.constantFrom(1, 10, 40, 150).map((ms) => ({ advance: ms })) },
  { weight: 1, arbitrary: fc.constant('settle' as const) },
);

const strategy = fc.constantFrom<SupervisionStrategy>('one-for-one', 'one-for-all', 'rest-for-one');
const system = fc.record({
  strategy,
  innerStrategy: strategy,
  maxRestarts: fc.constantFrom(1, 3, 20),
  queueCapacity: fc.constantFrom(8, 64),
  mailboxCapacity: fc.constantFrom(2, 50),
  drainMs: fc.constantFrom(0, 50, 500),
});

/** The shape and limits of one generated system. */
type SystemConfig = typeof system extends fc.Arbitrary<infer T> ? T : never;

/** Build, drive and stop one run; returns it for checking. */
async function runOnce(
  config: SystemConfig,
  faults: FaultPlan,
  steps: readonly Step[],
): Promise<TestSystem> {
  const inner: ChildSpec = {
    kind: 'supervisor',
    name: 'inner',
    strategy: config.innerStrategy,
    maxRestarts: config.maxRestarts,
    backoff: { minMs: 5, maxMs: 80 },
    children: [container('c1'), container('c2')],
  };
  const t = createTestSystem({
    messaging: { queueCapacity: config.queueCapacity, mailboxCapacity: config.mailboxCapacity },
    supervisor: {
      strategy: config.strategy,
      maxRestarts: config.maxRestarts,
      backoff: { minMs: 5 },
    },
    containers: [container('c0'), inner, container('c3'), container('relay')],
    faults,
  });
  await t.start();
  let n = 0;
  for (const s of steps) {
    if (s === 'settle') await t.settle();
    else if ('advance' in s) await t.advance(s.advance);
    else t.publish(s.publish, `m${n++}`);
  }
  await t.stop({ timeoutMs: config.drainMs });
  return t;
}

describe('randomized fault plans', () => {
  it(`checkHistory holds for every generated plan and schedule (${runs} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        system,
        plan,
        fc.array(step, { maxLength: 40 }),
        async (config, faults, steps) => {
          const t = await runOnce(config, faults, steps);
          t.assertHistory(); // names the seed of the plan on failure
          expect((t.clock as VirtualClock).pendingTimers).toBe(0); // no timer outlives the system
        },
      ),
      { numRuns: runs },
    );
  });

  it('a plan and its seed replay a run exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        system,
        plan,
        fc.array(step, { maxLength: 30 }),
        async (config, faults, steps) => {
          const show = (t: TestSystem) =>
            JSON.stringify(t.history, (_key, value: unknown) =>
              typeof value === 'bigint' ? `${value}n` : value,
            );
          const first = await runOnce(config, faults, steps);
          const second = await runOnce(config, faults, steps);
          expect(show(second)).toBe(show(first));
          expect(second.injection?.fired).toEqual(first.injection?.fired);
        },
      ),
      { numRuns: Math.max(10, Math.round(runs / 5)) },
    );
  });
});
