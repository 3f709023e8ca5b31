// Tests the host ABI from C: every failure row of the contract and every hostile pointer or length returns -1 with a typed reason, and the host stays up.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { wasmContainer } from '../src/container/wasm-container.ts';
import { fixture, recordSystem, realTime } from './helpers.ts';
import type { RecordedSystem } from './helpers.ts';

const running: RecordedSystem[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(({ system }) => system.stop({ timeoutMs: 100 })));
});

function run(options: Parameters<typeof recordSystem>[0]): RecordedSystem {
  const recorded = recordSystem(options);
  running.push(recorded);
  return recorded;
}

describe('the host ABI, called from C', () => {
  it('answers every hostile pointer, length and handler name with -1 and a reason', async () => {
    const recorded = run({
      containers: [wasmContainer({ name: 'hostile', wasm: fixture('hostile-abi') })],
    });
    await recorded.system.start();
    await vi.waitFor(
      () => expect(recorded.lines('hostile').includes('done'), 'the hostile calls').toBe(true),
      realTime,
    );
    const stdout = recorded.lines('hostile');
    const cases = stdout.filter((line) => line.startsWith('case '));
    expect(cases).toHaveLength(31);
    expect(cases.filter((line) => !line.endsWith(': -1'))).toEqual([]);
    expect(stdout.filter((line) => line.startsWith('control '))).toEqual([
      'control publish-valid: 0',
      'control publish-payload-ends-at-memory-end: 0',
      'control subscribe-valid: 0',
    ]);
    expect(recorded.lines('hostile', 'stderr')).toMatchInlineSnapshot(`
      [
        "ocre: ocre_publish_message: topic must be a non-empty string, got NULL; pass a topic such as "sensors/temperature" (INVALID_TOPIC)",
        "ocre: ocre_publish_message: topic must be a non-empty string, got an empty string; pass a topic such as "sensors/temperature" (INVALID_TOPIC)",
        "ocre: ocre_publish_message: topic pointer 0xffffff00 is outside linear memory (393216 bytes) (INVALID_TOPIC)",
        "ocre: ocre_publish_message: topic pointer 0x80000010 is outside linear memory (393216 bytes) (INVALID_TOPIC)",
        "ocre: ocre_publish_message: topic string at 0x0005fffc is not NUL-terminated before the end of linear memory (393216 bytes) (INVALID_TOPIC)",
        "ocre: ocre_publish_message: content_type must be a non-empty string, got NULL; pass a MIME type such as "application/json" (INVALID_CONTENT_TYPE)",
        "ocre: ocre_publish_message: content_type must be a non-empty string, got an empty string; pass a MIME type such as "application/json" (INVALID_CONTENT_TYPE)",
        "ocre: ocre_publish_message: content_type pointer 0xffffff00 is outside linear memory (393216 bytes) (INVALID_CONTENT_TYPE)",
        "ocre: ocre_publish_message: content_type string at 0x0005fffc is not NUL-terminated before the end of linear memory (393216 bytes) (INVALID_CONTENT_TYPE)",
        "ocre: ocre_publish_message: payload must be a Uint8Array or a string, got NULL (INVALID_PAYLOAD)",
        "ocre: ocre_publish_message: payload 0xffffff00 + payload_len 4 runs past the end of linear memory (393216 bytes) (INVALID_PAYLOAD)",
        "ocre: ocre_publish_message: payload 0x80000010 + payload_len 4 runs past the end of linear memory (393216 bytes) (INVALID_PAYLOAD)",
        "ocre: ocre_publish_message: payload 0xfffffff0 + payload_len 32 runs past the end of linear memory (393216 bytes) (INVALID_PAYLOAD)",
        "ocre: ocre_publish_message: payload 0x0005fffc + payload_len 5 runs past the end of linear memory (393216 bytes) (INVALID_PAYLOAD)",
        "ocre: ocre_publish_message: payload_len must be a positive integer, got 0; an empty message cannot be published (INVALID_PAYLOAD)",
        "ocre: ocre_publish_message: payload_len must be a positive integer, got -1; an empty message cannot be published (INVALID_PAYLOAD)",
        "ocre: ocre_publish_message: payload_len must be a positive integer, got -2147483648; an empty message cannot be published (INVALID_PAYLOAD)",
        "ocre: ocre_publish_message: payload_len 2147483647 is over the limit of 65536 bytes; split the payload or raise limits.maxPayloadBytes (PAYLOAD_TOO_LARGE)",
        "ocre: ocre_subscribe_message: topic must be a non-empty string, got NULL; pass a topic such as "sensors/temperature" (INVALID_TOPIC)",
        "ocre: ocre_subscribe_message: topic must be a non-empty string, got an empty string; pass a topic such as "sensors/temperature" (INVALID_TOPIC)",
        "ocre: ocre_subscribe_message: topic pointer 0xffffff00 is outside linear memory (393216 bytes) (INVALID_TOPIC)",
        "ocre: ocre_subscribe_message: topic pointer 0x80000010 is outside linear memory (393216 bytes) (INVALID_TOPIC)",
        "ocre: ocre_subscribe_message: topic string at 0x0005fffc is not NUL-terminated before the end of linear memory (393216 bytes) (INVALID_TOPIC)",
        "ocre: ocre_subscribe_message: handler_name must be a non-empty string, got NULL; pass the name of an exported handler (INVALID_HANDLER)",
        "ocre: ocre_subscribe_message: handler_name must be a non-empty string, got an empty string; pass the name of an exported handler (INVALID_HANDLER)",
        "ocre: ocre_subscribe_message: handler_name pointer 0xffffff00 is outside linear memory (393216 bytes) (INVALID_HANDLER)",
        "ocre: ocre_subscribe_message: handler_name pointer 0x80000010 is outside linear memory (393216 bytes) (INVALID_HANDLER)",
        "ocre: ocre_subscribe_message: handler_name string at 0x0005fffc is not NUL-terminated before the end of linear memory (393216 bytes) (INVALID_HANDLER)",
        "ocre: ocre_subscribe_message: container "hostile" has no handler named "no_such_handler"; export it (in C: __attribute__((export_name("no_such_handler")))) or fix the name (INVALID_HANDLER)",
        "ocre: ocre_subscribe_message: container "hostile" has no handler named "memory"; export it (in C: __attribute__((export_name("memory")))) or fix the name (INVALID_HANDLER)",
        "ocre: ocre_subscribe_message: container "hostile" has no handler named "hostile_data_export"; export it (in C: __attribute__((export_name("hostile_data_export")))) or fix the name (INVALID_HANDLER)",
      ]
    `);
    // main returned 0: the container is still up, and nothing faulted.
    expect(recorded.system.container('hostile').state).toBe('running');
    expect(recorded.eventsOf('container.faulted')).toEqual([]);
  });

  it('covers the rows that depend on the system: not initialised, second init, subscription table and queue full', async () => {
    const recorded = run({
      messaging: { queueCapacity: 8, limits: { maxSubscriptions: 4 } },
      containers: [wasmContainer({ name: 'rows', wasm: fixture('contract-rows') })],
    });
    await recorded.system.start();
    await vi.waitFor(
      () => expect(recorded.lines('rows').includes('done'), 'the contract rows').toBe(true),
      realTime,
    );
    const rows = recorded.lines('rows');
    expect(rows.slice(0, -2)).toEqual([
      'row publish-before-init: -1',
      'row subscribe-before-init: -1',
      'row second-init: called',
      'row subscribe-0: 0',
      'row subscribe-1: 0',
      'row subscribe-2: 0',
      'row subscribe-3: 0',
      'row subscribe-4: -1',
    ]);
    const fullAt = Number(/^row queue-full-at: (-?\d+)$/.exec(rows.at(-2) ?? '')?.[1]);
    expect(fullAt).toBeGreaterThanOrEqual(8);
    expect(recorded.warnings).toEqual([
      'ocre_msg_system_init: container "rows" is already initialised; the second call does nothing',
    ]);
    expect(recorded.lines('rows', 'stderr')).toEqual([
      'ocre: ocre_publish_message: container "rows" has not called ocre_msg_system_init(); call it once before publishing or subscribing (NOT_INITIALIZED)',
      'ocre: ocre_subscribe_message: container "rows" has not called ocre_msg_system_init(); call it once before publishing or subscribing (NOT_INITIALIZED)',
      'ocre: ocre_subscribe_message: container "rows" already holds 4 subscriptions, the limit; raise limits.maxSubscriptions or subscribe to a broader pattern (SUBSCRIPTION_LIMIT)',
    ]);
    // The refused publish was counted in the worker and reported to the router.
    await vi.waitFor(
      () =>
        expect(recorded.system.counters().rejected === 1, 'the refusal to be counted').toBe(true),
      realTime,
    );
    expect(recorded.system.container('rows').subscriptions).toHaveLength(4);
  });

  it('gives a publisher that floods a full queue -1 at once, never blocking, and counts the refusals', async () => {
    const recorded = run({
      messaging: { queueCapacity: 4 },
      containers: [wasmContainer({ name: 'storm', wasm: fixture('publish-storm') })],
    });
    await recorded.system.start();
    await vi.waitFor(
      () => expect(recorded.lines('storm').length >= 2, 'two storm reports').toBe(true),
      realTime,
    );
    const report = /^storm attempts=(\d+) accepted=(\d+) refused=(\d+) other=(\d+)$/.exec(
      recorded.lines('storm')[1] ?? '',
    );
    expect(report?.slice(1).map(Number)).toEqual([
      20000,
      expect.any(Number),
      expect.any(Number),
      0,
    ]);
    expect(Number(report?.[3])).toBeGreaterThan(0);
    await vi.waitFor(
      () =>
        expect(recorded.system.counters().rejected > 0, 'refusals reported to the router').toBe(
          true,
        ),
      realTime,
    );
  });
});
