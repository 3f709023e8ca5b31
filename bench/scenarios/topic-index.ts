// Owns the topic-index scenario: lookup cost of core's createTopicIndex at 1k, 10k and 100k subscriptions, exact topics and wildcard patterns.
import { createTopicIndex } from '@ocre-ts/core';
import type { TopicIndex, TopicMatchingMode } from '@ocre-ts/core';
import { compare } from '../harness.ts';
import type { Contender, RunOptions, Scenario, ScenarioOutcome } from '../harness.ts';
import { scenarioResult } from '../report.ts';

const smallest = 1_000;
const largest = 100_000;
const sizes = [smallest, 10_000, largest] as const;
/** Distinct topics a wildcard subscription covers (levels `r0`…`r15`), so topics outnumber the match cache. */
const roomsPerPattern = 16;
/** Length of the pre-built random topic sequence (a power of two). */
const sequenceLength = 1 << 16;

/** A subscriber as the router stores one: an object compared by identity. */
interface Subscriber {
  readonly id: number;
}

/** A deterministic PRNG (mulberry32) so every run looks up the same topics. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface Fixture {
  readonly index: Pick<TopicIndex<Subscriber>, 'match'>;
  readonly topics: readonly string[];
}

/**
 * `exact`: subscription i is topic `sensors/<i>/temperature`; lookups pick a subscribed topic at random.
 * `wildcard`: subscription i is `sensors/<i>/+/temperature` (even i) or `sensors/<i>/#` (odd i); lookups
 * pick a random `sensors/<i>/r<k>/temperature`, matching exactly one pattern. With 16 rooms per
 * pattern even 1k subscriptions give 16k distinct topics, well past the index's 1024-entry match
 * cache, so every size measures the trie walk, not a cache hit.
 */
function fixture(mode: TopicMatchingMode, subscriptions: number): Fixture {
  const index = createTopicIndex<Subscriber>(mode);
  for (let i = 0; i < subscriptions; i++) {
    const pattern =
      mode === 'exact'
        ? `sensors/${i}/temperature`
        : i % 2 === 0
          ? `sensors/${i}/+/temperature`
          : `sensors/${i}/#`;
    index.add(pattern, { id: i });
  }
  const next = random(subscriptions * 31 + (mode === 'exact' ? 1 : 2));
  const topics = Array.from({ length: sequenceLength }, () => {
    const i = Math.floor(next() * subscriptions);
    return mode === 'exact'
      ? `sensors/${i}/temperature`
      : `sensors/${i}/r${Math.floor(next() * roomsPerPattern)}/temperature`;
  });
  // Flatten the strings now: a topic arriving from a message is a flat string too.
  for (const topic of topics) index.match(topic);
  return { index, topics };
}

/** ns per lookup over `lookups` lookups cycling through the random topic sequence. */
function measureLookups({ index, topics }: Fixture, lookups: number): number {
  const mask = sequenceLength - 1;
  let found = 0;
  const start = performance.now();
  for (let k = 0; k < lookups; k++) found += index.match(topics[k & mask] as string).length;
  const elapsed = performance.now() - start;
  if (found !== lookups)
    throw new Error(`topic-index: ${lookups} lookups found ${found} subscribers`);
  return (elapsed * 1e6) / lookups;
}

function label(size: number): string {
  return `${size / 1000}k subscriptions`;
}

/**
 * The floor for `exact` mode: a bare `Map<string, subscriber[]>` over the same topics, looked up
 * with the same sequence. Its own growth from 1k to 100k keys is what the memory hierarchy
 * charges any hash lookup on this machine.
 */
function mapFixture(subscriptions: number): Fixture {
  const map = new Map<string, readonly Subscriber[]>();
  for (let i = 0; i < subscriptions; i++) map.set(`sensors/${i}/temperature`, [{ id: i }]);
  const next = random(subscriptions * 31 + 1);
  const topics = Array.from(
    { length: sequenceLength },
    () => `sensors/${Math.floor(next() * subscriptions)}/temperature`,
  );
  for (const topic of topics) map.get(topic);
  return { index: { match: (topic) => map.get(topic) ?? [] }, topics };
}

function mapLabel(size: number): string {
  return `Map.get, ${size / 1000}k keys`;
}

/** Lookups on core's topic index as subscriptions grow. */
export const topicIndex: Scenario = {
  name: 'topic-index',
  async run({ quick, log }: RunOptions): Promise<ScenarioOutcome> {
    const rounds = quick ? 3 : 5;
    const results = [];
    const notes: string[] = [];
    for (const mode of ['exact', 'wildcard'] as const) {
      const lookups = (mode === 'exact' ? 1e6 : 2e5) / (quick ? 4 : 1);
      const fixtures = sizes.map((size) => ({ size, fixture: fixture(mode, size) }));
      const contenders: Contender[] = fixtures.map(({ size, fixture }) => ({
        name: label(size),
        measure: () => measureLookups(fixture, lookups),
      }));
      if (mode === 'exact') {
        for (const size of [smallest, largest]) {
          const map = mapFixture(size);
          contenders.push({ name: mapLabel(size), measure: () => measureLookups(map, lookups) });
        }
      }
      log(`  ${mode}`);
      const measured = await compare(contenders, { rounds, log });
      const ns = (size: number) => measured.get(label(size))?.median ?? NaN;
      const baselines: Record<string, number> = Object.fromEntries(
        sizes.slice(0, -1).map((size) => [label(size), ns(size)] as const),
      );
      if (mode === 'exact') {
        const small = measured.get(mapLabel(smallest))?.median ?? NaN;
        const large = measured.get(mapLabel(largest))?.median ?? NaN;
        baselines[mapLabel(largest)] = large;
        notes.push(
          `exact: a bare Map<string, …> over the same topics costs ${small.toFixed(0)} ns at 1k keys and ${large.toFixed(0)} ns at 100k (${(large / small).toFixed(2)}× growth): random lookups over 100k keys miss the CPU caches whatever the structure`,
        );
      }
      results.push(
        scenarioResult({
          name: 'topic-index',
          variant: `${mode}, ${label(largest)}`,
          unit: 'ns/lookup',
          ours: ns(largest),
          baselines,
          goals: [
            {
              text: `100k costs < 2× the lookup at 1k`,
              met: ns(largest) / (baselines[label(smallest)] ?? 0) < 2,
              against: label(smallest),
            },
          ],
        }),
      );
      notes.push(
        `${mode}: ${lookups} lookups per round over ${sequenceLength} pre-built random topics, median of ${rounds} rounds; each lookup finds exactly one subscriber`,
      );
    }
    notes.push(
      `the baselines are the same index with fewer subscriptions: the ratio is the growth of the lookup cost (ours = 100k)`,
    );
    return { results, notes };
  },
};
