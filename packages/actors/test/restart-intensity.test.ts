// Restart intensity and escalation in virtual time: a flat tree, a two-level tree, and the root's failure stopping the system.
import { describe, it, expect } from 'vitest';
import type { ChildSpec, SupervisorSpec } from '../src/index.ts';
import { eventLine, harness, scripted } from './fixtures.ts';

const inner = (options: Partial<SupervisorSpec>, children: ChildSpec[]): SupervisorSpec => ({
  kind: 'supervisor',
  name: 'inner',
  maxRestarts: 1,
  withinMs: 1000,
  ...options,
  children,
});

describe('restart intensity', () => {
  it('more than maxRestarts within withinMs fails the root: the system stops, failed, naming the child and why', async () => {
    const h = harness({
      supervisor: { maxRestarts: 2, withinMs: 1000 },
      containers: [scripted('w'), scripted('other')],
    });
    await h.system.start();
    for (let i = 0; i < 3; i++) {
      h.publish('w', 'boom');
      await h.advance(100);
    }
    const stopped = await h.system.whenStopped;
    expect(stopped.failed).toBe(true);
    expect(stopped.reason).toMatchInlineSnapshot(
      `"supervisor "root" gave up: restart intensity exceeded: more than 2 restarts within 1000 ms (last: "w", handler fault: Error: boom in w)"`,
    );
    expect(h.system.state).toBe('stopped');
    expect(h.eventLines((e) => e.type !== 'message.dead-lettered').slice(-5)).toEqual([
      'container.faulted w',
      'container.stopped other: supervisor "root" failed',
      'container.stopped w: supervisor "root" failed',
      'supervisor.escalated root',
      'system.stopped failed=true',
    ]);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('restarts spread wider than withinMs never exhaust it', async () => {
    const h = harness({
      supervisor: { maxRestarts: 1, withinMs: 1000 },
      containers: [scripted('w')],
    });
    await h.system.start();
    for (let i = 0; i < 5; i++) {
      h.publish('w', 'boom');
      await h.advance(1000);
    }
    expect(h.system.state).toBe('running');
    expect(h.system.container('w').counters.restarts).toBe(5);
    await h.system.stop();
  });

  it('maxRestarts 0 means the first fault fails the supervisor', async () => {
    const h = harness({ supervisor: { maxRestarts: 0 }, containers: [scripted('w')] });
    await h.system.start();
    h.publish('w', 'boom');
    const stopped = await h.system.whenStopped;
    expect(stopped.reason).toContain('more than 0 restarts');
  });
});

describe('escalation through a two-level tree', () => {
  it('a nested supervisor that gives up is restarted by its parent; when the parent gives up, the system stops', async () => {
    const log: string[] = [];
    const h = harness({
      supervisor: { maxRestarts: 1, withinMs: 5000 },
      containers: [
        inner({}, [scripted('w1', {}, { log }), scripted('w2', {}, { log })]),
        scripted('sibling', {}, { log }),
      ],
    });
    await h.system.start();

    // Two faults of w1 within 1 s: inner gives up, stops w2 then w1, and escalates to root.
    h.publish('w1', 'boom');
    await h.advance(10);
    h.publish('w1', 'boom');
    await h.system.settle();
    expect(h.eventLines((e) => e.type !== 'message.dead-lettered').slice(-4)).toEqual([
      'container.faulted w1',
      'container.stopped w2: supervisor "inner" failed',
      'container.stopped w1: supervisor "inner" failed',
      'supervisor.escalated inner',
    ]);
    // Root restarts inner (permanent, directive restart) after its backoff; sibling is untouched.
    await h.advance(10);
    expect(h.system.containers().map((c) => `${c.name} ${c.state}`)).toEqual([
      'w1 running',
      'w2 running',
      'sibling running',
    ]);
    expect(h.system.container('sibling').counters.restarts).toBe(0);
    h.publish('w2', 'hello');
    await h.system.settle();
    expect(log).toEqual(['w2:hello']);

    // Inner gives up again: that is root's second restart within 5 s, more than it allows.
    h.publish('w1', 'boom');
    await h.advance(10);
    h.publish('w1', 'boom');
    const stopped = await h.system.whenStopped;
    expect(stopped.failed).toBe(true);
    expect(stopped.reason).toMatchInlineSnapshot(
      `"supervisor "root" gave up: restart intensity exceeded: more than 1 restarts within 5000 ms (last: "inner", runtime fault: supervisor "inner" gave up: restart intensity exceeded: more than 1 restarts within 1000 ms (last: "w1", handler fault: Error: boom in w1))"`,
    );
    const escalations = h.events.filter((e) => e.type === 'supervisor.escalated');
    expect(escalations.map((e) => `${e.supervisor}←${e.child}`)).toEqual([
      'inner←w1',
      'inner←w1',
      'root←inner',
    ]);
    expect(h.events.at(-1)).toMatchObject({ type: 'system.stopped', failed: true });
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('a nested supervisor with directive escalate makes its parent give up at once', async () => {
    const h = harness({
      containers: [inner({ onFault: 'escalate', maxRestarts: 0 }, [scripted('w1')])],
    });
    await h.system.start();
    h.publish('w1', 'boom');
    const stopped = await h.system.whenStopped;
    expect(stopped.reason).toMatchInlineSnapshot(
      `"supervisor "root" gave up: child "inner" escalated (runtime fault: supervisor "inner" gave up: restart intensity exceeded: more than 0 restarts within 1000 ms (last: "w1", handler fault: Error: boom in w1))"`,
    );
  });

  it('a temporary nested supervisor that gives up stays down: mail for its containers is container-down', async () => {
    const h = harness({
      containers: [
        inner({ restart: 'temporary', maxRestarts: 0 }, [scripted('w1')]),
        scripted('x'),
      ],
    });
    await h.system.start();
    h.publish('w1', 'boom');
    await h.advance(100);
    expect(h.system.state).toBe('running');
    expect(h.system.container('w1').state).toBe('stopped');
    h.publish('w1', 'lost');
    await h.system.settle();
    expect(h.letterLines()).toEqual(['handler-fault w1', 'container-down w1']);
    await h.system.stop();
  });

  it('restarting a nested supervisor as part of a group keeps its containers mail and restarts them in order', async () => {
    const log: string[] = [];
    const h = harness({
      supervisor: { strategy: 'one-for-all', backoff: { minMs: 50 } },
      containers: [
        inner({}, [scripted('w1', {}, { log }), scripted('w2', {}, { log })]),
        scripted('c', {}, { log }),
      ],
    });
    await h.system.start();
    const before = h.events.length;
    h.publish('c', 'boom');
    await h.system.settle();
    h.publish('w1', 'waits');
    await h.system.settle();
    expect(log).toEqual([]);
    expect(h.system.container('w1').mailbox).toBe(1);
    await h.advance(50);
    expect(log).toEqual(['w1:waits']);
    expect(
      h.events
        .slice(before)
        .filter((e) => e.type !== 'message.dead-lettered')
        .map((e) => `${e.time} ${eventLine(e)}`),
    ).toEqual([
      '0 container.faulted c',
      '0 container.restarting c 50ms',
      '0 container.stopped w2: restarting under "root"',
      '0 container.stopped w1: restarting under "root"',
      '50 container.starting w1',
      '50 container.running w1',
      '50 container.starting w2',
      '50 container.running w2',
      '50 container.starting c',
      '50 container.running c',
    ]);
    expect(h.letters.map((l) => l.reason)).toEqual(['handler-fault']);
    await h.system.stop();
  });
});
