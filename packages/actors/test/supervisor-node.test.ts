// Supervision semantics in virtual time: every strategy × restart type × directive, and normal versus abnormal exits.
import { describe, it, expect } from 'vitest';
import type { FaultDirective, RestartType, SupervisionStrategy } from '../src/index.ts';
import { harness, scripted, typesOf } from './fixtures.ts';

/**
 * Three containers a, b, c (all permanent, directive restart) except b, which gets the row's
 * restart type and directive. b's handler throws; while the decision plays out, one more message
 * goes to each container. Columns:
 * - restarted: the containers restarted (counters.restarts = 1);
 * - states: a, b, c once backoff (10 ms) has elapsed;
 * - b's events after the fault;
 * - b's dead letters (the faulting message, then the follow-up);
 * - system: running, or failed (the root gave up).
 */
const table = `
strategy      restart    directive  restarted  states                   events of b after the fault             dead letters of b            system
one-for-one   permanent  restart    b          running,running,running  faulted,restarting,starting,running     handler-fault                running
one-for-one   transient  restart    b          running,running,running  faulted,restarting,starting,running     handler-fault                running
one-for-one   temporary  restart    -          running,failed,running   faulted,failed                          handler-fault,container-down running
one-for-one   permanent  resume     -          running,running,running  faulted,running                         handler-fault                running
one-for-one   transient  resume     -          running,running,running  faulted,running                         handler-fault                running
one-for-one   temporary  resume     -          running,running,running  faulted,running                         handler-fault                running
one-for-one   permanent  stop       -          running,stopped,running  faulted,stopped                         handler-fault,container-down running
one-for-one   transient  stop       -          running,stopped,running  faulted,stopped                         handler-fault,container-down running
one-for-one   temporary  stop       -          running,stopped,running  faulted,stopped                         handler-fault,container-down running
one-for-one   permanent  escalate   -          stopped,stopped,stopped  faulted,stopped                         handler-fault                failed
one-for-one   transient  escalate   -          stopped,stopped,stopped  faulted,stopped                         handler-fault                failed
one-for-one   temporary  escalate   -          stopped,stopped,stopped  faulted,stopped                         handler-fault                failed
one-for-all   permanent  restart    a,b,c      running,running,running  faulted,restarting,starting,running     handler-fault                running
one-for-all   transient  restart    a,b,c      running,running,running  faulted,restarting,starting,running     handler-fault                running
one-for-all   temporary  restart    -          running,failed,running   faulted,failed                          handler-fault,container-down running
one-for-all   permanent  resume     -          running,running,running  faulted,running                         handler-fault                running
one-for-all   transient  resume     -          running,running,running  faulted,running                         handler-fault                running
one-for-all   temporary  resume     -          running,running,running  faulted,running                         handler-fault                running
one-for-all   permanent  stop       -          running,stopped,running  faulted,stopped                         handler-fault,container-down running
one-for-all   transient  stop       -          running,stopped,running  faulted,stopped                         handler-fault,container-down running
one-for-all   temporary  stop       -          running,stopped,running  faulted,stopped                         handler-fault,container-down running
one-for-all   permanent  escalate   -          stopped,stopped,stopped  faulted,stopped                         handler-fault                failed
one-for-all   transient  escalate   -          stopped,stopped,stopped  faulted,stopped                         handler-fault                failed
one-for-all   temporary  escalate   -          stopped,stopped,stopped  faulted,stopped                         handler-fault                failed
rest-for-one  permanent  restart    b,c        running,running,running  faulted,restarting,starting,running     handler-fault                running
rest-for-one  transient  restart    b,c        running,running,running  faulted,restarting,starting,running     handler-fault                running
rest-for-one  temporary  restart    -          running,failed,running   faulted,failed                          handler-fault,container-down running
rest-for-one  permanent  resume     -          running,running,running  faulted,running                         handler-fault                running
rest-for-one  transient  resume     -          running,running,running  faulted,running                         handler-fault                running
rest-for-one  temporary  resume     -          running,running,running  faulted,running                         handler-fault                running
rest-for-one  permanent  stop       -          running,stopped,running  faulted,stopped                         handler-fault,container-down running
rest-for-one  transient  stop       -          running,stopped,running  faulted,stopped                         handler-fault,container-down running
rest-for-one  temporary  stop       -          running,stopped,running  faulted,stopped                         handler-fault,container-down running
rest-for-one  permanent  escalate   -          stopped,stopped,stopped  faulted,stopped                         handler-fault                failed
rest-for-one  transient  escalate   -          stopped,stopped,stopped  faulted,stopped                         handler-fault                failed
rest-for-one  temporary  escalate   -          stopped,stopped,stopped  faulted,stopped                         handler-fault                failed
`;

interface Row {
  readonly strategy: SupervisionStrategy;
  readonly restart: RestartType;
  readonly directive: FaultDirective;
  readonly restarted: string[];
  readonly states: string[];
  readonly events: string[];
  readonly letters: string[];
  readonly system: 'running' | 'failed';
}

