// Tests the subscription index against the naive reference matcher, for every matching mode.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { OcreError } from '../src/errors.ts';
import { createTopicIndex } from '../src/topic-index.ts';
import type { TopicIndex } from '../src/topic-index.ts';
import { topicMatches } from '../src/topic-matching.ts';
import type { TopicMatchingMode } from '../src/topic-matching.ts';

describe('createTopicIndex', () => {
  it('defaults to exact mode', () => {
    expect(createTopicIndex().mode).toBe('exact');
  });

  it('rejects an unknown mode and a bad cache size', () => {
    expect(() => createTopicIndex('mqtt' as TopicMatchingMode)).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: Unknown topic matching mode "mqtt": expected one of exact, prefix, wildcard, e.g. "exact".]`,
    );
    expect(() =>
      createTopicIndex('wildcard', { matchCacheSize: -1 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: Invalid matchCacheSize -1: expected a whole number >= 0, e.g. 1024.]`,
    );
  });
});

describe.each(['exact', 'prefix', 'wildcard'] as const)('%s index bookkeeping', (mode) => {
  it('adds idempotently and counts pairs', () => {
    const index = createTopicIndex<string>(mode);
    expect(index.add('a/b', 'x')).toBe(true);
    expect(index.add('a/b', 'x')).toBe(false);
    expect(index.add('a/b', 'y')).toBe(true);
    expect(index.add('a/c', 'x')).toBe(true);
    expect(index.size).toBe(3);
    expect(index.has('a/b', 'x')).toBe(true);
    expect(index.has('a/d', 'x')).toBe(false);
    expect(index.match('a/b')).toEqual(['x', 'y']);
  });

  it('removes pairs and subscribers', () => {
    const index = createTopicIndex<string>(mode);
    index.add('a/b', 'x');
    index.add('a/c', 'x');
    index.add('a/b', 'y');
    expect(index.remove('a/b', 'x')).toBe(true);
    expect(index.remove('a/b', 'x')).toBe(false);
    expect(index.remove('nope', 'x')).toBe(false);
    expect(index.remove('a/b', 'nobody')).toBe(false);
    expect(index.match('a/b')).toEqual(['y']);
    expect(index.removeSubscriber('x')).toBe(1);
    expect(index.removeSubscriber('x')).toBe(0);
    expect(index.size).toBe(1);
    expect(index.match('a/c')).toEqual([]);
  });

  it('throws OcreError on an invalid pattern and stays unchanged', () => {
    const index = createTopicIndex<string>(mode);
    expect(() => index.add('', 'x')).toThrow(OcreError);
    expect(index.size).toBe(0);
  });

  it('returns frozen results, each subscriber once, in subscription order', () => {
    const index = createTopicIndex<string>(mode);
    index.add('z', 'first');
    index.add('a/b', 'second');
    index.add('a/b', 'first');
    const result = index.match('a/b');
    expect(result).toEqual(['first', 'second']);
    expect(Object.isFrozen(result)).toBe(true);
    expect(Object.isFrozen(index.match('nothing/here'))).toBe(true);
  });

  it('sends a subscriber that left and came back to the back', () => {
    const index = createTopicIndex<string>(mode);
    index.add('a/b', 'x');
    index.add('a/b', 'y');
    index.removeSubscriber('x');
    index.add('a/b', 'x');
    expect(index.match('a/b')).toEqual(['y', 'x']);
  });

  it('compares subscribers by identity', () => {
    const index = createTopicIndex<{ name: string }>(mode);
    const one = { name: 'same' };
    const two = { name: 'same' };
    index.add('a/b', one);
    index.add('a/b', two);
    expect(index.match('a/b')).toHaveLength(2);
    expect(index.match('a/b')[0]).toBe(one);
  });
});

describe('exact index', () => {
  it('returns the same cached array for a topic until the index changes', () => {
    const index = createTopicIndex<string>('exact');
    index.add('a', 'x');
    const first = index.match('a');
    expect(index.match('a')).toBe(first);
    index.add('b', 'y');
    expect(index.match('a')).toBe(first); // another pattern's change leaves the bucket alone
    index.add('a', 'y');
    expect(index.match('a')).toEqual(['x', 'y']);
    expect(first).toEqual(['x']); // results already handed out never change
  });

  it('treats + and # literally', () => {
    const index = createTopicIndex<string>('exact');
    index.add('a/+', 'x');
    expect(index.match('a/b')).toEqual([]);
    expect(index.match('a/+')).toEqual(['x']);
  });
});

