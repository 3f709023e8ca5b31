// checkHistory on hand-written histories: a sound run passes, and each broken guarantee is named, as assertHistory prints it.
import { describe, expect, it } from 'vitest';
import type { SystemEventInput } from '../../src/events.ts';
import type { SystemCounters } from '../../src/index.ts';
import { assertHistory, checkHistory, HistoryError } from '../../src/testing/index.ts';
import type { HistoryEntry } from '../../src/testing/index.ts';

const event = (input: SystemEventInput): HistoryEntry => ({
  kind: 'event',
  event: { ...input, time: 0 } as never,
});
const accepted = (mid: bigint, publisher = 'p', topic = 't'): HistoryEntry => ({
  kind: 'accepted',
  mid,
  topic,
  publisher,
});
const routed = (mid: bigint, ...subscribers: string[]): HistoryEntry => ({
  kind: 'routed',
  mid,
  subscribers,
});
const delivered = (mid: bigint, container: string): HistoryEntry => ({
  kind: 'delivered',
  mid,
  container,
});
const dead = (mid: bigint, reason: string, container?: string): HistoryEntry =>
  event({
    type: 'message.dead-lettered',
    mid,
    topic: 't',
    reason: reason as never,
    ...(container === undefined ? {} : { container }),
  });
const counters = (published: number, delivered: number, deadLettered: number): SystemCounters => ({
  published,
  delivered,
  deadLettered,
  rejected: 0,
  queued: 0,
  inFlight: 0,
  containers: {},
  topics: {},
});
const stopped = (published: number, deliveredCount: number, deadLettered: number): HistoryEntry =>
  event({
    type: 'system.stopped',
    reason: 'stop requested',
    failed: false,
    counters: counters(published, deliveredCount, deadLettered),
  });
const restart = (supervisor: string, child: string, time: number): HistoryEntry => ({
  kind: 'restart',
  decision: { supervisor, child, time, maxRestarts: 2, withinMs: 100 },
});

const lines = (history: HistoryEntry[]) =>
  checkHistory(history).map((violation) => `${violation.rule}: ${violation.message}`);

describe('checkHistory', () => {
  it('passes a sound run: delivered, dead-lettered, nobody matched, still queued at the stop', () => {
    expect(
      lines([
        { kind: 'supervisor-started', supervisor: 'root' },
        accepted(0n),
        routed(0n, 'a', 'b'),
        accepted(1n),
        routed(1n),
        dead(1n, 'no-subscriber'),
        delivered(0n, 'a'),
        dead(0n, 'handler-fault', 'b'),
        restart('root', 'b', 10),
        accepted(2n),
        dead(2n, 'shutdown'),
        stopped(3, 1, 3),
      ]),
    ).toEqual([]);
  });

  it('finds lost, duplicated and misdirected outcomes', () => {
    expect(
      lines([
        accepted(0n),
        routed(0n, 'a', 'b'),
        delivered(0n, 'a'),
        delivered(0n, 'a'),
        accepted(1n),
        routed(1n),
        accepted(2n),
        routed(2n, 'a'),
        dead(2n, 'dropped', 'c'),
        delivered(9n, 'a'),
        accepted(3n),
        stopped(4, 3, 1),
      ]),
    ).toMatchInlineSnapshot(`
      [
        "accounted: message 9 delivered for a, but was never accepted",
        "accounted: message 0 on t matched a once and ended [delivered, delivered] there",
        "accounted: message 0 on t matched b once and ended [] there",
        "accounted: message 1 on t matched nobody; it must end as one no-subscriber dead letter, got nothing",
        "accounted: message 2 on t ended [dropped] for c, which it did not match",
        "accounted: message 2 on t matched a once and ended [] there",
        "accounted: message 3 on t was never routed; it must end as one shutdown dead letter, got nothing",
      ]
    `);
  });

  it('leaves a run still going alone about what may yet happen', () => {
    expect(lines([accepted(0n), routed(0n, 'a'), accepted(1n)])).toEqual([]);
    expect(checkHistory([accepted(0n), routed(0n, 'a')], { complete: true })).toHaveLength(1);
  });

  it('finds ids that repeat, skip or go back', () => {
    expect(lines([accepted(0n), accepted(2n), accepted(2n), accepted(1n)])).toEqual([
      'ids: message id 2 follows 0: ids must be dense and increasing',
      'ids: message id 2 was accepted twice',
      'ids: message id 1 follows 2: ids must be dense and increasing',
    ]);
  });

  it('finds one publisher’s messages handled out of order by a container', () => {
    expect(
      lines([
        accepted(0n, 'p'),
        accepted(1n, 'q'),
        accepted(2n, 'p'),
        routed(0n, 'a'),
        routed(1n, 'a'),
        routed(2n, 'a'),
        delivered(2n, 'a'),
        delivered(1n, 'a'), // another publisher's: fine
        delivered(0n, 'a'),
      ]),
    ).toEqual(['fifo: a handled message 0 from p after message 2, published later']);
  });

  it('finds restarts beyond a supervisor’s intensity, or after it gave up', () => {
    expect(
      lines([
        { kind: 'supervisor-started', supervisor: 'root' },
        restart('root', 'a', 0),
        restart('root', 'a', 50),
        restart('root', 'b', 100), // the one at 0 is out of the window
        restart('root', 'b', 120),
        event({ type: 'supervisor.escalated', supervisor: 'root', child: 'b', reason: 'x' }),
        restart('root', 'a', 500),
        { kind: 'supervisor-started', supervisor: 'root' },
        restart('root', 'a', 510),
      ]),
    ).toEqual([
      'intensity: supervisor "root" restarted "b": 3 restarts within 100 ms, more than its 2',
      'intensity: supervisor "root" restarted "a" after it gave up',
    ]);
  });

  it('finds anything after system.stopped, and counters that disagree', () => {
    expect(lines([stopped(1, 0, 0), accepted(0n), stopped(1, 0, 0)])).toEqual([
      'counters: system.stopped says published 1, the history 0',
      'after-stop: accepted message 0 at entry 1, after system.stopped',
      'after-stop: event system.stopped at entry 2, after system.stopped',
      'accounted: message 0 on t was never routed; it must end as one shutdown dead letter, got nothing',
    ]);
  });
});

describe('assertHistory', () => {
  it('throws every violation and the seed to replay the run with', () => {
    const broken = [accepted(0n), routed(0n, 'a'), stopped(1, 0, 0)];
    expect(() => assertHistory(broken, { seed: 1234 })).toThrow(HistoryError);
    expect(() => assertHistory(broken, { seed: 1234 })).toThrowErrorMatchingInlineSnapshot(`
      [HistoryError: the run broke 1 guarantee:
        accounted: message 0 on t matched a once and ended [] there
      Replay this run with seed 1234 (OCRE_SEED=1234).]
    `);
    expect(() => assertHistory([accepted(0n), routed(0n)])).not.toThrow();
  });
});
