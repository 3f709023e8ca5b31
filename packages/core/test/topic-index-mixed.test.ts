// Tests one subscription index holding subscriptions of different matchings side by side (exact and prefix, as the two Ocre APIs need), against a naive matcher.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTopicIndex } from '../src/topic-index.ts';
import { topicMatches } from '../src/topic-matching.ts';
import type { TopicMatchingMode } from '../src/topic-matching.ts';

describe('an index with exact and prefix subscriptions side by side', () => {
  it('matches a subscriber when any of its subscriptions matches, in subscription order', () => {
    const index = createTopicIndex<string>('exact');
    expect(index.add('test/topic', 'seed')).toBe(true);
    expect(index.add('test/', 'current', 'prefix')).toBe(true);
    expect(index.add('test/topic', 'both')).toBe(true);
    expect(index.add('test', 'both', 'prefix')).toBe(true);
    expect(index.match('test/topic')).toEqual(['seed', 'current', 'both']);
    expect(index.match('test/other')).toEqual(['current', 'both']);
    expect(index.match('test')).toEqual(['both']);
    expect(index.match('elsewhere')).toEqual([]);
    expect(Object.isFrozen(index.match('test/topic'))).toBe(true);
  });

  it('keeps "a" exact and "a" prefix as two pairs', () => {
    const index = createTopicIndex<string>('exact');
    index.add('a', 's');
    expect(index.add('a', 's', 'prefix')).toBe(true);
    expect(index.add('a', 's', 'prefix')).toBe(false);
    expect(index.size).toBe(2);
    expect(index.has('a', 's')).toBe(true);
    expect(index.has('a', 's', 'prefix')).toBe(true);
    expect(index.has('a', 's', 'wildcard')).toBe(false);
    expect(index.remove('a', 's')).toBe(true);
    expect(index.match('ab')).toEqual(['s']);
    expect(index.match('a')).toEqual(['s']);
    expect(index.removeSubscriber('s')).toBe(1);
    expect(index.match('a')).toEqual([]);
  });

  it('returns to the exact path when the last prefix subscription leaves, with no stale result', () => {
    const index = createTopicIndex<string>('exact');
    index.add('t', 'exact');
    index.add('t', 'prefix', 'prefix');
    expect(index.match('t')).toEqual(['exact', 'prefix']);
    index.remove('t', 'prefix', 'prefix');
    expect(index.match('t')).toEqual(['exact']);
    const first = index.match('t');
    expect(index.match('t')).toBe(first); // the exact store's frozen array, handed out again
  });

  it('validates a pattern for the matching it is added with', () => {
    const index = createTopicIndex<string>('prefix');
    expect(() => index.add('a/#/b', 's', 'wildcard')).toThrow(/Invalid wildcard pattern/);
    expect(index.add('a/#/b', 's')).toBe(true); // literal in prefix matching
    expect(() => index.add('', 's', 'exact')).toThrow(/non-empty/);
    expect(() => index.add('a', 's', 'regex' as TopicMatchingMode)).toThrow(
      /Unknown topic matching mode/,
    );
    expect(index.size).toBe(1);
  });
});

type Pair = readonly [TopicMatchingMode, string, number];

/** The naive matcher: every pair checked with `topicMatches`, subscribers in first-subscription order. */
function naiveMatch(
  pairs: readonly Pair[],
  order: ReadonlyMap<number, number>,
  topic: string,
): number[] {
  const found = new Set<number>();
  for (const [matching, pattern, subscriber] of pairs) {
    if (topicMatches(matching, pattern, topic)) found.add(subscriber);
  }
  return [...found].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

const level = fc.constantFrom('a', 'b', 'c', '');
const topicArb = fc
  .array(level, { minLength: 1, maxLength: 4 })
  .map((levels) => levels.join('/'))
  .filter((topic) => topic.length > 0);
const patternFor = (matching: TopicMatchingMode): fc.Arbitrary<string> =>
  matching === 'wildcard'
    ? fc
        .array(fc.constantFrom('a', 'b', '+'), { minLength: 1, maxLength: 3 })
        .chain((levels) => fc.constantFrom(levels.join('/'), [...levels, '#'].join('/')))
    : fc
        .tuple(topicArb, fc.nat())
        .map(([topic, cut]) =>
          matching === 'prefix' ? topic.slice(0, 1 + (cut % topic.length)) : topic,
        );
const pairArb = (matchings: readonly TopicMatchingMode[]): fc.Arbitrary<Pair> =>
  fc
    .constantFrom(...matchings)
    .chain((matching) =>
      fc.tuple(fc.constant(matching), patternFor(matching), fc.integer({ min: 0, max: 5 })),
    );

const scenarios: [TopicMatchingMode, readonly TopicMatchingMode[]][] = [
  ['exact', ['exact', 'prefix']],
  ['prefix', ['exact', 'prefix']],
  ['wildcard', ['exact', 'prefix', 'wildcard']],
];

describe.each(scenarios)('a %s index with %j subscriptions (property)', (mode, matchings) => {
  it('matches like the naive matcher through random adds, removes and matches', () => {
    const step = fc.oneof(
      { weight: 4, arbitrary: pairArb(matchings).map((pair) => ({ add: pair })) },
      { weight: 2, arbitrary: pairArb(matchings).map((pair) => ({ remove: pair })) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 5 }).map((gone) => ({ gone })) },
      { weight: 4, arbitrary: topicArb.map((topic) => ({ topic })) },
    );
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 60 }),
        fc.constantFrom(0, 2, 1024),
        (steps, cache) => {
          const index = createTopicIndex<number>(mode, { matchCacheSize: cache });
          let pairs: Pair[] = [];
          const order = new Map<number, number>();
          let next = 0;
          const same = (a: Pair, b: Pair) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
          for (const action of steps) {
            if ('add' in action) {
              const [matching, pattern, subscriber] = action.add;
              const fresh = !pairs.some((pair) => same(pair, action.add));
              expect(index.add(pattern, subscriber, matching)).toBe(fresh);
              if (fresh) pairs.push(action.add);
              if (!order.has(subscriber)) order.set(subscriber, next++);
            } else if ('remove' in action) {
              const [matching, pattern, subscriber] = action.remove;
              const present = pairs.some((pair) => same(pair, action.remove));
              expect(index.remove(pattern, subscriber, matching)).toBe(present);
              pairs = pairs.filter((pair) => !same(pair, action.remove));
            } else if ('gone' in action) {
              const held = pairs.filter((pair) => pair[2] === action.gone).length;
              expect(index.removeSubscriber(action.gone)).toBe(held);
              pairs = pairs.filter((pair) => pair[2] !== action.gone);
            } else {
              expect(index.match(action.topic)).toEqual(naiveMatch(pairs, order, action.topic));
            }
            for (const subscriber of [...order.keys()]) {
              if (!pairs.some((pair) => pair[2] === subscriber)) order.delete(subscriber);
            }
            expect(index.size).toBe(pairs.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
