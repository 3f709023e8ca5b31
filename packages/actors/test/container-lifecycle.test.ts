// The lazy container lifecycle: a synchronous start and stop stay plain data, and every path off it (a fault during init, an async or hanging init or stop, a restart) behaves as the machine always did.
import { describe, it, expect } from 'vitest';
import { defineContainer } from '../src/index.ts';
import type { ContainerRuntime } from '../src/index.ts';
import { eventLine, harness, scripted, typesOf } from './fixtures.ts';

/** A runtime that starts at once and whose synchronous stop goes async: it settles when `release` is called. */
function asyncStopRuntime(calls: string[]) {
  let release = (): void => undefined;
  const runtime = (): ContainerRuntime => ({
    start: () => Promise.resolve(),
    startSync: () => {
      calls.push('start');
      return undefined;
    },
    deliver: () => undefined,
    hasHandler: () => false,
    stop: () => Promise.resolve(),
    stopSync: () => {
      calls.push('stop');
      return new Promise<void>((resolve) => (release = resolve));
    },
    kill: () => {
      calls.push('kill');
    },
  });
  return { runtime, release: () => release() };
}

describe('a container started synchronously', () => {
  it('that exits with a fault code during its first init is faulted, restarted, and counts attempts on', async () => {
    let inits = 0;
    const spec = defineContainer({
      name: 'early',
      init(api, ctx) {
        inits++;
        api.ocre_msg_system_init();
        api.ocre_subscribe_message('early', 'on');
        if (inits === 1) ctx.exit(3);
      },
      handlers: { on: () => undefined },
    });
    const h = harness({ containers: [spec] });
    await h.system.start();
    expect(h.system.container('early').state).toBe('restarting');
    await h.advance(10);
    expect(h.system.container('early').state).toBe('running');
    expect(typesOf(h.events, 'early')).toEqual([
      'container.starting',
      'container.exited',
      'container.faulted',
      'container.restarting',
      'container.starting',
      'container.running',
    ]);
    const attempts = h.events.flatMap((e) => (e.type === 'container.starting' ? [e.attempt] : []));
    expect(attempts).toEqual([1, 2]);
    expect(h.events.find((e) => e.type === 'container.faulted')).toMatchObject({
      error: 'exited with code 3',
    });
    await h.system.stop();
  });

  it('whose init returns a promise that never settles is unresponsive after startTimeoutMs', async () => {
    let inits = 0;
    const spec = defineContainer(
      {
        name: 'stuck',
        init: () => (++inits === 1 ? new Promise<void>(() => undefined) : Promise.resolve()),
      },
      { startTimeoutMs: 200 },
    );
    const h = harness({ containers: [spec] });
    const started = h.system.start();
    await h.clock.drive(started);
    await h.advance(10);
    expect(h.system.container('stuck').state).toBe('running');
    expect(typesOf(h.events, 'stuck')).toEqual([
      'container.starting',
      'container.unresponsive',
      'container.faulted',
      'container.restarting',
      'container.starting',
      'container.running',
    ]);
    expect(h.events.find((e) => e.type === 'container.unresponsive')?.time).toBe(200);
    await h.system.stop();
  });

  it('keeps its mailbox through a restart and counts the restart', async () => {
    const log: string[] = [];
    const h = harness({ containers: [scripted('plain', {}, { log })] });
    await h.system.start();
    h.publish('plain', 'boom');
    h.publish('plain', 'after');
    await h.advance(10);
    expect(log).toEqual(['plain:after']);
    expect(h.system.container('plain').counters.restarts).toBe(1);
    expect(h.letterLines()).toEqual(['handler-fault plain']);
    await h.system.stop();
  });

  it('stopped while running plain: waiting mail is drained first, then stopped in reverse start order', async () => {
    const log: string[] = [];
    const h = harness({ containers: [scripted('a', {}, { log }), scripted('b', {}, { log })] });
    await h.system.start();
    h.publish('a', 'late');
    await h.system.stop();
    const stops = h.events.flatMap((e) => (e.type === 'container.stopped' ? [e.container] : []));
    expect(stops).toEqual(['b', 'a']);
    expect(log).toEqual(['a:late']);
    expect(h.letterLines()).toEqual([]);
  });

  it('with a handler still in progress at a system stop: the stop waits for its handler timeout, then says stopped once', async () => {
    const never = defineContainer({
      name: 'busy',
      init(api) {
        api.ocre_msg_system_init();
        api.ocre_subscribe_message('busy', 'on');
      },
      handlers: { on: () => new Promise<void>(() => undefined) },
    });
    const h = harness({ containers: [never] });
    await h.system.start();
    h.publish('busy', 'forever');
    await h.advance(0);
    await h.clock.drive(h.system.stop());
    expect(h.letterLines()).toEqual(['handler-fault busy']);
    expect(h.eventLines((e) => e.type === 'container.stopped')).toEqual([
      'container.stopped busy: stop requested',
    ]);
    expect(h.system.container('busy').state).toBe('stopped');
    expect(h.system.counters()).toMatchObject({ published: 1, delivered: 0, deadLettered: 1 });
  });

  it('whose synchronous stop goes async is stopped by the machine when it settles', async () => {
    const calls: string[] = [];
    const slow = asyncStopRuntime(calls);
    const h = harness({ containers: [{ kind: 'container', name: 'slow', runtime: slow.runtime }] });
    await h.system.start();
    expect(h.system.container('slow').state).toBe('running');
    const stopped = h.system.stop();
    await h.advance(50);
    expect(h.system.container('slow').state).toBe('stopping');
    expect(typesOf(h.events, 'slow')).not.toContain('container.stopped');
    slow.release();
    await stopped;
    expect(calls).toEqual(['start', 'stop']);
    expect(
      h.events
        .filter((e) => e.type === 'container.stopped')
        .map((e) => `${e.time} ${eventLine(e)}`),
    ).toEqual(['50 container.stopped slow: stop requested']);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('whose synchronous stop never settles is killed after its shutdown timeout', async () => {
    const calls: string[] = [];
    const h = harness({
      containers: [
        {
          kind: 'container',
          name: 'stuck',
          runtime: asyncStopRuntime(calls).runtime,
          shutdownTimeoutMs: 200,
        },
      ],
    });
    await h.system.start();
    await h.clock.drive(h.system.stop({ reason: 'maintenance' }));
    expect(calls).toEqual(['start', 'stop', 'kill']);
    expect(
      h.events
        .filter((e) => e.type === 'container.stopped')
        .map((e) => `${e.time} ${eventLine(e)}`),
    ).toEqual(['200 container.stopped stuck: maintenance (killed: did not stop within 200 ms)']);
  });
});
