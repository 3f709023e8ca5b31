// The container actor's faults: start faults, start and handler timeouts (unresponsive), runtime faults, permanent faults, interrupted handlers.
import { describe, it, expect } from 'vitest';
import type { ContainerRuntime, ContainerSpec, RuntimeHost } from '../src/index.ts';
import { harness, scripted, typesOf } from './fixtures.ts';

/** A container whose runtime the test drives by hand through the host it was started with. */
function manual(
  name: string,
  runtime: Partial<ContainerRuntime> = {},
  extra: Partial<ContainerSpec> = {},
) {
  const hosts: RuntimeHost[] = [];
  const spec: ContainerSpec = {
    kind: 'container',
    name,
    ...extra,
    runtime: () => ({
      start: (host) => {
        hosts.push(host);
        return Promise.resolve();
      },
      deliver: () => undefined,
      hasHandler: () => true,
      stop: () => Promise.resolve(),
      kill: () => undefined,
      ...runtime,
    }),
  };
  return { spec, hosts };
}

describe('start faults', () => {
  it('init that throws is a start fault: restarted after backoff until it starts', async () => {
    const h = harness({
      containers: [scripted('flaky', {}, { failStarts: (attempt) => attempt <= 2 })],
    });
    await h.system.start();
    expect(h.system.container('flaky').state).toBe('restarting');
    await h.advance(10);
    await h.advance(20);
    expect(h.system.container('flaky').state).toBe('running');
    expect(typesOf(h.events, 'flaky')).toEqual([
      'container.starting',
      'container.faulted',
      'container.restarting',
      'container.starting',
      'container.faulted',
      'container.restarting',
      'container.starting',
      'container.running',
    ]);
    expect(h.events.find((e) => e.type === 'container.faulted')).toMatchObject({
      phase: 'start',
      error: 'Error: init failed (1)',
    });
    await h.system.stop();
  });

  it('a start that never becomes ready is unresponsive after startTimeoutMs, then restarted', async () => {
    let starts = 0;
    const { spec } = manual(
      'slow',
      { start: () => (++starts === 1 ? new Promise<void>(() => undefined) : Promise.resolve()) },
      { startTimeoutMs: 300 },
    );
    const h = harness({ containers: [spec] });
    const started = h.system.start();
    await h.clock.drive(started);
    await h.advance(10);
    expect(h.system.container('slow').state).toBe('running');
    expect(
      h.eventLines((e) => e.type !== 'container.starting' && e.type !== 'container.running'),
    ).toEqual([
      'container.unresponsive slow',
      'container.faulted slow',
      'container.restarting slow 10ms',
    ]);
    expect(h.events.find((e) => e.type === 'container.unresponsive')?.time).toBe(300);
    await h.system.stop();
  });
});

describe('exits during init', () => {
  it('a transient container that exits normally from init is stopped, not restarted', async () => {
    const h = harness({
      containers: [
        {
          ...scripted('once', { restart: 'transient' }),
          runtime: () => ({
            start: (host) => {
              host.exited(0, true);
              return Promise.resolve();
            },
            deliver: () => undefined,
            hasHandler: () => false,
            stop: () => Promise.resolve(),
            kill: () => undefined,
          }),
        },
      ],
    });
    await h.system.start();
    await h.advance(100);
    expect(h.system.container('once').state).toBe('stopped');
    expect(h.eventLines()).toEqual([
      'container.starting once',
      'container.exited once',
      'container.stopped once: exited normally; a transient child is not restarted',
    ]);
    await h.system.stop();
  });

  it('a container that can never start exhausts intensity during start(): the system stops, failed', async () => {
    const h = harness({
      supervisor: { maxRestarts: 2 },
      containers: [scripted('broken', {}, { failStarts: () => true })],
    });
    await h.system.start();
    await h.advance(10);
    await h.advance(20);
    const stopped = await h.system.whenStopped;
    expect(stopped.reason).toMatchInlineSnapshot(
      `"supervisor "root" gave up: restart intensity exceeded: more than 2 restarts within 5000 ms (last: "broken", start fault: Error: init failed (3))"`,
    );
    expect(h.system.container('broken').counters).toMatchObject({ faults: 3, restarts: 2 });
  });
});

