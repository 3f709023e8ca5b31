// `ocre run --chaos`: a plan's faults fire and are printed with the seed to replay them; a bad plan or seed is refused with exit code 2.
import { describe, expect, it } from 'vitest';
import { fixture, runOcre } from './helpers.ts';

const pipeline = 'apps/examples/ts-pipeline/system.yaml';

describe('ocre run --chaos', () => {
  it('injects the plan’s faults into the running system, printing each and the seed', async () => {
    const { code, stderr } = await runOcre([
      'run',
      pipeline,
      '--for',
      '1s',
      '--chaos',
      fixture('chaos-pipeline.yaml'),
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain(
      'ocre: chaos: chaos plan apps/cli/test/fixtures/chaos-pipeline.yaml, seed 42 (replay with --seed 42)',
    );
    expect(stderr).toMatch(/^ocre: chaos: \d+ ms: drop logger: dropped message \d+$/m);
    expect(stderr).toMatch(/^ocre: chaos: \d+ ms: kill logger: crashed at 300 ms$/m);
    expect(stderr).toContain(
      'logger faulted while running: InjectedFault: injected kill: logger crashed at 300 ms (faults[0], seed 42)',
    );
    expect(stderr).toMatch(/restarting logger in \d+ ms/);
    expect(stderr).toMatch(/^ocre: fault plan seed 42: 2 faults fired \(1 drop, 1 kill\);/m);
  });

  it('--seed overrides the plan’s seed', async () => {
    const { code, stderr } = await runOcre([
      'run',
      fixture('idle.yaml'),
      '--for',
      '100ms',
      '--chaos',
      fixture('chaos-crash-root.yaml'),
      '--seed',
      '7',
    ]);
    // The root supervisor crashed: the system failed, and the seed is printed to replay it.
    expect(code).toBe(1);
    expect(stderr).toContain('seed 7 (replay with --seed 7)');
    expect(stderr).toMatch(/system failed: supervisor "root" gave up: injected crash-supervisor/);
    expect(stderr).toMatch(/^ocre: fault plan seed 7: 1 faults fired \(1 crash-supervisor\)/m);
  });

  it('refuses a malformed plan, naming every problem (exit code 2)', async () => {
    const { code, stdout, stderr } = await runOcre([
      'run',
      pipeline,
      '--chaos',
      fixture('chaos-bad.yaml'),
    ]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatchInlineSnapshot(`
      "ocre: invalid chaos plan apps/cli/test/fixtures/chaos-bad.yaml (7 problems):
        seed: expected an integer from 0 to 4294967295, got -3
        faults[0].probabilty: unknown key; allowed here: kind, container, topic, nth, probability, times
        faults[1].ms: missing; expected an integer from 0 to 2147483647
        faults[2].probability: expected a number from 0 to 1, got 2
        faults[3].kind: expected one of throw, hang, kill, delay, drop, slow, fill-queue, fail-start, crash-supervisor, got "explode"
        faults[4]: a kill happens at atMs or on a message (nth, probability), not both
        faults[5]: expected a fault: a mapping with kind (throw, hang, kill, delay, drop, slow, fill-queue, fail-start, crash-supervisor) and its fields, got "just a string"
      "
    `);
  });

  it('refuses a plan naming containers or supervisors the system does not have', async () => {
    const { code, stderr } = await runOcre([
      'run',
      pipeline,
      '--chaos',
      fixture('chaos-unknown-names.yaml'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatchInlineSnapshot(`
      "ocre: invalid chaos plan apps/cli/test/fixtures/chaos-unknown-names.yaml (2 problems):
        faults[0].container: no container named "nope"; known: sensor, converter, logger
        faults[1].supervisor: no supervisor named "pipline"; known: root, pipeline
      "
    `);
  });

  it('refuses a bad seed, a seed without a plan, and a missing plan file', async () => {
    const idle = fixture('idle.yaml');
    const plan = fixture('chaos-crash-root.yaml');
    const results = await Promise.all([
      runOcre(['run', idle, '--chaos', plan, '--seed', 'abc']),
      runOcre(['run', idle, '--seed', '5']),
      runOcre(['run', idle, '--chaos', 'nowhere.yaml']),
    ]);
    expect(results.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(results.map((r) => r.stderr.split('\n')[0])).toEqual([
      'ocre: --seed must be an integer from 0 to 4294967295, got "abc"',
      'ocre: --seed goes with --chaos <plan.yaml>: it seeds the plan',
      'ocre: invalid chaos plan nowhere.yaml (1 problem):',
    ]);
  });
});
