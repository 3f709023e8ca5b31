// The shared actor root: container actors are its children, errors they raise are reported, and retiring one stops it with its timers.
import { describe, expect, it } from 'vitest';
import { createActor, setup } from 'xstate';
import { createActorRoot, retireActor } from '../src/container/actor-root.ts';
import { VirtualClock } from '../src/index.ts';

const waiting = setup({}).createMachine({
  initial: 'waiting',
  states: { waiting: { after: { 1000: 'done' } }, done: {} },
});

describe('actor root', () => {
  it('retiring a child stops it and cancels its timers; its siblings run on', async () => {
    const clock = new VirtualClock();
    const root = createActorRoot(clock, () => undefined);
    const retired = createActor(waiting, { parent: root }).start();
    const sibling = createActor(waiting, { parent: root }).start();
    let completed = false;
    retired.subscribe({ complete: () => (completed = true) });
    expect(clock.pendingTimers).toBe(2);
    // xstate refuses to stop a child directly: only its parent may.
    expect(() => retired.stop()).toThrow(/non-root actor cannot be stopped directly/);

    retireActor(root, retired);
    expect(retired.getSnapshot().status).toBe('stopped');
    expect(completed).toBe(true);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(1000);
    expect(sibling.getSnapshot().value).toBe('done');
    root.stop();
  });

  it('reports an error a child raises', () => {
    const errors: unknown[] = [];
    const root = createActorRoot(new VirtualClock(), (error, where) => errors.push([error, where]));
    const failing = setup({}).createMachine({
      entry: () => {
        throw new Error('entry failed');
      },
    });
    createActor(failing, { parent: root }).start();
    expect(errors).toEqual([[new Error('entry failed'), 'a container actor']]);
    root.stop();
  });
});
