// Catalogue, hostile ABI input to Ocre's current API: every bad pointer, string, length or id a container can pass to its imports is answered with a negative errno (never a trap of the host), in both isolation modes; the container, the router and the host carry on.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkHistory } from '@ocre-ts/actors/testing';
import {
  buildFixture,
  isolationModes,
  realTime,
  runSystem,
  stopAll,
  wasmContainerIn,
} from './helpers.ts';
import type { Run } from './helpers.ts';

/** wasi-libc's EINVAL, negated as the imports return it. */
const EINVAL = -28;

describe.each(isolationModes)('isolation: %s', (isolation) => {
  const wasmContainer = wasmContainerIn(isolation);
  let run: Run;

  beforeAll(async () => {
    const wasm = await buildFixture('current-hostile');
    run = runSystem({ containers: [wasmContainer({ name: 'hostile', wasm })] });
    await run.system.start();
    await vi.waitFor(
      () => expect(run.lines('hostile').includes('done'), 'the hostile calls').toBe(true),
      realTime,
    );
  });
  afterAll(stopAll);

  /** Each `case` line as [name, result]. */
  const cases = () =>
    run
      .lines('hostile')
      .filter((line) => line.startsWith('case '))
      .map((line) => {
        const [, name, result] = /^case (.+): (-?\d+)$/.exec(line) ?? [];
        return [name, Number(result)] as const;
      });

  it('every one of the 53 hostile calls returned a negative errno', () => {
    expect(cases()).toHaveLength(53);
    expect(cases().filter(([, result]) => result >= 0)).toEqual([]);
  });

  it('bad offsets, unterminated strings and wrapping lengths are -EINVAL', () => {
    const results = new Map(cases());
    for (const name of [
      'publish-topic-beyond',
      'publish-topic-2gib',
      'publish-topic-unterminated-at-end',
      'publish-payload-wraps-2^32',
      'publish-len-wrapping',
      'publish-len-int-min',
      'publish-payload-past-end',
      'subscribe-unterminated-at-end',
      'get-event-field-beyond',
      'get-event-field-2gib',
      'get-event-field-straddles-end',
      'get-event-field-wraps-2^32',
      'free-forged',
      'free-2gib',
      'dispatcher-name-unterminated-at-end',
      'timer-start-interval-negative',
      'sensor-name-beyond',
      'gpio-name-unterminated-at-end',
      'gpio-pin-negative',
    ])
      expect([name, results.get(name)]).toEqual([name, EINVAL]);
    // uname answers -1 for a bad buffer, as Ocre's does; everything else is -EINVAL.
    expect(results.get('uname-2gib')).toBe(-1);
    expect(new Set(cases().map(([, result]) => result))).toEqual(new Set([EINVAL, -1]));
  });

  it('a payload ending exactly at the end of memory is accepted: the checks are not off by one', () => {
    expect(run.lines('hostile')).toContain('control publish-payload-ends-at-end: 0');
  });

  it('messaging refusals say why on the container stderr; the host, the router and the container carry on', async () => {
    const stderr = run.lines('hostile', 'stderr');
    expect(stderr.length).toBeGreaterThan(0);
    expect(stderr.every((line) => /^ocre: .+ \((EINVAL|ENOMEM)\)$/.test(line))).toBe(true);
    expect(run.lines('hostile')).toContain('subscribe=0');
    expect(run.system.container('hostile').state).toBe('running');
    expect(run.eventsOf('container.faulted')).toEqual([]);
    expect(run.system.publish('hostile/in', 'text/plain', 'still here').ok).toBe(true);
    // The line and the count travel from the worker separately (output, then the taken report):
    // either may be seen first.
    await vi.waitFor(() => {
      expect(run.lines('hostile')).toContain('got hostile/in');
      expect(run.system.counters().delivered).toBe(1);
    }, realTime);
    await run.stop();
    expect(checkHistory(run.history)).toEqual([]);
  });
});
