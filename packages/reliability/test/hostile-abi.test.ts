// Catalogue, hostile ABI input from C: every bad pointer, length or string a container can pass is answered with -1 and a reason on its stderr; the host, the router and the container carry on.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkHistory } from '@ocre-ts/actors/testing';
import { buildFixture, runSystem, stopAll, realTime, wasmFixture } from './helpers.ts';
import type { Run } from './helpers.ts';
import { isolationModes, wasmContainerIn } from './helpers.ts';
describe.each(isolationModes)('isolation: %s', (isolation) => {
  const wasmContainer = wasmContainerIn(isolation);

  afterAll(stopAll);

  /** Run a module that makes hostile calls and prints `case <name>: <ret>` lines, then `done`. */
  async function hostile(wasm: string): Promise<Run> {
    const run = runSystem({ containers: [wasmContainer({ name: 'hostile', wasm })] });
    await run.system.start();
    await vi.waitFor(
      () => expect(run.lines('hostile').includes('done'), 'the hostile calls').toBe(true),
      realTime,
    );
    return run;
  }

  /** The `case` lines that did not return -1. */
  const accepted = (run: Run) =>
    run.lines('hostile').filter((line) => line.startsWith('case ') && !line.endsWith(': -1'));

  /** The error code at the end of each line the host wrote to the container's stderr. */
  const codes = (run: Run) =>
    run.lines('hostile', 'stderr').map((line) => /\((\w+)\)$/.exec(line)?.[1] ?? line);

  /** After the hostile calls: the container is up, nothing faulted, mail still flows, the history is sound. */
  async function survives(run: Run, topic: string): Promise<void> {
    expect(run.system.container('hostile').state).toBe('running');
    expect(run.eventsOf('container.faulted')).toEqual([]);
    expect(run.system.publish(topic, 'text/plain', 'still here').ok).toBe(true);
    await vi.waitFor(
      () =>
        expect(run.system.counters().delivered >= 1, 'a delivery after the hostile calls').toBe(
          true,
        ),
      realTime,
    );
    await run.stop();
    expect(checkHistory(run.history)).toEqual([]);
  }

  describe('pointers and lengths (hostile-abi.wasm)', () => {
    let run: Run;
    beforeAll(async () => {
      run = await hostile(wasmFixture('hostile-abi'));
    });

    it('topic and payload pointers out of bounds: -1 (INVALID_TOPIC / INVALID_PAYLOAD)', () => {
      const lines = run.lines('hostile');
      for (const name of ['publish-topic-oob', 'publish-payload-oob', 'subscribe-topic-oob'])
        expect(lines).toContain(`case ${name}: -1`);
    });

    it('ptr + len wrapping past 2^32, and pointers at or above 2 GiB: -1', () => {
      const lines = run.lines('hostile');
      for (const name of [
        'publish-payload-wraps-2^32',
        'publish-topic-2gib',
        'publish-payload-2gib',
        'subscribe-topic-2gib',
        'subscribe-handler-2gib',
      ])
        expect(lines).toContain(`case ${name}: -1`);
    });

    it('a topic unterminated at the end of memory, or a payload running past it: -1', () => {
      const lines = run.lines('hostile');
      for (const name of [
        'publish-topic-unterminated-at-end',
        'subscribe-topic-unterminated-at-end',
        'publish-payload-past-memory-end',
      ])
        expect(lines).toContain(`case ${name}: -1`);
      // A payload ending exactly at the end of memory is fine: the checks are not off by one.
      expect(lines).toContain('control publish-payload-ends-at-memory-end: 0');
    });

    it('negative, zero or huge payload_len: -1 (INVALID_PAYLOAD / PAYLOAD_TOO_LARGE)', () => {
      const lines = run.lines('hostile');
      for (const name of ['publish-len-negative', 'publish-len-int-min', 'publish-len-zero'])
        expect(lines).toContain(`case ${name}: -1`);
      expect(lines).toContain('case publish-len-huge: -1');
      expect(codes(run)).toContain('PAYLOAD_TOO_LARGE');
    });

    it('every one of the 31 hostile calls returned -1 with a typed reason, and the host carries on', async () => {
      expect(run.lines('hostile').filter((line) => line.startsWith('case '))).toHaveLength(31);
      expect(accepted(run)).toEqual([]);
      expect(codes(run)).toHaveLength(31);
      expect(new Set(codes(run))).toEqual(
        new Set([
          'INVALID_TOPIC',
          'INVALID_CONTENT_TYPE',
          'INVALID_PAYLOAD',
          'PAYLOAD_TOO_LARGE',
          'INVALID_HANDLER',
        ]),
      );
      await survives(run, 'hostile/in');
    });
  });

  describe('strings (hostile-topics.c, built by this suite)', () => {
    let run: Run;
    beforeAll(async () => {
      run = await hostile(await buildFixture('hostile-topics'));
    });

    it('a topic over the length limit: -1; one exactly at the limit is accepted', () => {
      const lines = run.lines('hostile');
      expect(lines).toContain('control publish-topic-at-limit: 0');
      expect(lines).toContain('case publish-topic-over-limit: -1');
      expect(lines).toContain('case subscribe-topic-over-limit: -1');
      expect(lines).toContain('case publish-content-type-over-limit: -1');
    });

    it('invalid UTF-8 in a topic, content type or handler name: -1', () => {
      const lines = run.lines('hostile');
      for (const kind of ['ff', 'truncated', 'overlong', 'surrogate']) {
        expect(lines).toContain(`case publish-topic-invalid-utf8-${kind}: -1`);
        expect(lines).toContain(`case subscribe-topic-invalid-utf8-${kind}: -1`);
        expect(lines).toContain(`case publish-content-type-invalid-utf8-${kind}: -1`);
        expect(lines).toContain(`case subscribe-handler-invalid-utf8-${kind}: -1`);
      }
    });

    it('every call was refused with a typed reason, and the host carries on', async () => {
      expect(accepted(run)).toEqual([]);
      expect(codes(run)).toMatchInlineSnapshot(`
      [
        "TOPIC_TOO_LONG",
        "TOPIC_TOO_LONG",
        "CONTENT_TYPE_TOO_LONG",
        "INVALID_TOPIC",
        "INVALID_TOPIC",
        "INVALID_CONTENT_TYPE",
        "INVALID_HANDLER",
        "INVALID_TOPIC",
        "INVALID_TOPIC",
        "INVALID_CONTENT_TYPE",
        "INVALID_HANDLER",
        "INVALID_TOPIC",
        "INVALID_TOPIC",
        "INVALID_CONTENT_TYPE",
        "INVALID_HANDLER",
        "INVALID_TOPIC",
        "INVALID_TOPIC",
        "INVALID_CONTENT_TYPE",
        "INVALID_HANDLER",
      ]
    `);
      expect(run.lines('hostile', 'stderr').some((line) => line.includes('not valid UTF-8'))).toBe(
        true,
      );
      await survives(run, 'hostile/topics');
    });
  });
});
