/**
 * The web UI against the real stack, in Chromium: DAGs with a timetable show it in the DAG list in
 * words (a delta timetable, a cron trigger with its expression) and the cron trigger's next run;
 * the DAG's Details tab shows its schedule and limits, its run timeout among them.
 * Screenshots: docs/screenshots/dag-list-timetables.png, dag-details.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot } from '../harness/index.js';
import { startUiStack, type UiStack } from './ui-stack.js';

let ui: UiStack;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  ui = await startUiStack({
    dagFiles: ['test/fixtures/dags-timetables/every_6h.ts', 'test/fixtures/dags-timetables/nightly_trigger.ts'],
    workers: [{ name: 'ui-tt-w1', concurrency: 2 }],
  });
  await ui.waitForDags(['tt_every_6h', 'tt_nightly']);
  page = await ui.browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await ui?.stop();
});

afterAll(() => {
  expect(pageErrors).toEqual([]);
});

describe('web UI: timetables', () => {
  it('lists a delta and a cron trigger timetable in words, with the cron trigger\'s expression and next run', async () => {
    await page.goto(`${ui.web.url}/dags`);
    const delta = page.locator('[data-testid="dag-row"][data-dag-id="tt_every_6h"]');
    const cron = page.locator('[data-testid="dag-row"][data-dag-id="tt_nightly"]');
    await cron.waitFor();
    expect(await delta.locator('td').nth(2).textContent()).toContain('Every 6 hours from the start date');
    const schedule = await cron.locator('td').nth(2).textContent();
    expect(schedule).toContain("At each tick of cron '0 2 * * *' (logical date = the tick), data interval: the previous day");
    // The next trigger: within a day.
    expect(await cron.locator('td').nth(4).textContent()).toMatch(/in \d+|tomorrow/);
    // Past its end date: no next run.
    expect((await delta.locator('td').nth(4).textContent())?.trim()).toMatch(/^[-–—]?$/);
    await saveScreenshot(page, 'dag-list-timetables');
  });

  it("shows the DAG's details: its timetable, dates, catchup, limits and run timeout", async () => {
    await page.goto(`${ui.web.url}/dags/tt_every_6h?tab=details`);
    const field = (name: string) => page.locator(`[data-testid="dag-details"] [data-field="${name}"]`);
    await field('run timeout').waitFor();
    expect(await field('run timeout').textContent()).toBe('2h 0m');
    expect(await field('time zone').textContent()).toBe('Europe/Berlin');
    expect(await field('catchup').textContent()).toBe('yes');
    expect(await field('max active runs').textContent()).toBe('16');
    expect(await field('paused after').textContent()).toBe('never (failed runs do not pause it)');
    await saveScreenshot(page, 'dag-details');
    // A DAG without one says so.
    await page.goto(`${ui.web.url}/dags/tt_nightly?tab=details`);
    await field('run timeout').waitFor();
    expect(await field('run timeout').textContent()).toBe('none');
  });
});
