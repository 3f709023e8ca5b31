// The fault buttons on a real system in virtual time: each action through the run's live injection, unknown or wrong targets refused, nothing injected before start; and the --ui option's forms.
import { describe, expect, it } from 'vitest';
import { createOcreSystem, defineContainer, VirtualClock } from '@ocre-ts/actors';
import { injectFaults } from '@ocre-ts/actors/testing';
import type { FaultRecord } from '@ocre-ts/actors/testing';
import { createControls, parseControlRequest } from '../../src/dashboard/controls.ts';
import { treeOf } from '../../src/dashboard/live-dashboard.ts';
import { parseUiAddress, takeUiOption } from '../../src/dashboard/ui-address.ts';
import { CliError, DashboardRequestError } from '../../src/errors.ts';

const sink = (name: string) =>
  defineContainer({
    name,
    init(api) {
      api.ocre_msg_system_init();
      api.ocre_subscribe_message('t', 'on_t');
    },
    handlers: { on_t: () => undefined },
  });

function controlled() {
  const clock = new VirtualClock();
  const fired: FaultRecord[] = [];
  const options = {
    clock,
    random: () => 0,
    supervisor: { maxRestarts: 10, backoff: { minMs: 10, jitter: 0 } },
    containers: [sink('a'), { kind: 'supervisor' as const, name: 'inner', children: [sink('b')] }],
  };
  const injection = injectFaults(
    options,
    { faults: [] },
    { live: true, onFired: (r) => fired.push(r) },
  );
  const system = createOcreSystem(injection.options);
  const control = createControls(
    injection,
    treeOf(injection.options),
    () => system.state === 'running',
  );
  return { clock, system, control, fired };
}

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof DashboardRequestError)
      return `${error.status} ${error.code}: ${error.message}`;
    throw error;
  }
  return 'accepted';
};

describe('createControls', () => {
  it('arms throw on the next message, kills now, crashes a supervisor; the supervisors restart them', async () => {
    const { clock, system, control, fired } = controlled();
    expect(refusal(() => control({ action: 'kill', target: 'a' }))).toBe(
      '409 CONFLICT: the system is not running: nothing to inject',
    );
    await system.start();
    expect(control({ action: 'throw', target: 'a' })).toEqual({
      ok: true,
      detail: 'throw armed: a throws on its next message',
    });
    system.publish('t', 'text/plain', 'x');
    await system.settle();
    await clock.advance(10);
    expect(control({ action: 'restart', target: 'b' })).toEqual({
      ok: true,
      detail: 'restart b: crashed at 10 ms',
    });
    await clock.advance(10);
    expect(control({ action: 'crash', target: 'inner' })).toEqual({
      ok: true,
      detail: 'crash inner: crashed',
    });
    await clock.advance(50);
    expect(fired.map((r) => `${r.kind} ${r.target}`)).toEqual([
      'throw a',
      'kill b',
      'crash-supervisor inner',
    ]);
    expect(system.containers().map((c) => `${c.name} ${c.state} ${c.counters.restarts}`)).toEqual([
      'a running 1',
      'b running 1', // restarted with inner: a supervisor's restart is not counted as the child's
    ]);
    await clock.drive(system.stop());
  });

  it('refuses unknown names and actions on the wrong kind of node, listing what exists', async () => {
    const { clock, system, control } = controlled();
    await system.start();
    expect(refusal(() => control({ action: 'kill', target: 'nope' }))).toBe(
      '404 NOT_FOUND: no container named "nope" to kill; known: a, b',
    );
    expect(refusal(() => control({ action: 'crash', target: 'a' }))).toBe(
      '404 NOT_FOUND: no supervisor named "a" to crash; known: root, inner',
    );
    expect(refusal(() => control({ action: 'hang', target: 'inner' }))).toBe(
      '404 NOT_FOUND: no container named "inner" to hang; known: a, b',
    );
    await clock.drive(system.stop());
  });

  it('checks a request body before anything else', () => {
    expect(parseControlRequest({ action: 'hang', target: 'a' })).toEqual({
      action: 'hang',
      target: 'a',
    });
    expect(refusal(() => parseControlRequest('kill'))).toBe(
      '400 BAD_REQUEST: expected a JSON object { action, target }',
    );
    expect(refusal(() => parseControlRequest({ action: 'kill' }))).toBe(
      '400 BAD_REQUEST: target: expected the name of a container or supervisor',
    );
  });
});

describe('--ui', () => {
  it('takes an optional address, leaving other arguments alone', () => {
    const local = { host: '127.0.0.1', port: 0 };
    expect(takeUiOption(['system.yaml', '--ui'], 'run')).toEqual({
      args: ['system.yaml'],
      ui: local,
    });
    expect(takeUiOption(['--ui', 'system.yaml'], 'run')).toEqual({
      args: ['system.yaml'],
      ui: local,
    });
    expect(takeUiOption(['--ui', '8080', 'x.yaml'], 'run')).toEqual({
      args: ['x.yaml'],
      ui: { host: '127.0.0.1', port: 8080 },
    });
    expect(takeUiOption(['--ui=0.0.0.0:9000', '--for', '5s'], 'run')).toEqual({
      args: ['--for', '5s'],
      ui: { host: '0.0.0.0', port: 9000 },
    });
    expect(takeUiOption(['x.yaml', '--for', '5s'], 'run')).toEqual({
      args: ['x.yaml', '--for', '5s'],
      ui: undefined,
    });
    expect(parseUiAddress('[::1]:7000', 'run')).toEqual({ host: '::1', port: 7000 });
    expect(parseUiAddress(':7000', 'run')).toEqual({ host: '127.0.0.1', port: 7000 });
    expect(() => parseUiAddress('localhost:99999', 'run')).toThrow(CliError);
    expect(() => takeUiOption(['--ui=nope'], 'run')).toThrow(
      '--ui: expected host:port, :port or a port (0 to 65535), got "nope"',
    );
  });
});