const list = (cell: string): string[] => (cell === '-' ? [] : cell.split(','));

const rows: Row[] = table
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [strategy, restart, directive, restarted, states, events, letters, system] = line.split(
      /\s+/,
    ) as [string, string, string, string, string, string, string, string];
    return {
      strategy: strategy as SupervisionStrategy,
      restart: restart as RestartType,
      directive: directive as FaultDirective,
      restarted: list(restarted),
      states: list(states),
      events: list(events).map((type) => `container.${type}`),
      letters: list(letters),
      system: system as Row['system'],
    };
  });

describe('supervision table: strategy × restart type × directive', () => {
  it('covers every combination once', () => {
    expect(rows).toHaveLength(36);
    const keys = new Set(rows.map((row) => `${row.strategy} ${row.restart} ${row.directive}`));
    expect(keys.size).toBe(36);
  });

  it.each(rows)(
    '$strategy / $restart / $directive → restarted [$restarted], b $events',
    async (row) => {
      const log: string[] = [];
      const h = harness({
        supervisor: { strategy: row.strategy },
        containers: [
          scripted('a', {}, { log }),
          scripted('b', { restart: row.restart, onFault: row.directive }, { log }),
          scripted('c', {}, { log }),
        ],
      });
      await h.system.start();
      expect(typeof h.publish('b', 'boom')).toBe('bigint');
      await h.system.settle();
      const followUps = ['a', 'b', 'c'].map((name) => h.publish(name, `after-${name}`));
      await h.advance(10);

      const names = ['a', 'b', 'c'];
      const restarted = names.filter((name) => h.system.container(name).counters.restarts > 0);
      expect(restarted).toEqual(row.restarted);
      const sinceFault = h.events.slice(h.events.findIndex((e) => e.type === 'container.faulted'));
      expect(typesOf(sinceFault, 'b').filter((type) => type.startsWith('container.'))).toEqual(
        row.events,
      );
      if (row.system === 'failed') {
        const stopped = await h.system.whenStopped;
        expect(stopped.failed).toBe(true);
        expect(stopped.reason).toMatch(/child "b" escalated \(handler fault: Error: boom in b\)/);
        expect(followUps).toEqual(['SHUTTING_DOWN', 'SHUTTING_DOWN', 'SHUTTING_DOWN']);
      } else {
        expect(h.system.state).toBe('running');
        const delivered = names.filter((name) => row.states[names.indexOf(name)] === 'running');
        expect(log.sort()).toEqual(delivered.map((name) => `${name}:after-${name}`));
      }
      expect(names.map((name) => h.system.container(name).state)).toEqual(row.states);
      expect(h.letters.filter((l) => l.container === 'b').map((l) => l.reason)).toEqual(
        row.letters,
      );
      const stopped = await h.system.stop();
      expect(stopped.counters.inFlight).toBe(0);
      expect(h.clock.pendingTimers).toBe(0);
    },
  );
});

describe('normal and abnormal exits (context.exit)', () => {
  // Erlang/OTP: a permanent child is always restarted; a transient one only after an abnormal
  // exit (non-zero code or a fault); a temporary one never.
  const exits = `
restart    code  b after the exit   b's events after the exit
permanent  0     running            exited,restarting,starting,running
transient  0     stopped            exited,stopped
temporary  0     stopped            exited,stopped
permanent  3     running            exited,faulted,restarting,starting,running
transient  3     running            exited,faulted,restarting,starting,running
temporary  3     failed             exited,faulted,failed
`;
  const exitRows = exits
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [restart, code, state, events] = line.split(/\s+/) as [string, string, string, string];
      return {
        restart: restart as RestartType,
        code: Number(code),
        state,
        events: events.split(',').map((type) => `container.${type}`),
      };
    });

  it.each(exitRows)('$restart container exiting with $code ends $state', async (row) => {
    const log: string[] = [];
    const h = harness({
      supervisor: { strategy: 'one-for-all' },
      containers: [scripted('a', {}, { log }), scripted('b', { restart: row.restart }, { log })],
    });
    await h.system.start();
    h.publish('b', `exit:${row.code}`);
    await h.advance(10);
    expect(h.system.container('b').state).toBe(row.state);
    const since = h.events.slice(h.events.findIndex((e) => e.type === 'container.exited'));
    expect(typesOf(since, 'b').filter((type) => type.startsWith('container.'))).toEqual(row.events);
    // The handler that exited handled its message: no dead letter for it.
    expect(h.system.counters().delivered).toBe(1);
    expect(h.letters).toEqual([]);
    // one-for-all: a normal exit of a non-permanent child leaves the siblings alone.
    const siblingsRestarted = row.state === 'running' ? 1 : 0;
    expect(h.system.container('a').counters.restarts).toBe(siblingsRestarted);
    const exited = h.events.find((e) => e.type === 'container.exited');
    expect(exited).toMatchObject({ container: 'b', code: row.code, ended: true });
    await h.system.stop();
  });
});
