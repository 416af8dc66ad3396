/**
 * Remote control from the monitor's pages in Debian's Chromium, as an Op, against a real stack
 * (scheduler, one `updraft worker` with the default 2 s heartbeat, `updraft monitor`): Drain on a
 * worker's page shows it paused and the control acknowledged by the worker; +1 slot changes its
 * slots; Terminate on a running 300 s task ends it failed and shows the acknowledgement; the
 * Workers page shows the latest control per worker. Screenshots go to
 * docs/screenshots/monitor-control-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, saveScreenshot, type TestBrowser } from '../harness/index.js';
import { PASSWORD_SUFFIX, ROLE_USERS } from '../integration/api-support.js';
import { waitFor } from './db.js';
import { startMonitorStack, type MonitorStack } from './monitor-stack.js';

let ms: MonitorStack;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  ms = await startMonitorStack({
    dagFiles: ['test/fixtures/dags-e2e/monitor_long.ts'],
    workers: [{ name: 'ui-ctl-1', queues: ['default'], concurrency: 2 }],
    env: { UPDRAFT__WORKER__HEARTBEAT_INTERVAL: '2s', UPDRAFT__SCHEDULER__WORKER_HEARTBEAT_TIMEOUT: '8s' },
  });
  browser = await launchBrowser({ httpCredentials: { username: ROLE_USERS.Op, password: `Op${PASSWORD_SUFFIX}` }, viewport: { width: 1440, height: 900 } });
  page = await browser.newPage();
  // Drain and Terminate ask first (confirm, then prompt for the state): answer as an operator would.
  page.on('dialog', (d) => void (d.type() === 'prompt' ? d.accept('failed') : d.accept()));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await ms?.stop();
});

const control = (action: string) => page.locator(`#controls tr[data-control="${action}"]`).first();
const acknowledged = (action: string) => control(action).locator('[data-ack="done"]').count();
const badge = () => page.locator('#title .badge').textContent();

describe('monitor pages: remote control', () => {
  it('Drain: the page shows the worker paused and the control acknowledged', async () => {
    await page.goto(`${ms.monitorUrl}/worker/ui-ctl-1`);
    await expect.poll(() => badge(), { timeout: 30_000 }).toBe('online');
    await expect.poll(() => page.locator('#live').textContent()).toContain('live');
    await page.locator('#drain').click();
    await expect.poll(() => acknowledged('drain'), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => badge()).toBe('paused');
    expect(await control('drain').textContent()).toContain(ROLE_USERS.Op);
    expect(await page.locator('#sub').textContent()).not.toContain('not acknowledged');
    await saveScreenshot(page, 'monitor-control-drain');

    await page.locator('#resume').click();
    await expect.poll(() => acknowledged('resume'), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => badge()).toBe('online');
  });

  it('+1 slot: the slots change once the worker acknowledges', async () => {
    const slots = () => page.locator('#summary .card').first().textContent();
    expect(await slots()).toContain('0 / 2');
    await page.locator('#grow').click();
    await expect.poll(() => acknowledged('pool.grow'), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => slots()).toContain('0 / 3');
    expect(await control('pool.grow').textContent()).toContain('+1 -> 3 slots');
  });

  it('Terminate: the running task ends failed and the page shows the acknowledgement', async () => {
    const runId = await ms.stack.trigger('e2e_monitor_long');
    const button = page.locator('[data-terminate]');
    await expect.poll(() => button.count(), { timeout: 60_000 }).toBe(1);
    await button.click();
    await expect.poll(() => acknowledged('terminate'), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.locator('#active').textContent(), { timeout: 30_000 }).toContain('Nothing running');
    const state = await waitFor('the task instance to be failed', async () => {
      const { rows } = await ms.stack.pool.query<{ state: string }>(`SELECT state FROM task_instance WHERE dag_id = 'e2e_monitor_long' AND run_id = $1`, [runId]);
      return rows[0]?.state === 'failed' ? rows[0].state : undefined;
    });
    expect(state).toBe('failed');
    expect(await control('terminate').textContent()).toContain('try 1 -> failed');
    // The worker frees the slot once the killed process tree is gone.
    await expect.poll(() => page.locator('#summary .card').first().textContent(), { timeout: 30_000 }).toContain('0 / 3');
    await saveScreenshot(page, 'monitor-control-terminate');
  });

  it('Workers: the latest control of each worker, acknowledged', async () => {
    await page.goto(`${ms.monitorUrl}/workers`);
    const line = page.locator('tr[data-worker="ui-ctl-1"] .control');
    await expect.poll(() => line.getAttribute('data-control'), { timeout: 30_000 }).toBe('terminate');
    expect(await line.locator('[data-ack="done"]').count()).toBe(1);
    await saveScreenshot(page, 'monitor-control-workers');
  });
});
