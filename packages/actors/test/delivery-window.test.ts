// A pipelined runtime (maxInFlight > 1): several deliveries in flight, settled in order, and on a fault, kill or stop every message handled once, dead-lettered with a reason, or kept for the next instance.
import { describe, it, expect } from 'vitest';
import { readText } from '@ocre-ts/core';
import type { ContainerSpec, InFlightProgress, RuntimeHost } from '../src/index.ts';
import { harness } from './fixtures.ts';

interface Call {
  readonly text: string;
  readonly instance: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** A container named `p` on topic `p` whose runtime takes `max` deliveries at once; the test settles them by hand. */
function pipelined(max: number) {
  const calls: Call[] = [];
  const hosts: RuntimeHost[] = [];
  const state = { progress: { completed: 0, started: 0 } as InFlightProgress };
  const spec: ContainerSpec = {
    kind: 'container',
    name: 'p',
    runtime: () => ({
      maxInFlight: max,
      start(host) {
        hosts.push(host);
        host.api.ocre_msg_system_init();
        host.api.ocre_subscribe_message('p', 'on_message');
        return Promise.resolve();
      },
      deliver(message) {
        return new Promise<void>((resolve, reject) => {
          calls.push({ text: readText(message), instance: hosts.length, resolve, reject });
        });
      },
      inFlightProgress: () => state.progress,
      hasHandler: () => true,
      stop: () => Promise.resolve(),
      kill: () => undefined,
    }),
  };
  const texts = (instance: number) =>
    calls.filter((call) => call.instance === instance).map((call) => call.text);
  return { spec, calls, hosts, state, texts };
}

describe('pipelined delivery (maxInFlight)', () => {
  it('hands over up to maxInFlight before the first settles and counts them handled in mailbox order', async () => {
    const p = pipelined(3);
    const h = harness({ containers: [p.spec] });
    await h.system.start();
    for (const text of ['a', 'b', 'c', 'd', 'e']) h.publish('p', text);
    await h.system.settle();
    expect(p.texts(1)).toEqual(['a', 'b', 'c']);
    // b settles before a: nothing counts until a has.
    p.calls[1]?.resolve();
    await h.system.settle();
    expect(h.system.counters().delivered).toBe(0);
    p.calls[0]?.resolve();
    await h.system.settle();
    expect(h.system.counters().delivered).toBe(2);
    expect(p.texts(1)).toEqual(['a', 'b', 'c', 'd', 'e']);
    for (const call of p.calls.slice(2)) call.resolve();
    await h.system.settle();
    expect(h.system.counters()).toMatchObject({ published: 5, delivered: 5, deadLettered: 0 });
    await h.system.stop();
  });

  it('a rejected delivery: those before it are handled, it is a handler-fault, those after it go to the restarted instance once', async () => {
    const p = pipelined(3);
    const h = harness({ containers: [p.spec] });
    await h.system.start();
    for (const text of ['a', 'b', 'c', 'd']) h.publish('p', text);
    await h.system.settle();
    p.calls[0]?.resolve();
    p.calls[1]?.reject(new Error('trap in b'));
    await h.advance(10);
    expect(p.hosts).toHaveLength(2);
    expect(h.letterLines()).toEqual(['handler-fault p']);
    expect(p.texts(2)).toEqual(['c', 'd']);
    for (const call of p.calls.filter((c) => c.instance === 2)) call.resolve();
    await h.system.settle();
    expect(h.system.counters()).toMatchObject({ published: 4, delivered: 3, deadLettered: 1 });
    await h.system.stop();
  });

  it('a runtime fault: the runtime’s progress sorts handled, interrupted (handler-fault) and never run (kept, in order)', async () => {
    const p = pipelined(3);
    const h = harness({ containers: [p.spec] });
    await h.system.start();
    for (const text of ['a', 'b', 'c', 'd']) h.publish('p', text);
    await h.system.settle();
    p.state.progress = { completed: 1, started: 2 };
    p.hosts[0]?.fault({ phase: 'runtime', error: new Error('worker died'), unresponsive: true });
    // A late outcome of the old instance changes nothing.
    p.calls[0]?.resolve();
    await h.advance(10);
    expect(h.letters.map((l) => `${l.reason} ${readText(l.message)}`)).toEqual(['handler-fault b']);
    expect(p.texts(2)).toEqual(['c', 'd']);
    for (const call of p.calls.filter((c) => c.instance === 2)) call.resolve();
    await h.system.settle();
    expect(h.system.counters()).toMatchObject({ published: 4, delivered: 3, deadLettered: 1 });
    await h.system.stop();
  });

  it('only the oldest delivery has a timeout running; it fires handlerTimeoutMs after the one before it settled', async () => {
    const p = pipelined(3);
    const h = harness({ containers: [{ ...p.spec, handlerTimeoutMs: 100 }] });
    await h.system.start();
    for (const text of ['a', 'b']) h.publish('p', text);
    await h.advance(80);
    p.calls[0]?.resolve();
    await h.advance(80);
    expect(h.letters).toEqual([]);
    p.state.progress = { completed: 0, started: 1 };
    await h.advance(30);
    expect(h.letters.map((l) => `${l.reason} ${readText(l.message)}`)).toEqual(['handler-fault b']);
    expect(h.system.counters()).toMatchObject({ published: 2, delivered: 1, deadLettered: 1 });
    await h.system.stop();
  });

  it('a stop with deliveries in flight: the interrupted one and the never-run ones are shutdown dead letters, none lost', async () => {
    const p = pipelined(3);
    const h = harness({ containers: [p.spec] });
    await h.system.start();
    for (const text of ['a', 'b', 'c', 'd']) h.publish('p', text);
    await h.system.settle();
    p.state.progress = { completed: 1, started: 2 };
    const { counters } = await h.system.stop({ timeoutMs: 0 });
    expect(h.letters.map((l) => `${l.reason} ${readText(l.message)}`)).toEqual([
      'shutdown b',
      'shutdown c',
      'shutdown d',
    ]);
    expect(counters).toMatchObject({ published: 4, delivered: 1, deadLettered: 3 });
  });
});
