// Tests the ocre-current example through the CLI: Ocre's current samples build unchanged with `ocre build` and run beside the seed's 2025-API subscriber under `ocre run`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, parseNdjson, repoRoot, runOcre, tempDir } from './helpers.ts';

const example = 'apps/examples/ocre-current';

describe("Ocre's current API from the CLI", () => {
  it('ocre build compiles the current-API samples into the committed modules', async () => {
    const out = tempDir();
    const { code, stderr } = await runOcre([
      'build',
      `${example}/current-publisher.c`,
      `${example}/current-subscriber.c`,
      '-o',
      out,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const name of ['current-publisher', 'current-subscriber']) {
      const built = readFileSync(join(out, `${name}.wasm`));
      expect(built.equals(readFileSync(join(repoRoot, example, `${name}.wasm`)))).toBe(true);
    }
  });

  it('ocre run: both subscribers, one per API, receive every reading with one id sequence', async () => {
    const events = join(tempDir(), 'events.ndjson');
    const { code, stdout } = await runOcre([
      'run',
      `${example}/system.yaml`,
      '--for',
      '2.2s',
      '--events',
      events,
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('[current-subscriber] Subscriber initialized: listening on sensors/');
    const published = [
      ...stdout.matchAll(
        /^\[current-publisher\] Published: (\{.*\}) to topic sensors\/temperature$/gm,
      ),
    ].map((match) => match[1]);
    expect(published.length).toBeGreaterThanOrEqual(3);
    const current = [
      ...stdout.matchAll(
        /^\[current-subscriber\] Received message: topic=sensors\/temperature, content_type=application\/json, payload=(\{.*\}), len=41$/gm,
      ),
    ].map((match) => match[1]);
    const seed = [...stdout.matchAll(/^\[seed-subscriber\] Payload: (\{.*\})$/gm)].map(
      (match) => match[1],
    );
    const mids = [...stdout.matchAll(/^\[seed-subscriber\] Message ID: (\d+)$/gm)].map((match) =>
      Number(match[1]),
    );
    // Starts overlap, so the first reading may have beaten a subscription; after it, every
    // reading reaches both, in order.
    expect(published.slice(1, 3).every((payload) => current.includes(payload))).toBe(true);
    expect(published.slice(1, 3).every((payload) => seed.includes(payload))).toBe(true);
    expect(mids).toEqual([...mids].sort((a, b) => a - b));
    expect(new Set(mids).size).toBe(mids.length);
    const last = parseNdjson(readFileSync(events, 'utf8')).at(-1);
    expect(last).toMatchObject({ type: 'system.stopped', failed: false });
  });

  it('sensors: and gpio: in a system file: the container reads them, and pin changes reach the event log', async () => {
    const events = join(tempDir(), 'events.ndjson');
    const { code, stdout } = await runOcre([
      'run',
      fixture('devices/devices.yaml'),
      '--for',
      '1s',
      '--events',
      events,
    ]);
    expect(code).toBe(0);
    for (const line of [
      '[devices] sensors_init=0 discover=2',
      '[devices] thermometer=21.5',
      '[devices] thermometer=22.0',
      '[devices] rng_in_range=1',
      '[devices] toggle=0',
    ])
      expect(stdout).toContain(line);
    const gpio = parseNdjson(readFileSync(events, 'utf8'))
      .filter((event) => event['type'] === 'container.gpio')
      .map(({ container, port, pin, state }) => ({ container, port, pin, state }));
    expect(gpio).toEqual([
      { container: 'devices', port: 0, pin: 3, state: 1 },
      { container: 'devices', port: 0, pin: 3, state: 0 },
    ]);
  });

  it('a scripted sensor whose file is not readings is refused before anything starts (exit 2)', async () => {
    const { code, stdout, stderr } = await runOcre(['run', fixture('devices/bad-devices.yaml')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'sensors[0].script: ./bad-readings.txt:2: "warm" is not a list of numbers',
    );
  });
});
