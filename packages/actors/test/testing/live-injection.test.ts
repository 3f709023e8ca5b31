// Live fault injection (injectFaults with { live: true }, injection.inject): faults added while a system runs, through the same machinery as a plan's, on virtual time.
import { describe, expect, it } from 'vitest';
import { createOcreSystem, VirtualClock } from '../../src/index.ts';
import type { ContainerSpec } from '../../src/index.ts';
import {
  checkHistory,
  combineHooks,
  injectFaults,
  recordHistory,
} from '../../src/testing/index.ts';
import { scripted } from '../fixtures.ts';

describe('live injection (injection.inject)', () => {
  /** Two subscribers under a quick root, live fault control on every container, no plan faults. */
  async function liveSystem() {
    const log: string[] = [];
    const fired: string[] = [];
    const clock = new VirtualClock();
    const injection = injectFaults(
      {
        clock,
        random: () => 0,
        supervisor: { maxRestarts: 10, backoff: { minMs: 10, jitter: 0 } },
        containers: [
          scripted('a', {}, { topics: ['t'], log }),
          scripted('b', {}, { topics: ['t'], log }),
        ],
      },
      { seed: 5, faults: [] },
      { live: true, onFired: (r) => fired.push(`${r.time} ${r.kind} ${r.target}: ${r.detail}`) },
    );
    const recorder = recordHistory();
    const system = createOcreSystem({
      ...injection.options,
      hooks: combineHooks(recorder.hooks, injection.options.hooks),
    });
    recorder.attach(system);
    return { log, fired, clock, injection, system, recorder };
  }

  it('throw arms on the next message of that container only; kill crashes now and is restarted', async () => {
    const { log, fired, clock, injection, system, recorder } = await liveSystem();
    expect(() => injection.inject({ kind: 'kill', container: 'a' })).toThrow(
      /the system has not started yet/,
    );
    await system.start();
    await clock.advance(30);
    expect(injection.inject({ kind: 'throw', container: 'a', nth: 1 })).toBeUndefined();
    system.publish('t', 'text/plain', 'x');
    await system.settle();
    expect(log).toEqual(['b:x']);
    await clock.advance(10); // a's backoff
    system.publish('t', 'text/plain', 'y');
    await system.settle();
    expect(log).toEqual(['b:x', 'a:y', 'b:y']);

    const record = injection.inject({ kind: 'kill', container: 'b' });
    expect(record).toMatchObject({ kind: 'kill', target: 'b', detail: 'crashed at 40 ms' });
    await clock.advance(10);
    expect(system.containers().map((c) => `${c.name} ${c.state} ${c.counters.restarts}`)).toEqual([
      'a running 1',
      'b running 1',
    ]);
    expect(fired).toEqual(['30 throw a: on message 0', '40 kill b: crashed at 40 ms']);
    // The live faults joined the plan: kill with the time it fired at.
    expect(injection.plan.faults).toEqual([
      { kind: 'throw', container: 'a', nth: 1 },
      { kind: 'kill', container: 'b', atMs: 40 },
    ]);
    await clock.drive(system.stop());
    expect(checkHistory(recorder.history)).toEqual([]);
  });

  it('a container the plan does not target keeps its own runtime; a fault armed on it reaches only it', async () => {
    const clock = new VirtualClock();
    const specs = [scripted('a', {}, { topics: ['t'] }), scripted('b', {}, { topics: ['t'] })];
    const plain = specs.map((spec) => spec.runtime());
    const injection = injectFaults(
      { clock, random: () => 0, containers: specs },
      { seed: 1, faults: [{ kind: 'throw', container: 'b', nth: 99 }] },
      { live: true },
    );
    const [specA, specB] = injection.options.containers as [ContainerSpec, ContainerSpec];
    const a = specA.runtime();
    // Untargeted: the container's own runtime object, its shape unchanged (no fault armed).
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(plain[0]));
    expect(Object.keys(a)).toEqual(Object.keys(plain[0] as object));
    // Targeted by the plan: wrapped as before.
    expect(Object.getPrototypeOf(specB.runtime())).not.toBe(Object.getPrototypeOf(plain[1]));

    const { log, clock: liveClock, injection: live, system, recorder } = await liveSystem();
    await system.start();
    live.inject({ kind: 'hang', container: 'a', nth: 2 });
    for (const text of ['1', '2', '3']) system.publish('t', 'text/plain', text);
    await system.settle();
    // a hangs on its second message (3 waits behind it); b never notices.
    expect(log).toEqual(['a:1', 'b:1', 'b:2', 'b:3']);
    // A kill after the hang's restart still finds the new instance.
    await liveClock.advance(5_000 + 10); // the default handler timeout, then a's backoff
    expect(log).toEqual(['a:1', 'b:1', 'b:2', 'b:3', 'a:3']);
    expect(live.inject({ kind: 'kill', container: 'a' })).toMatchObject({ detail: /^crashed/ });
    await liveClock.advance(20); // the second restart's backoff doubles
    expect(system.containers().map((c) => `${c.name} ${c.state} ${c.counters.restarts}`)).toEqual([
      'a running 2',
      'b running 0',
    ]);
    await liveClock.drive(system.stop());
    expect(checkHistory(recorder.history)).toEqual([]);
  });

  it('crash-supervisor acts at once; unknown names and unwrapped containers are refused', async () => {
    const { clock, injection, system } = await liveSystem();
    await system.start();
    expect(() => injection.inject({ kind: 'hang', container: 'nope' })).toThrow(
      'live[0].container: no container named "nope"; known: a, b',
    );
    expect(injection.inject({ kind: 'crash-supervisor', supervisor: 'root' })).toMatchObject({
      kind: 'crash-supervisor',
      detail: 'crashed',
    });
    const stopped = await clock.drive(system.whenStopped);
    expect(stopped.failed).toBe(true);

    const plain = injectFaults({ containers: [scripted('a')] }, { faults: [] });
    expect(() => plain.inject({ kind: 'throw', container: 'a' })).toThrow(
      /"a" was not wrapped; apply the plan with \{ live: true \}/,
    );
  });
});
