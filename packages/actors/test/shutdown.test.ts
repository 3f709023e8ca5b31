// Graceful stop: drain, reverse start order through nested trees, per-child shutdown timeout then forced stop, nothing left running.
import { describe, it, expect } from 'vitest';
import { defineContainer } from '../src/index.ts';
import type { SupervisorSpec } from '../src/index.ts';
import { eventLine, hangingStopRuntime, harness, scripted } from './fixtures.ts';

describe('system.stop', () => {
  it('stops children in reverse start order, nested trees too', async () => {
    const nested: SupervisorSpec = {
      kind: 'supervisor',
      name: 'inner',
      children: [scripted('b'), scripted('c')],
    };
    const h = harness({ containers: [scripted('a'), nested, scripted('d')] });
    await h.system.start();
    expect(h.eventLines((e) => e.type === 'container.starting')).toEqual([
      'container.starting a',
      'container.starting b',
      'container.starting c',
      'container.starting d',
    ]);
    const stopped = await h.system.stop();
    expect(stopped).toMatchObject({ reason: 'stop requested', failed: false });
    expect(
      h.eventLines((e) => e.type === 'container.stopped' || e.type === 'system.stopped'),
    ).toEqual([
      'container.stopped d: stop requested',
      'container.stopped c: stop requested',
      'container.stopped b: stop requested',
      'container.stopped a: stop requested',
      'system.stopped failed=false',
    ]);
    expect(await h.system.whenStopped).toBe(stopped);
    expect(h.system.stop()).toBe(h.system.stop());
  });

  it('gives each child its shutdown timeout, then kills it and moves on', async () => {
    const calls: string[] = [];
    const stuck = {
      kind: 'container' as const,
      name: 'stuck',
      runtime: hangingStopRuntime(calls),
      shutdownTimeoutMs: 200,
    };
    const h = harness({ containers: [scripted('first'), stuck, scripted('last')] });
    await h.system.start();
    const stopped = await h.clock.drive(h.system.stop({ reason: 'maintenance' }));
    expect(stopped.reason).toBe('maintenance');
    expect(calls).toEqual(['start', 'stop', 'kill']);
    expect(
      h.events
        .filter((e) => e.type === 'container.stopped')
        .map((e) => `${e.time} ${eventLine(e)}`),
    ).toEqual([
      '0 container.stopped last: maintenance',
      '200 container.stopped stuck: maintenance (killed: did not stop within 200 ms)',
      '200 container.stopped first: maintenance',
    ]);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('drains queued mail first; mail of a container in backoff becomes shutdown dead letters', async () => {
    const log: string[] = [];
    const h = harness({
      supervisor: { backoff: { minMs: 1000 } },
      containers: [scripted('ok', {}, { log }), scripted('down', {}, { log })],
    });
    await h.system.start();
    h.publish('down', 'boom');
    await h.system.settle();
    h.publish('down', 'waits-in-backoff');
    h.publish('ok', 'one');
    h.publish('ok', 'two');
    const stopped = await h.system.stop();
    expect(log).toEqual(['ok:one', 'ok:two']);
    expect(h.letterLines()).toEqual(['handler-fault down', 'shutdown down']);
    expect(stopped.counters).toMatchObject({ published: 4, delivered: 2, deadLettered: 2 });
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('refuses publishes once stopping (SHUTTING_DOWN) and counts them rejected', async () => {
    const h = harness({ containers: [scripted('a')] });
    await h.system.start();
    const stopping = h.system.stop();
    expect(h.publish('a', 'late')).toBe('SHUTTING_DOWN');
    const stopped = await stopping;
    expect(stopped.counters).toMatchObject({ published: 0, rejected: 1 });
    expect(h.publish('a', 'later')).toBe('SHUTTING_DOWN');
  });

  it('waits for a pending handler up to timeoutMs of the system clock, then dead-letters its message', async () => {
    const h = harness({ containers: [scripted('a', { handlerTimeoutMs: 60_000 })] });
    await h.system.start();
    h.publish('a', 'hang');
    await h.system.settle();
    const stopped = await h.clock.drive(h.system.stop({ timeoutMs: 100 }));
    expect(h.events.find((e) => e.type === 'container.stopped')?.time).toBe(100);
    expect(h.letters.map((l) => `${l.reason}: ${l.error ?? ''}`)).toEqual([
      'shutdown: its handler was interrupted',
    ]);
    expect(stopped.counters).toMatchObject({ published: 1, delivered: 0, deadLettered: 1 });
  });

  it('leaves no timer behind: restarts pending, handler timers, metrics$ all end with the system', async () => {
    const h = harness({
      supervisor: { backoff: { minMs: 5000 } },
      containers: [scripted('backoff'), scripted('hung', { handlerTimeoutMs: 10_000 })],
    });
    let metricsDone = false;
    h.system.metrics$(50).subscribe({ complete: () => (metricsDone = true) });
    await h.system.start();
    h.publish('backoff', 'boom');
    h.publish('hung', 'hang');
    await h.system.settle();
    expect(h.clock.pendingTimers).toBeGreaterThanOrEqual(3);
    await h.system.stop({ timeoutMs: 0 });
    expect(h.clock.pendingTimers).toBe(0);
    expect(metricsDone).toBe(true);
    await h.clock.advance(60_000);
    expect(h.events.at(-1)?.type).toBe('system.stopped');
  });

  it('stops a system that never started', async () => {
    const h = harness({ containers: [scripted('a')] });
    const stopped = await h.system.stop();
    expect(stopped.failed).toBe(false);
    expect(h.system.state).toBe('stopped');
    await expect(h.system.start()).rejects.toMatchObject({ code: 'ALREADY_STARTED' });
  });

  it('a TypeScript container that rejects in stop is killed, not left hanging', async () => {
    const calls: string[] = [];
    const h = harness({
      containers: [
        {
          ...defineContainer({ name: 'bad-stop' }),
          runtime: () => ({
            start: () => Promise.resolve(),
            deliver: () => undefined,
            hasHandler: () => false,
            stop: () => {
              calls.push('stop');
              return Promise.reject(new Error('cannot stop'));
            },
            kill: () => {
              calls.push('kill');
            },
          }),
        },
      ],
    });
    await h.system.start();
    await h.system.stop();
    expect(calls).toEqual(['stop', 'kill']);
    expect(h.system.container('bad-stop').state).toBe('stopped');
    expect(h.eventLines((event) => event.type === 'container.stopped')).toEqual([
      'container.stopped bad-stop: stop requested',
    ]);
  });
});
