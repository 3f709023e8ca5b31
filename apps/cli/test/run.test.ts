import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, parseNdjson, runOcre, tempDir } from './helpers.ts';

const pipeline = 'apps/examples/ts-pipeline/system.yaml';

describe('ocre run on the TypeScript pipeline example', () => {
  it('prefixes container lines, logs every event as NDJSON and exits 0 after --for', async () => {
    const events = join(tempDir(), 'events.ndjson');
    const { code, stdout, stderr } = await runOcre([
      'run',
      pipeline,
      '--for',
      '3.5s',
      '--events',
      events,
    ]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.every((line) => /^\[(sensor|converter|logger)\] /.test(line))).toBe(true);
    expect(lines).toContain('[converter] converting readings/celsius to readings/fahrenheit');
    expect(stdout).toMatch(/^\[logger\] readings\/celsius #0: \{"celsius":[\d.]+\}$/m);
    expect(stdout).toMatch(/^\[logger\] readings\/fahrenheit #1: \{"fahrenheit":[\d.]+\}$/m);
    // The 15th reading is a glitch: the converter faults and rest-for-one restarts it and the logger.
    expect(stderr).toMatch(/converter faulted in a handler on message \d+: RangeError: -999 °C/);
    expect(stderr).toMatch(/restarting converter in \d+ ms/);
    expect(stderr).toMatch(/stopped \(ran for the requested 3500 ms\): \d+ published/);

    const logged = parseNdjson(readFileSync(events, 'utf8'));
    expect(logged[0]).toMatchObject({
      type: 'container.starting',
      container: 'sensor',
      attempt: 1,
    });
    expect(
      logged.every((e) => typeof e['time'] === 'number' && typeof e['type'] === 'string'),
    ).toBe(true);
    const times = logged.map((e) => e['time'] as number);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const fault = logged.find((e) => e['type'] === 'container.faulted');
    expect(fault).toMatchObject({ container: 'converter', phase: 'handler' });
    expect(fault?.['mid']).toMatch(/^\d+$/); // a bigint id, as a string
    expect(logged.some((e) => e['type'] === 'container.restarting')).toBe(true);
    const last = logged.at(-1);
    expect(last).toMatchObject({ type: 'system.stopped', failed: false });
    const counters = last?.['counters'] as Record<string, number>;
    expect(counters['published']).toBeGreaterThan(15);
    expect(counters['deadLettered']).toBeGreaterThanOrEqual(1);
    expect(counters['rejected']).toBe(0);
    expect(counters['delivered']).toBeGreaterThan(counters['published']!);
  });

  it('stops gracefully on SIGTERM, writing system.stopped', async () => {
    const events = join(tempDir(), 'events.ndjson');
    const { code, stderr } = await runOcre(['run', pipeline, '--events', events], {
      signal: { name: 'SIGTERM', after: /\[logger\] readings\/fahrenheit #3:/ },
    });
    expect(code).toBe(0);
    expect(stderr).toContain('SIGTERM: stopping gracefully');
    const last = parseNdjson(readFileSync(events, 'utf8')).at(-1);
    expect(last).toMatchObject({
      type: 'system.stopped',
      reason: 'SIGTERM received',
      failed: false,
    });
  });

  it('prints nothing but errors with --quiet', async () => {
    const { code, stdout, stderr } = await runOcre(['run', pipeline, '--for', '500ms', '--quiet']);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('ocre run exit codes', () => {
  it('exits 1 with the reason on stderr when the root supervisor gives up', async () => {
    const events = join(tempDir(), 'events.ndjson');
    const { code, stderr } = await runOcre(['run', fixture('gives-up.yaml'), '--events', events]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/broken faulted while starting: Error: no sensor attached/);
    expect(stderr).toMatch(/ocre: system failed: .*"root" gave up: restart intensity exceeded/);
    const last = parseNdjson(readFileSync(events, 'utf8')).at(-1);
    expect(last).toMatchObject({ type: 'system.stopped', failed: true });
  });

  it.concurrent.for([
    [['run'], 'ocre run needs a system file (.yaml) or one or more .wasm modules'],
    [['run', pipeline, '--for', 'soon'], '--for expects a positive duration with a unit'],
    [['run', pipeline, '--bogus'], "Unknown option '--bogus'"],
    [['run', 'notes.txt'], '"notes.txt" is neither a system file (.yaml) nor a module (.wasm)'],
    [['run', 'missing.wasm'], 'no such file: missing.wasm'],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ] as const)('exits 2 for bad usage: ocre %j', async ([args, message], { expect }) => {
    const { code, stderr } = await runOcre([...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
