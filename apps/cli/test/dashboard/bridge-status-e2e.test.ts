// End to end in Debian's Chromium: `ocre run --ui` of a system with a bridge to a real Mosquitto; the tree shows the bridge's connection, and a broker stop and restart move it and the timeline.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto } from '@ocre-ts/bridge-mqtt/testing';
import type { Mosquitto } from '@ocre-ts/bridge-mqtt/testing';
import { openChromium, serveOcre } from './browser.ts';
import type { ServingOcre } from './browser.ts';

const fixtures = fileURLToPath(new URL('../fixtures/bridge/', import.meta.url));

describe('ocre run --ui with a bridge, in Chromium', () => {
  let broker: Mosquitto;
  let dir: string;
  let ocre: ServingOcre;
  let browser: Awaited<ReturnType<typeof openChromium>>;

  beforeAll(async () => {
    broker = await startMosquitto();
    dir = mkdtempSync(join(tmpdir(), 'ocre-ui-bridge-'));
    const system = join(dir, 'system.yaml');
    writeFileSync(
      system,
      `messaging: { topicMatching: wildcard, queueCapacity: 1000 }
containers:
  - { name: numbered, module: ${join(fixtures, 'numbered.ts')} }
bridges:
  - { name: uplink, mqtt: ${broker.url}, export: ['numbers/#'], systemId: ui-a }
`,
    );
    ocre = await serveOcre(['run', system, '--ui']);
    browser = await openChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await ocre?.stop();
    await broker?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it("shows the bridge's connection beside it, and a broker stop and restart on the timeline", async () => {
    const page = await browser.context.newPage();
    await page.goto(ocre.url);
    const bridge = page.locator('[data-node="bridge:uplink"]').first();
    const status = (state: string) => bridge.locator(`[data-status="${state}"]`);
    await status('connected').waitFor({ timeout: 30_000 });
    await expect.poll(() => status('connected').textContent()).toMatch(/exported \d+/);

    await broker.stop();
    await status('reconnecting').waitFor({ timeout: 20_000 });
    await broker.restart();
    await status('connected').waitFor({ timeout: 20_000 });

    const timeline = page.locator('#timeline [data-kind="status"][data-target="bridge:uplink"]');
    const states = await timeline.allTextContents();
    expect(states.some((text) => text.includes('reconnecting'))).toBe(true);
    expect(states.filter((text) => text.includes('connected')).length).toBeGreaterThanOrEqual(2);
    await page.close();
  }, 90_000);
});
