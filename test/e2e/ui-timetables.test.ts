/**
 * The web UI against the real stack, in Chromium: DAGs with a timetable show it in the DAG list in
 * words (a delta timetable, a cron trigger with its expression) and the cron trigger's next run;
 * the DAG's Details tab shows its schedule and limits, its run timeout among them; the Calendar tab
 * shows a year of runs by day in the DAG's time zone and the days its schedule still runs on.
 * Screenshots: docs/screenshots/dag-list-timetables.png, dag-details.png, calendar.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot } from '../harness/index.js';
import { waitForRunEnd } from './db.js';
import { ADMIN, startUiStack, type UiStack } from './ui-stack.js';

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

  it('the calendar: runs by day in the DAG\'s time zone, the days its schedule still runs on, a year at a time', async () => {
    interface Calendar { timezone: string; year: number; days: Array<{ date: string; states: Record<string, number> }>; planned: string[] }
    // The delta timetable's catchup made its three runs of 2026-03-29 (Berlin): one day, nothing planned past its end date.
    const runsOf = async (dagId: string) => (await ui.api<{ dag_runs: Array<{ state: string }> }>(`/api/v1/dags/${dagId}/dagRuns`)).dag_runs;
    await expect.poll(async () => (await runsOf('tt_every_6h')).map((r) => r.state), { timeout: 60_000, interval: 200 })
      .toEqual(['success', 'success', 'success']);
    const delta = await ui.api<Calendar>('/ui/dags/tt_every_6h/calendar?year=2026');
    expect(delta).toEqual({ dag_id: 'tt_every_6h', timezone: 'Europe/Berlin', year: 2026, days: [{ date: '2026-03-29', states: { success: 3 } }], planned: [] });

    // A manual run at 23:30 UTC on June 30 is on July 1 in Berlin; marked failed.
    const run = await ui.api<{ dag_run_id: string }>('/api/v1/dags/tt_nightly/dagRuns', { method: 'POST', body: { logical_date: '2025-06-30T23:30:00Z' } });
    await waitForRunEnd(ui.stack.pool, 'tt_nightly', run.dag_run_id, { diagnostics: () => ui.stack.diagnostics() });
    await ui.api(`/api/v1/dags/tt_nightly/dagRuns/${encodeURIComponent(run.dag_run_id)}`, { method: 'PATCH', body: { state: 'failed' } });
    const y2025 = await ui.api<Calendar>('/ui/dags/tt_nightly/calendar?year=2025');
    expect(y2025.days).toEqual([{ date: '2025-07-01', states: { failed: 1 } }]);
    expect(y2025.planned).toEqual([]);

    // The nightly trigger's next run is planned, on its day in Berlin.
    const next = (await ui.api<{ next_dagrun: string }>('/api/v1/dags/tt_nightly')).next_dagrun;
    const nextDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(next));
    const nextYear = Number(nextDay.slice(0, 4));
    const current = await ui.api<Calendar>(`/ui/dags/tt_nightly/calendar?year=${nextYear}`);
    expect(current.planned[0]).toBe(nextDay);

    const day = (date: string) => page.locator(`[data-testid="calendar-day"][data-date="${date}"]`);
    await page.goto(`${ui.web.url}/dags/tt_nightly?tab=calendar&year=${nextYear}`);
    await expect.poll(() => day(nextDay).getAttribute('data-kind'), { timeout: 30_000 }).toBe('planned');
    expect(await page.getByTestId('calendar-day').count()).toBe(nextYear % 4 === 0 ? 366 : 365);
    expect(await page.getByTestId('calendar-summary').textContent()).toContain('days in Europe/Berlin');
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'calendar');

    // The year before, by its arrow: the failed day, its counts on hover; the URL keeps the year.
    await page.goto(`${ui.web.url}/dags/tt_nightly?tab=calendar&year=2026`);
    await page.getByRole('button', { name: 'previous year' }).click();
    await expect.poll(() => page.getByTestId('calendar').getAttribute('data-year'), { timeout: 30_000 }).toBe('2025');
    expect(new URL(page.url()).searchParams.get('year')).toBe('2025');
    expect(await day('2025-07-01').getAttribute('data-kind')).toBe('failed');
    expect(await day('2025-06-30').getAttribute('data-kind')).toBe('empty');
    expect(await page.locator('[data-testid="calendar-day"][data-kind="planned"]').count()).toBe(0);
    await day('2025-07-01').hover();
    await expect.poll(() => page.getByRole('tooltip').textContent(), { timeout: 30_000 }).toBe('2025-07-01: 1 failed');

    // Bad requests are named.
    const bad = await fetch(`${ui.web.url}/ui/dags/tt_nightly/calendar?year=1969`, { headers: { authorization: `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}` } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('year');
    await expect(ui.api('/ui/dags/no_such_dag/calendar')).rejects.toThrow(/404/);
  });
});
