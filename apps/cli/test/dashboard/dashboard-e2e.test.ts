// End to end in Debian's Chromium: a real `ocre demo --ui`, its tree live, a throw and a kill clicked on the subscriber and seen to restart it, and a read-only page refused.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { tempDir } from '../helpers.ts';
import { openChromium, serveOcre } from './browser.ts';
import type { ServingOcre } from './browser.ts';

/** Set OCRE_UPDATE_SCREENSHOT=1 to refresh the README's screenshot from this run. */
const readmeShot = fileURLToPath(new URL('../../docs/dashboard.png', import.meta.url));

const node = (page: Page, name: string) => page.locator(`[data-node="${name}"]`).first();
const restartsOf = async (page: Page, name: string) =>
  Number(await node(page, name).locator('[data-restarts]').first().textContent());

describe('ocre demo --ui in Chromium', () => {
  let ocre: ServingOcre;
  let browser: Awaited<ReturnType<typeof openChromium>>;

  beforeAll(async () => {
    ocre = await serveOcre(['demo', '--ui', '--plain']);
    browser = await openChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    const code = await ocre?.stop();
    expect(code).toBe(0);
  }, 30_000);

  it('shows the tree, restarts the subscriber after a clicked throw and a clicked kill', async () => {
    const page = await browser.context.newPage();
    await page.goto(ocre.url);
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: 30_000 })
      .toBe('live');
    for (const name of ['root', 'subscriber', 'flaky-sensor', 'publisher']) {
      await node(page, name).waitFor();
    }
    await page
      .locator('[data-node="subscriber"][data-state="running"]')
      .waitFor({ timeout: 30_000 });
    expect(await node(page, 'subscriber').locator('.state').first().textContent()).toBe('running');
    await page.locator('#read-only').waitFor({ state: 'detached' });
    const before = await restartsOf(page, 'subscriber');

    // throw on next message: armed now, fires on the next reading, the supervisor restarts it.
    await node(page, 'subscriber').locator('button[data-action="throw"]').first().click();
    await expect
      .poll(() => page.locator('#control-message').textContent())
      .toContain('throws on its next message');
    const timeline = page.locator('#timeline');
    await timeline
      .locator('[data-kind="injected"][data-target="subscriber"]')
      .first()
      .waitFor({ timeout: 20_000 });
    await timeline.locator('[data-kind="restart"][data-target="subscriber"]').first().waitFor();
    await expect.poll(() => restartsOf(page, 'subscriber'), { timeout: 20_000 }).toBe(before + 1);
    await page
      .locator('[data-node="subscriber"][data-state="running"]')
      .waitFor({ timeout: 20_000 });

    // kill: it crashes at once and comes back.
    await node(page, 'subscriber').locator('button[data-action="kill"]').first().click();
    await expect
      .poll(() => page.locator('#control-message').textContent())
      .toContain('kill subscriber: crashed');
    await expect.poll(() => restartsOf(page, 'subscriber'), { timeout: 20_000 }).toBe(before + 2);
    await page
      .locator('[data-node="subscriber"][data-state="running"]')
      .waitFor({ timeout: 20_000 });
    expect(
      await timeline.locator('[data-kind="restart"][data-target="subscriber"]').count(),
    ).toBeGreaterThanOrEqual(2);

    // The other panels are filled from the live stream.
    // The demo's two containers publishing readings both appear on the topic's row, by name.
    const readings = page.locator('#topics [data-topic="sensors/temperature"] td').first();
    await expect
      .poll(async () => (await readings.locator('div').allTextContents()).join(' | '), {
        timeout: 20_000,
      })
      .toMatch(/^(?=.*\bflaky-sensor\b)(?=.*\bpublisher\b)/);
    await page.locator('#fill [data-meter="router queue"]').waitFor();

    // The clicks went to the terminal like any injected fault (the demo prints them in its view).
    expect(ocre.stdout()).toMatch(/dashboard: \d+ ms: throw subscriber: on message \d+/);
    expect(ocre.stdout()).toMatch(/dashboard: \d+ ms: kill subscriber: crashed at \d+ ms/);

    const shot = join(tempDir(), 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    if (process.env['OCRE_UPDATE_SCREENSHOT'] === '1') {
      mkdirSync(join(readmeShot, '..'), { recursive: true });
      copyFileSync(shot, readmeShot);
    }
    await page.close();
  }, 120_000);

  it('a page opened without the token is read-only, and the server refuses its control requests', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${ocre.origin}/`);
    await page.locator('#read-only').waitFor({ timeout: 20_000 });
    await node(page, 'subscriber').waitFor();
    expect(
      await node(page, 'subscriber').locator('button[data-action="kill"]').first().isDisabled(),
    ).toBe(true);
    const answer = await page.evaluate(async () => {
      const response = await fetch('/control', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'kill', target: 'subscriber' }),
      });
      return { status: response.status, body: (await response.json()) as { code: string } };
    });
    expect(answer).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const wrong = await page.evaluate(async () => {
      const response = await fetch('/control', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ocre-token': 'guessed' },
        body: JSON.stringify({ action: 'kill', target: 'subscriber' }),
      });
      return response.status;
    });
    expect(wrong).toBe(403);
    // Nothing was injected by the refused requests: still only the one clicked kill.
    expect(ocre.stdout().match(/dashboard: \d+ ms: kill subscriber/g)).toHaveLength(1);
    await page.close();
  }, 60_000);
});

describe('ocre dashboard <events.ndjson> in Chromium', () => {
  it('replays a recorded run: the slider moves the tree and timeline through time', async () => {
    const ocre = await serveOcre(['dashboard', 'apps/cli/test/fixtures/replay.ndjson']);
    const browser = await openChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(ocre.url);
      await page.locator('#time-slider').waitFor({ timeout: 20_000 });
      // At the end of the run everything has stopped, after the logger's one restart.
      await page.locator('[data-node="logger"][data-state="stopped"]').waitFor();
      expect(await restartsOf(page, 'logger')).toBe(1);
      await page.locator('#time-slider').fill('330');
      await page.locator('[data-node="logger"][data-state="restarting"]').waitFor();
      expect(await page.locator('#time-label').textContent()).toContain('0.33 s');
      expect(
        await page.locator('#timeline [data-kind="injected"][data-target="logger"]').count(),
      ).toBe(2);
      await page.locator('#time-slider').fill('0');
      await page.locator('[data-node="logger"][data-state="created"]').waitFor();
      expect(await page.locator('#dead-letters').textContent()).toContain('no dead letters');
    } finally {
      await browser.close();
      expect(await ocre.stop()).toBe(0);
    }
  }, 60_000);
});
