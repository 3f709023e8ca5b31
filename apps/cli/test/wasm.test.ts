import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, parseNdjson, runOcre, tempDir } from './helpers.ts';

const temperature = 'apps/examples/temperature/system.yaml';

describe('WebAssembly containers', () => {
  it('runs the seed publisher and subscriber from the temperature system file', async () => {
    const events = join(tempDir(), 'events.ndjson');
    const { code, stdout, stderr } = await runOcre([
      'run',
      temperature,
      '--for',
      '2.2s',
      '--events',
      events,
    ]);
    expect(code).toBe(0);
    // One line at start says how big the pool is that the three containers share.
    expect(stderr).toMatch(/^ocre: wasm pool: up to \d+ worker threads for 3 pooled containers$/m);
    expect(stdout).toContain('[publisher] Messaging system initialized');
    expect(stdout).toContain('[publisher] Published temperature data to sensors/temperature');
    expect(stdout).toContain('[subscriber] Subscribed to sensors/temperature');
    expect(stdout).toContain('[subscriber] Received message on topic: sensors/temperature');
    expect(stdout).toContain('[subscriber] Content type: application/json');
    // Starts overlap: the very first reading may beat the subscription (a no-subscriber dead letter).
    expect(stdout).toMatch(
      /^\[subscriber\] Payload: \{"temperature": 2\d\.\d, "unit": "celsius"\}$/m,
    );
    const last = parseNdjson(readFileSync(events, 'utf8')).at(-1);
    expect(last).toMatchObject({ type: 'system.stopped', failed: false });
  });

  it('ocre inspect --probe shows the pool worker each container runs on', async () => {
    const { code, stdout } = await runOcre(['inspect', temperature, '--probe', '700ms']);
    expect(code).toBe(0);
    expect(stdout).toContain('workers (pooled WebAssembly containers');
    for (const name of ['subscriber', 'flaky-sensor', 'publisher']) {
      expect(stdout).toMatch(new RegExp(`^ {2}${name} {2}ocre:pool-\\d+$`, 'm'));
    }
  });

  it('runs bare .wasm modules, each named after its file', async () => {
    const dir = 'apps/examples/temperature';
    const { code, stdout } = await runOcre([
      'run',
      `${dir}/publisher.wasm`,
      `${dir}/subscriber.wasm`,
      '--for',
      '1.5s',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\[publisher\] Published temperature data/m);
    expect(stdout).toMatch(/^\[subscriber\] Payload: \{"temperature": 2\d\.\d/m);
  });

  it('refuses modules that cannot run, before anything starts (exit 2)', async () => {
    const { code, stdout, stderr } = await runOcre(['run', fixture('malformed.yaml')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('containers[0].wasm: expected a WebAssembly container module');
    expect(stderr).toContain('(MALFORMED_MODULE)');
    expect(stderr).toContain('containers[1].wasm: expected a WebAssembly container module');
    expect(stderr).toContain('(UNKNOWN_IMPORT)');
  });

  it('ocre demo tells its story in plain lines when not on a terminal, then sums up', async () => {
    const { code, stdout } = await runOcre(['demo', '--for', '5s']);
    expect(code).toBe(0);
    expect(stdout).toContain('ocre demo · temperature system');
    expect(stdout).toContain('[publisher] Published temperature data to sensors/temperature');
    expect(stdout).toMatch(
      /^\[subscriber\] Payload: \{"temperature": 2\d\.\d, "unit": "celsius"\}$/m,
    );
    expect(stdout).toMatch(/^\[flaky-sensor\] Cross-checked message \d+/m);
    expect(stdout).toMatch(/^! flaky-sensor faulted in a handler on message \d+/m);
    expect(stdout).toMatch(/^! restarting flaky-sensor in \d+ ms/m);
    expect(stdout).toMatch(
      /^status at [\d.]+ s: subscriber running \(0 restarts\), flaky-sensor \w+/m,
    );
    expect(stdout).toMatch(/^Summary after [\d.]+ s — stopped: ran for the requested 5000 ms$/m);
    expect(stdout).toMatch(/dead letters by reason: .*\d+ handler-fault/);
    expect(stdout).toMatch(/supervision: flaky-sensor faulted \w+( times)? and was restarted/);
  });
});
