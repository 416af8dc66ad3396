/**
 * The home page (Airflow's dashboard) against the real stack, in Chromium: the DAGs at a glance
 * (failing, running, active, paused, import errors) as the API counts them, each card a link to
 * the DAG list so filtered (the list's last-run filter, also REST's last_dag_run_state); the health
 * of the database and the scheduler; the runs of the window and their task instances by state,
 * refreshed live when another run ends; the pools' slots; a bad window refused naming `hours`.
 * Screenshot: docs/screenshots/home.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot } from '../harness/index.js';
import { waitForRunEnd } from './db.js';
import { startUiStack, type UiStack } from './ui-stack.js';

let ui: UiStack;
let page: Page;
const pageErrors: string[] = [];
const poll = <T,>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });

interface Dashboard {
  dags: Record<string, number>;
  dag_runs: { states: Record<string, number>; types: Record<string, number> };
  task_instances: { states: Record<string, number> };
}

const trigger = async (dagId: string): Promise<void> => {
  const run = await ui.api<{ dag_run_id: string }>(`/api/v1/dags/${dagId}/dagRuns`, { method: 'POST', body: {} });
  await waitForRunEnd(ui.stack.pool, dagId, run.dag_run_id, { diagnostics: () => ui.stack.diagnostics() });
};
const countsShown = (label: string) => page.getByTestId(`${label}-count`).evaluateAll((els) => els.map((e) => `${e.getAttribute('data-state')}:${e.textContent}`));
const dagRows = () => page.getByTestId('dag-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-dag-id')));

beforeAll(async () => {
  ui = await startUiStack({ dagFiles: ['test/fixtures/dags-ui/home.ts', 'test/fixtures/dags-broken/throws_at_import.ts'], unpauseDags: false });
  await ui.waitForDags(['ui_home_fails', 'ui_home_ok', 'ui_home_paused']);
  page = await ui.browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await trigger('ui_home_fails');
  await trigger('ui_home_ok');
});

afterAll(async () => {
  await ui?.stop();
});

afterAll(() => {
  expect(pageErrors).toEqual([]);
});

describe('web UI: home', () => {
  it('counts the DAGs, the window\'s runs and their task instances; a bad window is refused naming hours', async () => {
    const d = await ui.api<Dashboard>('/ui/dashboard');
    expect(d.dags).toEqual({ active: 2, paused: 1, failing: 1, running: 0, import_errors: 1 });
    expect(d.dag_runs).toEqual({ states: { failed: 1, success: 1 }, types: { manual: 2 } });
    expect(d.task_instances.states).toEqual({ failed: 1, success: 2 });
    const refused = await ui.api('/ui/dashboard?hours=0').then(() => 'accepted', (err: Error) => err.message);
    expect(refused).toMatch(/: 400 /);
    expect(refused).toContain('hours');
    // The DAG list's filter by the latest run's state (Airflow's last_dag_run_state).
    const failing = await ui.api<{ dags: { dag_id: string }[] }>('/api/v1/dags?last_dag_run_state=failed');
    expect(failing.dags.map((x) => x.dag_id)).toEqual(['ui_home_fails']);
    expect(await ui.api('/api/v1/dags?last_dag_run_state=broken').then(() => 'accepted', (err: Error) => err.message)).toMatch(/: 400 .*last_dag_run_state/);
  });

  it('shows them at /, with the health and the pools; a card opens the DAG list so filtered', async () => {
    await page.goto(`${ui.web.url}/dags`);
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Home' }).click();
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await poll(() => page.getByTestId('home-failing-value').textContent()).toBe('1');
    expect(await page.getByTestId('home-running-value').textContent()).toBe('0');
    expect(await page.getByTestId('home-active-value').textContent()).toBe('2');
    expect(await page.getByTestId('home-paused-value').textContent()).toBe('1');
    expect(await page.getByTestId('home-import-errors-value').textContent()).toBe('1');
    expect(await countsShown('home-runs')).toEqual(['success:success 1', 'failed:failed 1']);
    expect(await countsShown('home-task-instances')).toEqual(['success:success 2', 'failed:failed 1']);
    await poll(() => page.getByTestId('home-health').allTextContents()).toEqual([
      '●Metadatabase: healthy', expect.stringMatching(/^●Scheduler: healthy · heartbeat /),
    ]);
    await poll(() => page.locator('[data-testid="pool-slots"][data-pool="default_pool"]').getByTestId('pool-slots-text').textContent())
      .toBe('0 running · 0 queued · 128 of 128 open');
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'home');

    await page.getByTestId('home-failing').click();
    await poll(() => new URL(page.url()).search).toBe('?paused=active&last_run=failed');
    await poll(dagRows).toEqual(['ui_home_fails']);
    const filter = page.getByRole('combobox', { name: 'Last run filter' });
    expect(await filter.inputValue()).toBe('Last run failed');
    // The filter in the list itself: the DAGs whose latest run succeeded.
    await filter.click();
    await page.getByRole('option', { name: 'Last run success' }).click();
    await poll(() => new URL(page.url()).search).toBe('?paused=active&last_run=success');
    await poll(dagRows).toEqual(['ui_home_ok']);
  });

  it('follows new runs live, and the window is in the URL', async () => {
    await page.goto(`${ui.web.url}/`);
    await poll(() => countsShown('home-runs')).toEqual(['success:success 1', 'failed:failed 1']);
    await trigger('ui_home_fails');
    await poll(() => countsShown('home-runs')).toEqual(['success:success 1', 'failed:failed 2']);
    await page.getByRole('radiogroup', { name: 'History window' }).locator('label', { hasText: '7 days' }).click();
    await poll(() => new URL(page.url()).search).toBe('?hours=168');
    await page.getByText('History: runs created in the last 7 days, and those still queued or running').waitFor();
  });
});
