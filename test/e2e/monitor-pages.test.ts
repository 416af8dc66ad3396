/**
 * The monitor's pages in Debian's Chromium against a real stack (scheduler, two worker processes,
 * `updraft monitor`): the Workers page shows both workers and, after `kill -9` of one, the same
 * open page shows it offline with the reason, without a reload; the Tasks page shows a run's
 * events as they happen; the Queues page says why a task waits; a worker's page draws its charts
 * (slots in use from its tries; a heartbeat-gap spike after the worker process was stopped a moment).
 * Screenshots go to docs/screenshots/monitor-*.png (the README shows them).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, saveScreenshot, type TestBrowser } from '../harness/index.js';
import { PASSWORD_SUFFIX, ROLE_USERS } from '../integration/api-support.js';
import { waitForRunEnd } from './db.js';
import { startMonitorStack, type MonitorStack } from './monitor-stack.js';

let ms: MonitorStack;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  ms = await startMonitorStack({
    dagFiles: ['test/fixtures/dags-e2e/monitor_mix.ts', 'test/fixtures/dags-e2e/monitor_orphan.ts', 'test/fixtures/dags-e2e/monitor_sleep.ts'],
    workers: [
      { name: 'etl-host-1', queues: ['default'], concurrency: 4 },
      { name: 'gpu-host-2', queues: ['side'], concurrency: 2 },
    ],
  });
  browser = await launchBrowser({ httpCredentials: { username: ROLE_USERS.Viewer, password: `Viewer${PASSWORD_SUFFIX}` }, viewport: { width: 1440, height: 760 } });
  page = await browser.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await ms?.stop();
});

const row = (name: string) => page.locator(`tr[data-worker="${name}"]`);

describe('monitor pages', () => {
  it('Workers: both workers, then the killed one offline with the reason on the same open page', async () => {
    await page.goto(`${ms.monitorUrl}/workers`);
    await expect.poll(() => page.locator('tr[data-worker]').count()).toBe(2);
    await expect.poll(() => row('etl-host-1').getAttribute('data-state')).toBe('online');
    await expect.poll(() => row('gpu-host-2').getAttribute('data-state')).toBe('online');
    await expect.poll(() => page.locator('#live').textContent()).toContain('live');

    await ms.stack.trigger('e2e_monitor_sleep');
    await ms.stack.trigger('e2e_monitor_mix');
    // The running attempt shows on its worker's row, linking to the task instance in the web UI.
    await expect.poll(() => row('etl-host-1').locator('a[href*="/dags/e2e_monitor_sleep/"]').count(), { timeout: 30_000 }).toBe(1);

    await page.evaluate('window.__sameDocument = true');
    const victim = ms.stack.workers[1]!;
    victim.kill();
    await victim.exited;
    await expect.poll(() => row('gpu-host-2').getAttribute('data-state'), { timeout: 30_000 }).toBe('offline');
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    expect(await row('gpu-host-2').locator('.reason').textContent()).toMatch(/heartbeat/);
    expect(await row('etl-host-1').getAttribute('data-state')).not.toBe('offline');
    await saveScreenshot(page, 'monitor-workers');
  });

  it('Tasks: a triggered run\'s events appear live', async () => {
    await page.goto(`${ms.monitorUrl}/tasks?q=${encodeURIComponent('dag:e2e_monitor_*')}`);
    await expect.poll(() => page.locator('#live').textContent()).toContain('live');
    await page.evaluate('window.__sameDocument = true');
    const before = await page.locator('tr[data-task]').count();
    const runId = await ms.stack.trigger('e2e_monitor_mix');
    await expect.poll(() => page.locator('tr[data-task="boom"][data-event="failed"]').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => page.locator('tr[data-event="succeeded"]').count(), { timeout: 30_000 }).toBe(4);
    expect(await page.locator('tr[data-task]').count()).toBeGreaterThan(before);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    await waitForRunEnd(ms.stack.pool, 'e2e_monitor_mix', runId);
    await saveScreenshot(page, 'monitor-tasks');
  });

  it('Queues: a task on a queue no worker serves says why it waits', async () => {
    await page.goto(`${ms.monitorUrl}/queues`);
    await ms.stack.trigger('e2e_monitor_orphan');
    await expect.poll(() => page.locator('tr[data-queue="nobody"] .reason-cell').textContent(), { timeout: 30_000 }).toBe('no live worker serves queue nobody');
    expect(await page.locator('tr[data-queue="side"] .reason-cell').textContent()).toBe('no live worker serves queue side (gpu-host-2 is offline)');
    expect(await page.locator('td.why').first().textContent()).toBe('no live worker serves queue nobody');
    await saveScreenshot(page, 'monitor-queues');
  });

  it('A worker\'s page: its running attempt, configuration and charts', async () => {
    await page.goto(`${ms.monitorUrl}/worker/etl-host-1`);
    await expect.poll(() => page.locator('#active a[href*="e2e_monitor_sleep"]').count()).toBe(1);
    await expect.poll(() => page.locator('#chart-outcomes canvas').count()).toBe(1);
    await expect.poll(() => page.locator('#chart-slots canvas').count()).toBe(1);
    // A short stall of the worker process (SIGSTOP, SIGCONT) shows as a spike on the heartbeat-gap chart.
    const worker = ms.stack.workers[0]!;
    const stoppedAt = Date.now();
    process.kill(worker.pid, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(worker.pid, 'SIGCONT');
    const stoppedMs = Date.now() - stoppedAt;
    const largestGap = async (): Promise<number> => page.evaluate(async () => {
      const s = (await (await fetch('/api/worker/etl-host-1/series?window=1h')).json()) as { points: Array<{ max_heartbeat_gap_ms: number | null }> };
      return Math.max(0, ...s.points.map((p) => p.max_heartbeat_gap_ms ?? 0));
    });
    await expect.poll(largestGap, { timeout: 30_000 }).toBeGreaterThanOrEqual(stoppedMs);
    await page.reload();
    await expect.poll(() => page.locator('#chart-heartbeat-gaps canvas').count()).toBe(1);
    // The sleeping task has held one of its slots since before this bucket began or during it.
    const series = await page.evaluate(async () => (await (await fetch('/api/worker/etl-host-1/series?window=1h')).json()) as { points: Array<{ slots: number }> });
    expect(series.points.at(-1)!.slots).toBeGreaterThan(0);
    expect(Math.max(...series.points.map((p) => p.slots))).toBeLessThanOrEqual(4);
    // An hour ago the worker did not exist yet.
    expect(series.points[0]!.slots).toBe(0);
    await expect.poll(() => page.locator('#recent tr').count()).toBeGreaterThan(3);
    expect(await page.locator('#config').textContent()).toContain('Concurrency4');
    await saveScreenshot(page, 'monitor-worker', { fullPage: true });
  });

  it('An address with user:password in it (a bookmark) loads the pages and their live stream', async () => {
    // A browser without stored credentials: only the address carries them. Resolved against such
    // an address, the pages' requests were refused by the browser ("includes credentials").
    const bare = await launchBrowser();
    try {
      const at = new URL(ms.monitorUrl);
      at.username = ROLE_USERS.Viewer;
      at.password = `Viewer${PASSWORD_SUFFIX}`;
      const p = await bare.newPage();
      const errors: string[] = [];
      p.on('pageerror', (e) => errors.push(e.message));
      await p.goto(new URL('/workers', at).href);
      await expect.poll(() => p.locator('tr[data-worker]').count()).toBe(2);
      await expect.poll(() => p.locator('#live').textContent()).toContain('live');
      await p.goto(new URL('/worker/etl-host-1', at).href);
      await expect.poll(() => p.locator('#config').textContent()).toContain('Concurrency4');
      await expect.poll(() => p.locator('#chart-slots canvas').count()).toBe(1);
      await expect.poll(() => p.locator('#error').textContent()).toBe('');
      expect(errors).toEqual([]);
    } finally {
      await bare.close();
    }
  });
});
