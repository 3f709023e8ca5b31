// Replaying a recorded run: reading an event log (and refusing a bad one), and the view of the run at a moment of the time slider.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/errors.ts';
import { readRecordedRun } from '../../src/dashboard/replay-file.ts';
import { replayView } from '../../src/dashboard/model/view-state.ts';
import type { DashboardHello } from '../../src/dashboard/model/wire.ts';
import { fixture, repoRoot, tempDir } from '../helpers.ts';

const recorded = () => readRecordedRun(join(repoRoot, fixture('replay.ndjson')));

function helloOf(run: ReturnType<typeof readRecordedRun>): DashboardHello {
  return {
    mode: 'replay',
    title: 'replay.ndjson',
    tree: run.tree,
    queueCapacity: run.queueCapacity,
    canControl: false,
    periodMs: 0,
    events: run.events,
  };
}

describe('readRecordedRun', () => {
  it('reads a log written by ocre run --events: events in time order, the containers it names', () => {
    const run = recorded();
    expect(run.events).toHaveLength(17);
    expect(run.events.map((e) => e.time)).toEqual(
      [...run.events.map((e) => e.time)].sort((a, b) => a - b),
    );
    expect(run.tree).toEqual({
      kind: 'supervisor',
      name: 'root',
      children: [
        { kind: 'container', name: 'sensor' },
        { kind: 'container', name: 'converter' },
        { kind: 'container', name: 'logger' },
      ],
    });
  });

  it('refuses a file with lines that are not events, naming each line', () => {
    const file = join(tempDir(), 'bad.ndjson');
    writeFileSync(
      file,
      '{"time":1,"type":"container.running","container":"a"}\nnot json\n{"type":"x"}\n',
    );
    expect(() => readRecordedRun(file)).toThrow(CliError);
    expect(() => readRecordedRun(file)).toThrow(
      /invalid event log .*bad\.ndjson \(2 problems\):\n {2}line 2: not JSON\n {2}line 3: expected an event/,
    );
    writeFileSync(file, '\n');
    expect(() => readRecordedRun(file)).toThrow(/holds no events/);
    expect(() => readRecordedRun(join(tempDir(), 'missing.ndjson'))).toThrow(/cannot read/);
  });
});

describe('replayView', () => {
  it('shows the run as it was at the slider: states, timeline, dead letters', () => {
    const hello = helloOf(recorded());
    const states = (at: number) =>
      [...replayView(hello, at).containers.values()].map(
        (c) => `${c.name} ${c.state} ${c.restarts}`,
      );
    expect(states(0)).toEqual(['sensor created 0', 'converter created 0', 'logger created 0']);
    expect(states(100)).toEqual(['sensor running 0', 'converter running 0', 'logger running 0']);
    expect(states(330)).toEqual(['sensor running 0', 'converter running 0', 'logger restarting 1']);
    expect(states(400)).toEqual(['sensor running 0', 'converter running 0', 'logger running 1']);
    expect(states(2000)).toEqual(['sensor stopped 0', 'converter stopped 0', 'logger stopped 1']);

    const at330 = replayView(hello, 330);
    expect(at330.timeline.map((e) => `${e.kind} ${e.target}`)).toEqual([
      'injected logger',
      'injected logger',
      'fault logger',
      'restart logger',
    ]);
    expect(at330.deadLetters).toEqual([
      { time: 225.72, mid: '0', topic: 'readings/celsius', reason: 'dropped', container: 'logger' },
    ]);
    expect(replayView(hello, 2000).stopped).toEqual({
      reason: 'ran for the requested 1500 ms',
      failed: false,
    });
    expect(replayView(hello, 2000).rates.deadLettered).toEqual([1, 0]);
  });
});
