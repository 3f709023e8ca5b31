// The lazy container lifecycle: a synchronous start stays plain data, and every path off it (a fault during init, an async or hanging init, a restart, a stop) behaves as the machine always did.
import { describe, it, expect } from 'vitest';
import { defineContainer } from '../src/index.ts';
import { harness, scripted, typesOf } from './fixtures.ts';

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
});