describe('prefix index', () => {
  it('matches string prefixes, not segments', () => {
    const index = createTopicIndex<string>('prefix');
    index.add('sensors/temp', 'temp');
    index.add('sensors/', 'all');
    index.add('sensors/temperature/x', 'deep');
    index.add('s', 's');
    expect(index.match('sensors/temperature')).toEqual(['temp', 'all', 's']);
    expect(index.match('sensors/hum')).toEqual(['all', 's']);
    expect(index.match('sensors')).toEqual(['s']);
    expect(index.match('other')).toEqual([]);
  });

  it('keeps working as the radix tree splits and merges edges', () => {
    const index = createTopicIndex<string>('prefix');
    index.add('abcd', 'w');
    index.add('ab', 'x');
    index.add('abce', 'y');
    index.remove('ab', 'x');
    index.remove('abcd', 'w');
    expect(index.match('abce!')).toEqual(['y']);
    expect(index.match('abcd')).toEqual([]);
    index.add('abc', 'z');
    expect(index.match('abcef')).toEqual(['y', 'z']);
  });
});

describe('wildcard index', () => {
  it('follows MQTT matching', () => {
    const index = createTopicIndex<string>('wildcard');
    index.add('sensors/+/temperature', 'plus');
    index.add('sensors/#', 'hash');
    index.add('#', 'all');
    index.add('sensors/kitchen/temperature', 'exact');
    index.add('+/+', 'two');
    expect(index.match('sensors/kitchen/temperature')).toEqual(['plus', 'hash', 'all', 'exact']);
    expect(index.match('sensors')).toEqual(['hash', 'all']);
    expect(index.match('sensors/')).toEqual(['hash', 'all', 'two']);
    expect(index.match('sensors//temperature')).toEqual(['plus', 'hash', 'all']);
    expect(index.match('other/x')).toEqual(['all', 'two']);
  });

  it('rejects invalid wildcard patterns', () => {
    const index = createTopicIndex<string>('wildcard');
    expect(() => index.add('a/#/b', 'x')).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: Invalid wildcard pattern "a/#/b": "#" must be the last level. A valid pattern would be "a/#".]`,
    );
  });

  it('caches a topic and clears the cache when the index changes', () => {
    const index = createTopicIndex<string>('wildcard');
    index.add('a/+', 'x');
    index.add('+/b', 'y');
    const first = index.match('a/b');
    expect(first).toEqual(['x', 'y']);
    expect(index.match('a/b')).toBe(first);
    index.add('#', 'z');
    expect(index.match('a/b')).toEqual(['x', 'y', 'z']);
    index.remove('a/+', 'x');
    expect(index.match('a/b')).toEqual(['y', 'z']);
    expect(index.add('#', 'z')).toBe(false);
    expect(index.match('a/b')).toEqual(['y', 'z']);
  });

  it('evicts the oldest cached topic when the cache is full', () => {
    const index = createTopicIndex<string>('wildcard', { matchCacheSize: 2 });
    index.add('#', 'x');
    const a = index.match('a');
    const b = index.match('b');
    expect(index.match('a')).toBe(a);
    index.match('c'); // evicts "a"
    expect(index.match('b')).toBe(b);
    expect(index.match('a')).toEqual(['x']);
  });

  it('caches a sample of misses while topics rarely repeat, and every miss once they do', () => {
    // Two buckets match every two-level topic, so an uncached match is a new array each time.
    const index = createTopicIndex<string>('wildcard');
    index.add('#', 'x');
    index.add('+/+', 'y');
    const cachedOnSecondSight = (prefix: string) => {
      let cached = 0;
      for (let i = 0; i < 8; i++) {
        const first = index.match(`${prefix}/${i}`);
        if (index.match(`${prefix}/${i}`) === first) cached++;
      }
      return cached;
    };
    for (let i = 0; i < 4096; i++) index.match(`fresh/${i}`); // a whole window without a hit
    expect(cachedOnSecondSight('rare')).toBeLessThanOrEqual(1);
    // A topic that keeps coming is still admitted after a few sightings…
    let sightings = 0;
    let previous: readonly string[] | undefined;
    for (;;) {
      const result = index.match('hot/0');
      sightings++;
      if (result === previous || sightings > 32) break;
      previous = result;
    }
    expect(sightings).toBeLessThanOrEqual(17); // admitted within 16 misses, then a hit
    // …and once lookups hit again, every miss is cached at once.
    for (let i = 0; i < 2 * 4096; i++) index.match(`hot/${i % 8}`);
    expect(cachedOnSecondSight('new')).toBe(8);
    expect(index.match('new/3')).toEqual(['x', 'y']);
  });

  it('evicts in insertion order across many rounds and after clears', () => {
    // Merged results (two buckets) are new arrays, so identity shows what the cache still holds.
    const index = createTopicIndex<string>('wildcard', { matchCacheSize: 3 });
    index.add('#', 'x');
    index.add('+', 'y');
    for (let round = 0; round < 3; round++) {
      const topics = ['a', 'b', 'c', 'd', 'e'];
      const results = topics.map((topic) => index.match(topic));
      expect(index.match('e')).toBe(results[4]);
      expect(index.match('d')).toBe(results[3]);
      expect(index.match('c')).toBe(results[2]);
      expect(index.match('b')).not.toBe(results[1]); // evicted; now cached again, evicting "c"
      expect(index.match('c')).not.toBe(results[2]);
      index.add(`z/${round}`, 'z'); // clears the cache
      expect(index.match('e')).not.toBe(results[4]);
      expect(index.match('e')).toEqual(['x', 'y']);
    }
  });

  it('keeps literal patterns, lone literal children and their siblings apart', () => {
    const index = createTopicIndex<string>('wildcard', { matchCacheSize: 0 });
    index.add('a/b', 'literal');
    index.add('a/+/c', 'one');
    index.add('a/x/c', 'literal2');
    expect(index.match('a/b')).toEqual(['literal']);
    expect(index.match('a/x/c')).toEqual(['one', 'literal2']);
    index.add('a/+/d', 'two'); // a second literal child under "a/+"
    index.add('a/+/', 'empty');
    expect(index.match('a/x/d')).toEqual(['two']);
    expect(index.match('a/x/')).toEqual(['empty']);
    expect(index.match('a/x/cc')).toEqual([]);
    index.remove('a/+/c', 'one'); // back to one literal child
    index.remove('a/+/', 'empty');
    expect(index.match('a/x/c')).toEqual(['literal2']);
    expect(index.match('a/x/d')).toEqual(['two']);
    expect(index.match('a/x/')).toEqual([]);
    index.remove('a/+/d', 'two');
    index.remove('a/b', 'literal');
    expect(index.match('a/b')).toEqual([]);
    expect(index.match('a/x/d')).toEqual([]);
    expect(index.size).toBe(1);
  });
});

type Command =
  | { readonly kind: 'add'; readonly pattern: string; readonly subscriber: number }
  | { readonly kind: 'remove'; readonly pattern: string; readonly subscriber: number }
  | { readonly kind: 'removeSubscriber'; readonly subscriber: number }
  | { readonly kind: 'match'; readonly topic: string };

/** Topics from a small alphabet of levels, so random patterns and topics often match. */
const topicLevel = fc.constantFrom('a', 'b', 'c', '');
const topicArb = fc
  .array(topicLevel, { minLength: 1, maxLength: 4 })
  .map((levels) => levels.join('/'))
  .filter((topic) => topic.length > 0);

const patternArbs: Record<TopicMatchingMode, fc.Arbitrary<string>> = {
  exact: topicArb,
  // Prefixes cut anywhere, including inside a level.
  prefix: fc
    .tuple(topicArb, fc.nat())
    .map(([topic, cut]) => topic.slice(0, 1 + (cut % topic.length))),
  wildcard: fc
    .tuple(
      fc.array(fc.constantFrom('a', 'b', '', '+'), { minLength: 0, maxLength: 4 }),
      fc.boolean(),
    )
    .map(([levels, hash]) => (hash || levels.length === 0 ? [...levels, '#'] : levels).join('/'))
    .filter((pattern) => pattern.length > 0),
};

const subscriberArb = fc.integer({ min: 0, max: 5 });

function commandArb(mode: TopicMatchingMode): fc.Arbitrary<Command> {
  const pattern = patternArbs[mode];
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('add' as const),
        pattern,
        subscriber: subscriberArb,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('remove' as const),
        pattern,
        subscriber: subscriberArb,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('removeSubscriber' as const),
        subscriber: subscriberArb,
      }),
    },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('match' as const), topic: topicArb }) },
  );
}

/** The reference: a list of pairs, filtered with `topicMatches`, deduplicated, in subscription order. */
class ReferenceIndex {
  private pairs: { pattern: string; subscriber: number }[] = [];
  private readonly order = new Map<number, number>();
  private next = 0;

  constructor(private readonly mode: TopicMatchingMode) {}

  get size(): number {
    return this.pairs.length;
  }

  has(pattern: string, subscriber: number): boolean {
    return this.pairs.some((p) => p.pattern === pattern && p.subscriber === subscriber);
  }

  add(pattern: string, subscriber: number): boolean {
    if (this.has(pattern, subscriber)) return false;
    if (!this.order.has(subscriber)) this.order.set(subscriber, this.next++);
    this.pairs.push({ pattern, subscriber });
    return true;
  }

  remove(pattern: string, subscriber: number): boolean {
    const before = this.pairs.length;
    this.pairs = this.pairs.filter((p) => p.pattern !== pattern || p.subscriber !== subscriber);
    this.forgetIfGone(subscriber);
    return this.pairs.length < before;
  }

  removeSubscriber(subscriber: number): number {
    const before = this.pairs.length;
    this.pairs = this.pairs.filter((p) => p.subscriber !== subscriber);
    this.forgetIfGone(subscriber);
    return before - this.pairs.length;
  }

  match(topic: string): number[] {
    const matching = new Set(
      this.pairs.filter((p) => topicMatches(this.mode, p.pattern, topic)).map((p) => p.subscriber),
    );
    return [...matching].sort((a, b) => (this.order.get(a) ?? 0) - (this.order.get(b) ?? 0));
  }

  private forgetIfGone(subscriber: number): void {
    if (!this.pairs.some((p) => p.subscriber === subscriber)) this.order.delete(subscriber);
  }
}

function run(index: TopicIndex<number>, reference: ReferenceIndex, commands: readonly Command[]) {
  for (const command of commands) {
    switch (command.kind) {
      case 'add':
        expect(index.add(command.pattern, command.subscriber)).toBe(
          reference.add(command.pattern, command.subscriber),
        );
        expect(index.has(command.pattern, command.subscriber)).toBe(true);
        break;
      case 'remove':
        expect(index.remove(command.pattern, command.subscriber)).toBe(
          reference.remove(command.pattern, command.subscriber),
        );
        expect(index.has(command.pattern, command.subscriber)).toBe(false);
        break;
      case 'removeSubscriber':
        expect(index.removeSubscriber(command.subscriber)).toBe(
          reference.removeSubscriber(command.subscriber),
        );
        break;
      case 'match':
        expect(index.match(command.topic)).toEqual(reference.match(command.topic));
        break;
    }
    expect(index.size).toBe(reference.size);
  }
}

describe.each(['exact', 'prefix', 'wildcard'] as const)('%s index properties', (mode) => {
  it('matches like the naive reference through random adds, removes and matches', () => {
    fc.assert(
      fc.property(
        fc.array(commandArb(mode), { maxLength: 60 }),
        fc.constantFrom(0, 1, 3, 1024),
        (commands, matchCacheSize) => {
          run(createTopicIndex(mode, { matchCacheSize }), new ReferenceIndex(mode), commands);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches like the reference for every topic after bulk subscribes and random removes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(patternArbs[mode], subscriberArb), { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.array(topicArb, { minLength: 1, maxLength: 20 }),
        (pairs, removals, topics) => {
          const index = createTopicIndex<number>(mode);
          const reference = new ReferenceIndex(mode);
          for (const [pattern, subscriber] of pairs) {
            index.add(pattern, subscriber);
            reference.add(pattern, subscriber);
          }
          // Warm the cache so the removals below must invalidate it.
          for (const topic of topics) index.match(topic);
          for (const at of removals) {
            const pair = pairs[at % Math.max(pairs.length, 1)];
            if (pair === undefined) continue;
            expect(index.remove(...pair)).toBe(reference.remove(...pair));
          }
          for (const topic of topics) {
            expect(index.match(topic)).toEqual(reference.match(topic));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('treats a repeated add as a no-op', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(patternArbs[mode], subscriberArb), { minLength: 1, maxLength: 30 }),
        fc.array(topicArb, { minLength: 1, maxLength: 10 }),
        (pairs, topics) => {
          const index = createTopicIndex<number>(mode);
          for (const [pattern, subscriber] of pairs) index.add(pattern, subscriber);
          const size = index.size;
          const before = topics.map((topic) => [...index.match(topic)]);
          for (const [pattern, subscriber] of pairs) {
            expect(index.add(pattern, subscriber)).toBe(false);
          }
          expect(index.size).toBe(size);
          expect(topics.map((topic) => [...index.match(topic)])).toEqual(before);
        },
      ),
    );
  });
});
