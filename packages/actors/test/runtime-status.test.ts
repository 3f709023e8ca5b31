// Tests what a runtime may report beyond faults: its own state and counters, and refusing the message in hand as a named dead letter.
import { describe, expect, it } from 'vitest';
import { readText } from '@ocre-ts/core';
import type {
  ContainerRuntime,
  ContainerSpec,
  DeadLetter,
  RuntimeHost,
  SystemEvent,
} from '../src/index.ts';
import { VirtualClock, createOcreSystem } from '../src/index.ts';

/** A runtime that keeps messages until it holds `capacity`, refusing the rest as `bridge-outbox-full`. */
function holdingRuntime(capacity: number, held: string[]): () => ContainerRuntime {
  return () => {
    let host: RuntimeHost | undefined;
    return {
      start(h) {
        host = h;
        h.api.ocre_msg_system_init();
        h.api.ocre_subscribe_message('in', 'hold');
        h.status?.('connecting', { held: 0 });
        h.status?.('connected', { held: 0 });
        return Promise.resolve();
      },
      deliver(message) {
        if (held.length >= capacity) {
          host?.deadLetterCurrent?.('bridge-outbox-full', `holds ${capacity} already`);
          return;
        }
        held.push(readText(message));
        host?.status?.('connected', { held: held.length });
      },
      hasHandler: (name) => name === 'hold',
      stop: () => Promise.resolve(),
      kill: () => undefined,
    };
  };
}

describe('runtime status and refusals', () => {
  it('reports state changes as container.status events and the latest status in containers()', async () => {
    const held: string[] = [];
    const spec: ContainerSpec = {
      kind: 'container',
      name: 'holder',
      runtime: holdingRuntime(2, held),
    };
    const system = createOcreSystem({ containers: [spec], clock: new VirtualClock() });
    const events: SystemEvent[] = [];
    const letters: DeadLetter[] = [];
    system.events$.subscribe((event) => events.push(event));
    system.deadLetters$.subscribe((letter) => letters.push(letter));
    await system.start();
    for (const text of ['a', 'b', 'c']) system.publish('in', 'text/plain', text);
    await system.settle();

    expect(held).toEqual(['a', 'b']);
    const statuses = events.flatMap((e) =>
      e.type === 'container.status' ? [`${e.state} ${e.counters['held']}`] : [],
    );
    // Only changes of state are events; counters ride along.
    expect(statuses).toEqual(['connecting 0', 'connected 0']);
    expect(system.container('holder').status).toEqual({
      state: 'connected',
      counters: { held: 2 },
    });
    expect(letters.map((l) => [l.reason, l.container, l.error])).toEqual([
      ['bridge-outbox-full', 'holder', 'holds 2 already'],
    ]);
    const { counters } = await system.stop();
    // The refused message is a dead letter, not a delivery: the no-loss sum holds.
    expect([counters.published, counters.delivered, counters.deadLettered]).toEqual([3, 2, 1]);
  });
});
