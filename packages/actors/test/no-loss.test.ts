// The no-loss invariant as a property: over random trees, publishes, faults, hangs, exits and restarts, every accepted message is delivered to each match or dead-lettered, and the counters say so.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readText } from '@ocre-ts/core';
import { defineContainer } from '../src/index.ts';
import type { ChildSpec, FaultDirective, RestartType, SupervisionStrategy } from '../src/index.ts';
import { harness } from './fixtures.ts';

const names = ['c0', 'c1', 'c2', 'c3'] as const;
const topics = ['t0', 't1', 't2', 'none'] as const;
/** Who subscribes to what (fixed, so the expected matches of every message are known). */
const subscriptions: Record<string, readonly string[]> = {
  c0: ['t0', 't1'],
  c1: ['t1'],
  c2: ['t1', 't2'],
  c3: ['t2'],
};
const subscribersOf = (topic: string) => names.filter((n) => subscriptions[n]?.includes(topic));

type Action = 'ok' | 'boom' | 'hang' | 'exit:0' | 'exit:1';
type Op =
  | { kind: 'publish'; topic: string; action: Action; target: string }
  | { kind: 'advance'; ms: number }
  | { kind: 'settle' };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('publish' as const),
      topic: fc.constantFrom(...topics),
      action: fc.constantFrom<Action>('ok', 'ok', 'boom', 'hang', 'exit:0', 'exit:1'),
      target: fc.constantFrom(...names),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.constantFrom(1, 10, 60, 500),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' as const }) },
);

const childOptions = fc.record({
  restart: fc.constantFrom<RestartType>('permanent', 'transient', 'temporary'),
  onFault: fc.constantFrom<FaultDirective>('restart', 'restart', 'resume', 'stop', 'escalate'),
});

const config = fc.record({
  strategy: fc.constantFrom<SupervisionStrategy>('one-for-one', 'one-for-all', 'rest-for-one'),
  innerStrategy: fc.constantFrom<SupervisionStrategy>('one-for-one', 'one-for-all', 'rest-for-one'),
  maxRestarts: fc.constantFrom(1, 3, 50),
  children: fc.tuple(childOptions, childOptions, childOptions, childOptions),
  mailboxCapacity: fc.constantFrom(2, 100),
  drainMs: fc.constantFrom(0, 50, 5000),
});

describe('no-loss invariant', () => {
  it('every accepted message is delivered to each matching subscriber or dead-lettered, exactly once; counters agree', async () => {
    await fc.assert(
      fc.asyncProperty(config, fc.array(op, { maxLength: 40 }), async (cfg, ops) => {
        const delivered: string[] = [];
        const container = (index: number) =>
          defineContainer(
            {
              name: names[index] as string,
              init(api) {
                api.ocre_msg_system_init();
                for (const topic of subscriptions[names[index] as string] ?? [])
                  api.ocre_subscribe_message(topic, 'on');
              },
              handlers: {
                on(message, context) {
                  const [action, target] = readText(message).split('@') as [Action, string];
                  if (target === context.name) {
                    if (action === 'boom') throw new Error('boom');
                    if (action === 'hang') return new Promise<void>(() => undefined);
                    if (action.startsWith('exit:')) {
                      delivered.push(`${message.mid} ${context.name}`);
                      context.exit(Number(action.slice(5)));
                      return undefined;
                    }
                  }
                  delivered.push(`${message.mid} ${context.name}`);
                  return undefined;
                },
              },
            },
            { ...cfg.children[index], handlerTimeoutMs: 50 },
          );
        const inner: ChildSpec = {
          kind: 'supervisor',
          name: 'inner',
          strategy: cfg.innerStrategy,
          maxRestarts: cfg.maxRestarts,
          children: [container(1), container(2)],
        };
        const h = harness({
          messaging: { queueCapacity: 16, mailboxCapacity: cfg.mailboxCapacity },
          supervisor: { strategy: cfg.strategy, maxRestarts: cfg.maxRestarts },
          containers: [container(0), inner, container(3)],
        });
        await h.system.start();
        const accepted = new Map<bigint, string>();
        for (const step of ops) {
          if (step.kind === 'publish') {
            const result = h.publish(step.topic, `${step.action}@${step.target}`);
            if (typeof result === 'bigint') accepted.set(result, step.topic);
          } else if (step.kind === 'advance') await h.advance(step.ms);
          else await h.system.settle();
        }
        const stopped = await h.clock.drive(h.system.stop({ timeoutMs: cfg.drainMs }));

        // Per message and subscriber: exactly one outcome.
        const outcomes = new Map<string, string[]>();
        const note = (key: string, what: string) =>
          outcomes.set(key, [...(outcomes.get(key) ?? []), what]);
        for (const line of delivered) note(line, 'delivered');
        for (const letter of h.letters)
          note(`${letter.message.mid} ${letter.container ?? '-'}`, letter.reason);
        let pairs = 0;
        for (const [mid, topic] of accepted) {
          const subscribers = subscribersOf(topic);
          const expected = subscribers.length === 0 ? ['-'] : subscribers;
          pairs += expected.length;
          for (const who of expected) {
            const got = outcomes.get(`${mid} ${who}`) ?? [];
            expect(got, `message ${mid} on ${topic} for ${who}`).toHaveLength(1);
            if (who === '-') expect(got).toEqual(['no-subscriber']);
          }
        }
        expect(outcomes.size).toBe(pairs); // nothing else was delivered or dead-lettered
        const { counters } = stopped;
        expect(counters.published).toBe(accepted.size);
        expect(counters.delivered).toBe(delivered.length);
        expect(counters.deadLettered).toBe(h.letters.length);
        expect(counters.delivered + counters.deadLettered).toBe(pairs);
        expect(counters.queued + counters.inFlight).toBe(0);
        for (const name of names) {
          const mine = [...outcomes.keys()].filter((key) => key.endsWith(` ${name}`)).length;
          const c = counters.containers[name];
          expect((c?.delivered ?? 0) + (c?.deadLettered ?? 0)).toBe(mine);
        }
        for (const [topic, t] of Object.entries(counters.topics)) {
          const mids = [...accepted].filter(([, on]) => on === topic).length;
          expect(t.published).toBe(mids);
          expect(t.delivered + t.deadLettered).toBe(
            mids * Math.max(1, subscribersOf(topic).length),
          );
        }
        expect(h.clock.pendingTimers).toBe(0);
      }),
      { numRuns: 150 },
    );
  });
});