describe('handler faults', () => {
  it('an async handler that rejects is a handler fault; its message a handler-fault dead letter', async () => {
    const log: string[] = [];
    const h = harness({ containers: [scripted('a', {}, { log })] });
    await h.system.start();
    h.publish('a', 'reject');
    h.publish('a', 'after');
    await h.advance(10);
    expect(log).toEqual(['a:after']);
    expect(h.letters.map((l) => `${l.reason} ${l.error ?? ''}`)).toEqual([
      'handler-fault Error: rejected in a',
    ]);
    expect(h.events.find((e) => e.type === 'container.faulted')).toMatchObject({
      phase: 'handler',
      mid: 0n,
    });
    expect(h.system.container('a').counters).toMatchObject({
      faults: 1,
      restarts: 1,
      delivered: 1,
    });
    await h.system.stop();
  });

  it('an async handler that does not settle within handlerTimeoutMs makes the container unresponsive: restarted', async () => {
    const log: string[] = [];
    const h = harness({ containers: [scripted('a', { handlerTimeoutMs: 1000 }, { log })] });
    await h.system.start();
    h.publish('a', 'hang');
    h.publish('a', 'next');
    await h.advance(999);
    expect(h.system.container('a').state).toBe('running');
    await h.advance(1);
    expect(h.system.container('a').state).toBe('restarting');
    await h.advance(10);
    expect(log).toEqual(['a:next']);
    expect(h.eventLines((e) => e.time >= 1000)).toEqual([
      'message.dead-lettered handler-fault a',
      'container.unresponsive a',
      'container.faulted a',
      'container.restarting a 10ms',
      'container.starting a',
      'container.running a',
    ]);
    expect(h.letters[0]?.error).toBe('handler "on_message" did not settle within 1000 ms');
    await h.system.stop();
  });

  it('an async handler interrupted by a sibling restart (one-for-all) dead-letters its message as container-down', async () => {
    const h = harness({
      supervisor: { strategy: 'one-for-all' },
      containers: [scripted('busy'), scripted('faulty')],
    });
    await h.system.start();
    h.publish('busy', 'hang');
    await h.system.settle();
    h.publish('faulty', 'boom');
    await h.advance(10);
    expect(h.letters.map((l) => `${l.reason} ${l.container ?? ''} ${l.error ?? ''}`)).toEqual([
      'handler-fault faulty Error: boom in faulty',
      'container-down busy its handler was interrupted',
    ]);
    expect(h.system.counters()).toMatchObject({ published: 2, delivered: 0, deadLettered: 2 });
    await h.system.stop();
  });
});

describe('runtime faults', () => {
  it('a fault reported outside a handler restarts the container; reports from an old instance are ignored', async () => {
    const { spec, hosts } = manual('w');
    const h = harness({ containers: [spec] });
    await h.system.start();
    hosts[0]?.fault({ phase: 'runtime', error: new Error('worker died') });
    await h.advance(10);
    expect(hosts).toHaveLength(2);
    hosts[0]?.fault({ phase: 'runtime', error: 'stale' });
    hosts[0]?.exited(1, true);
    await h.system.settle();
    expect(h.system.container('w')).toMatchObject({
      state: 'running',
      lastError: 'Error: worker died',
    });
    expect(h.system.container('w').counters).toMatchObject({ faults: 1, restarts: 1 });
    await h.system.stop();
  });

  it('main returning 0 is informational; a non-zero return is a fault', async () => {
    const { spec, hosts } = manual('w');
    const h = harness({ containers: [spec] });
    await h.system.start();
    hosts[0]?.exited(0);
    await h.system.settle();
    expect(h.system.container('w').state).toBe('running');
    hosts[0]?.exited(2);
    await h.advance(10);
    expect(typesOf(h.events, 'w').slice(2)).toEqual([
      'container.exited',
      'container.exited',
      'container.faulted',
      'container.restarting',
      'container.starting',
      'container.running',
    ]);
    expect(h.system.container('w').lastError).toBe('exited with code 2');
    await h.system.stop();
  });

  it('a permanent fault fails the container at once, without restart, whatever its restart type', async () => {
    const { spec, hosts } = manual('bad', {}, { restart: 'permanent' });
    const h = harness({ containers: [spec, scripted('ok')] });
    await h.system.start();
    hosts[0]?.fault({ phase: 'start', error: new Error('malformed module'), permanent: true });
    await h.advance(1000);
    expect(h.system.container('bad').state).toBe('failed');
    expect(h.system.container('bad').counters.restarts).toBe(0);
    expect(h.events.find((e) => e.type === 'container.failed')).toMatchObject({
      container: 'bad',
      reason: 'cannot be restarted (start fault: Error: malformed module)',
    });
    expect(h.system.state).toBe('running');
    await h.system.stop();
  });

  it('a hang the runtime reports (unresponsive) kills and restarts the instance', async () => {
    const { spec, hosts } = manual('w');
    const h = harness({ containers: [spec] });
    await h.system.start();
    hosts[0]?.fault({ phase: 'handler', error: 'no yield in 5 s', unresponsive: true });
    await h.advance(10);
    expect(typesOf(h.events, 'w').slice(2)).toEqual([
      'container.unresponsive',
      'container.faulted',
      'container.restarting',
      'container.starting',
      'container.running',
    ]);
    await h.system.stop();
  });
});
