// The system's hooks: the tracer sees every message's path and every restart, the interceptor drops or delays deliveries (FIFO per container, never silently), and started hooks can crash a supervisor.
import { describe, expect, it } from 'vitest';
import { createOcreSystem, VirtualClock } from '../src/index.ts';
import type { DeliveryInterceptor, SystemControls, SystemTracer } from '../src/index.ts';
import { harness, scripted } from './fixtures.ts';

/** A tracer writing one line per call. */
function lineTracer(lines: string[]): SystemTracer {
  return {
    accepted: (m, publisher) => lines.push(`accepted ${m.mid} ${m.topic} from ${publisher}`),
    routed: (m, subscribers) => lines.push(`routed ${m.mid} to [${subscribers.join(', ')}]`),
    delivered: (m, container) => lines.push(`delivered ${m.mid} to ${container}`),
    supervisorStarted: (name) => lines.push(`supervisor ${name} started`),
    restartDecided: (d) =>
      lines.push(`restart ${d.child} by ${d.supervisor} (${d.maxRestarts}/${d.withinMs} ms)`),
  };
}

describe('the tracer', () => {
  it('sees accepts in id order with their publisher, matches, deliveries, dead letters and restarts', async () => {
    const lines: string[] = [];
    const h = harness({
      containers: [scripted('a', {}, { topics: ['t'] }), scripted('b', {}, { topics: ['t', 'u'] })],
      hooks: { tracer: lineTracer(lines) },
    });
    await h.system.start();
    h.publish('t', 'one');
    h.publish('u', 'boom');
    h.publish('nobody', 'x');
    await h.advance(10);
    expect(lines).toEqual([
      'supervisor root started',
      'accepted 0 t from system',
      'routed 0 to [a, b]',
      'accepted 1 u from system',
      'routed 1 to [b]',
      'accepted 2 nobody from system',
      'routed 2 to []',
      'delivered 0 to a',
      'delivered 0 to b',
      'restart b by root (3/5000 ms)',
    ]);
    await h.system.stop();
  });
});

describe('the delivery interceptor', () => {
  const setup = (intercept: DeliveryInterceptor, mailboxCapacity = 100) => {
    const log: string[] = [];
    const h = harness({
      messaging: { mailboxCapacity },
      containers: [
        scripted('a', {}, { topics: ['t'], log }),
        scripted('b', {}, { topics: ['t'], log }),
      ],
      hooks: { intercept },
    });
    return { h, log };
  };

  it('drops a delivery as a `dropped` dead letter, never silently', async () => {
    const { h, log } = setup((m, container) =>
      container === 'b' && m.mid === 1n ? 'drop' : 'deliver',
    );
    await h.system.start();
    for (const text of ['0', '1', '2']) h.publish('t', text);
    await h.system.settle();
    expect(log).toEqual(['a:0', 'a:1', 'a:2', 'b:0', 'b:2']);
    expect(h.letters).toEqual([
      expect.objectContaining({ reason: 'dropped', container: 'b', handler: 'on_message' }),
    ]);
    const { counters } = await h.system.stop();
    expect(counters.delivered + counters.deadLettered).toBe(6);
  });

  it('delays a delivery on the system clock; later ones to the same container wait behind it (FIFO)', async () => {
    const { h, log } = setup((m, container) =>
      container === 'b' && m.mid === 0n ? 50 : 'deliver',
    );
    await h.system.start();
    for (const text of ['0', '1']) h.publish('t', text);
    await h.system.settle(); // returns: the held deliveries wait on time
    expect(log).toEqual(['a:0', 'a:1']);
    expect(h.system.counters().inFlight).toBe(2);
    await h.advance(49);
    expect(log).toEqual(['a:0', 'a:1']);
    await h.advance(1);
    expect(log).toEqual(['a:0', 'a:1', 'b:0', 'b:1']);
    await h.system.stop();
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('a stop lets held deliveries through within its drain time, and dead-letters the rest as shutdown', async () => {
    const { h, log } = setup((_m, container) => (container === 'b' ? 1000 : 'deliver'));
    await h.system.start();
    h.publish('t', '0');
    const stopped = await h.clock.drive(h.system.stop({ timeoutMs: 100 }));
    expect(log).toEqual(['a:0']);
    expect(h.letterLines()).toEqual(['shutdown b']);
    expect(stopped.counters.inFlight).toBe(0);
    expect(h.clock.pendingTimers).toBe(0);
  });
});

describe('started and stopping hooks', () => {
  it('hand over controls that can crash a supervisor, and are told when the stop begins', async () => {
    let controls: SystemControls | undefined;
    const calls: string[] = [];
    const clock = new VirtualClock();
    const system = createOcreSystem({
      clock,
      random: () => 0,
      onOutput: () => undefined,
      containers: [
        {
          kind: 'supervisor',
          name: 'inner',
          children: [scripted('a')],
        },
      ],
      hooks: {
        started: (given) => {
          controls = given;
          calls.push('started');
        },
        stopping: () => calls.push('stopping'),
      },
    });
    const escalations: string[] = [];
    system.events$.subscribe((e) => {
      if (e.type === 'supervisor.escalated') escalations.push(`${e.supervisor}: ${e.reason}`);
    });
    await system.start();
    expect(controls?.clock).toBe(clock);
    expect(controls?.crashSupervisor('nobody', 'x')).toBe(false);
    expect(controls?.crashSupervisor('inner', 'chaos')).toBe(true);
    await clock.advance(0); // its children stop on their own turns
    expect(escalations).toEqual(['inner: chaos']);
    await clock.advance(10); // the root restarts "inner" after its backoff
    await system.settle();
    expect(system.container('a').state).toBe('running');
    await system.stop();
    expect(calls).toEqual(['started', 'stopping']);
  });

  it('hand over a control that crashes a running container as a dead runtime would', async () => {
    let controls: SystemControls | undefined;
    const clock = new VirtualClock();
    const system = createOcreSystem({
      clock,
      random: () => 0,
      supervisor: { backoff: { minMs: 10, jitter: 0 } },
      containers: [scripted('a')],
      hooks: { started: (given) => (controls = given) },
    });
    const faults: string[] = [];
    system.events$.subscribe((e) => {
      if (e.type === 'container.faulted') faults.push(`${e.container} ${e.phase}: ${e.error}`);
    });
    await system.start();
    let made = 0;
    const error = () => new Error(`crash ${++made}`);
    expect(controls?.crashContainer('nobody', error)).toBe(false);
    expect(controls?.crashContainer('a', error)).toBe(true);
    expect(controls?.crashContainer('a', error)).toBe(false); // no longer running
    expect(made).toBe(1);
    expect(faults).toEqual(['a runtime: Error: crash 1']);
    await clock.advance(10);
    expect(system.container('a')).toMatchObject({ state: 'running' });
    expect(system.container('a').counters.restarts).toBe(1);
    await system.stop();
  });

  it('must be an object', () => {
    expect(() => createOcreSystem({ containers: [], hooks: 3 as never })).toThrow(
      'hooks must be an object of tracer, intercept, started, stopping, got 3',
    );
  });
});
