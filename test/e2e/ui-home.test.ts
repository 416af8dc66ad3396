/**
 * The home page (Airflow's dashboard) against the real stack, in Chromium: the DAGs at a glance
 * (failing, running, active, paused, import errors) as the API counts them, each card a link to
 * the DAG list so filtered (the list's last-run filter, also REST's last_dag_run_state); the health
 * of the database, the scheduler and the workers; the runs of the window and their task instances by state,
 * refreshed live when another run ends; the pools' slots; a bad window refused naming `hours`;
 * favourite DAGs (each user's own, marked by a star in the DAG list, on the DAG's page and on the
 * home page, REST favorite/unfavorite and is_favorite); the list of every task instance (filters in
 * the URL, newest first, REST order_by). Screenshots: home.png, task-instances.png.
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
  workers: Record<string, number>;
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
    // The stack's one worker; what it runs is what its last heartbeat said: idle once the next one came.
    expect(d.workers).toEqual({ online: 1, draining: 0, slots: expect.any(Number), running: expect.any(Number) });
    expect(d.workers.slots).toBeGreaterThan(0);
    await poll(async () => (await ui.api<Dashboard>('/ui/dashboard')).workers.running).toBe(0);
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

  it('keeps each user\'s favourite DAGs: marked twice is one, the list filters by them, another user has their own', async () => {
    const ids = async (query: string) => (await ui.api<{ dags: { dag_id: string }[] }>(`/api/v1/dags?${query}`)).dags.map((x) => x.dag_id);
    await ui.api('/api/v1/dags/ui_home_ok/favorite', { method: 'POST' });
    await ui.api('/api/v1/dags/ui_home_ok/favorite', { method: 'POST' });
    expect(await ids('is_favorite=true')).toEqual(['ui_home_ok']);
    expect(await ids('is_favorite=false')).toEqual(['ui_home_fails', 'ui_home_paused']);
    expect(await ui.api('/api/v1/dags/no_such_dag/favorite', { method: 'POST' }).then(() => 'accepted', (err: Error) => err.message)).toMatch(/: 404 .*no_such_dag/);
    await ui.createUser('home_viewer', 'home-viewer-pass', 'Viewer');
    const asViewer = (path: string, method = 'GET') => fetch(`${ui.web.url}${path}`, {
      method, headers: { authorization: `Basic ${Buffer.from('home_viewer:home-viewer-pass').toString('base64')}`, accept: 'application/json' },
    });
    expect(((await (await asViewer('/api/v1/dags?is_favorite=true')).json()) as { dags: unknown[] }).dags).toEqual([]);
    expect((await asViewer('/api/v1/dags/ui_home_paused/favorite', 'POST')).status).toBe(204);
    expect(((await (await asViewer('/api/v1/dags?is_favorite=true')).json()) as { dags: { dag_id: string }[] }).dags.map((x) => x.dag_id)).toEqual(['ui_home_paused']);
    expect(await ids('is_favorite=true')).toEqual(['ui_home_ok']);
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
      '●Metadatabase: healthy', expect.stringMatching(/^●Scheduler: healthy · heartbeat /), expect.stringMatching(/^●Workers: 1 online · \d+ of \d+ slots busy/),
    ]);
    await poll(() => page.locator('[data-testid="pool-slots"][data-pool="default_pool"]').getByTestId('pool-slots-text').textContent())
      .toBe('0 running · 0 queued · 128 of 128 open');
    await poll(() => page.getByTestId('home-favorite').evaluateAll((els) => els.map((e) => e.getAttribute('data-dag-id')))).toEqual(['ui_home_ok']);
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

  it('a star marks and unmarks a favourite from the DAG list, the DAG page and the home page', async () => {
    const favoritesShown = () => page.getByTestId('home-favorite').evaluateAll((els) => els.map((e) => e.getAttribute('data-dag-id')));
    await page.goto(`${ui.web.url}/dags`);
    const star = page.getByRole('button', { name: 'Favorite ui_home_fails' });
    await star.click();
    await poll(() => page.getByRole('button', { name: 'Unfavorite ui_home_fails' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Home' }).click();
    await poll(favoritesShown).toEqual(['ui_home_fails', 'ui_home_ok']);
    await page.getByRole('button', { name: 'Unfavorite ui_home_ok' }).click();
    await poll(favoritesShown).toEqual(['ui_home_fails']);
    await page.goto(`${ui.web.url}/dags/ui_home_fails`);
    await page.getByRole('button', { name: 'Unfavorite ui_home_fails' }).click();
    await poll(() => page.getByRole('button', { name: 'Favorite ui_home_fails' }).getAttribute('aria-pressed')).toBe('false');
    await page.goto(`${ui.web.url}/`);
    await page.getByTestId('home-favorites-empty').waitFor();
    expect(await ui.api<{ dags: unknown[] }>('/api/v1/dags?is_favorite=true').then((r) => r.dags)).toEqual([]);
  });

  it('lists every task instance newest first, filtered by state, DAG and start in the URL; each opens on its DAG\'s page', async () => {
    type Tis = { task_instances: { dag_id: string; task_id: string; state: string | null; start_date: string | null }[]; total_entries: number };
    const all = await ui.api<Tis>('/api/v1/dags/~/dagRuns/~/taskInstances?order_by=-start_date&limit=100');
    const starts = all.task_instances.map((t) => t.start_date!);
    expect(starts).toEqual([...starts].sort().reverse());
    expect(await ui.api('/api/v1/dags/~/dagRuns/~/taskInstances?order_by=-bogus').then(() => 'accepted', (err: Error) => err.message)).toMatch(/: 400 .*order_by/);
    const rowsShown = () => page.getByTestId('ti-row').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-key')}:${e.getAttribute('data-state')}`));

    await page.goto(`${ui.web.url}/`);
    await page.getByTestId('home-browse-task-instances').click();
    await poll(() => new URL(page.url()).search).toBe('?hours=24');
    await poll(rowsShown).toEqual(all.task_instances.map((t) => `${t.dag_id}/${t.task_id}:${t.state}`));
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'task-instances');

    // Opened from its address (the webserver serves the app there too).
    await page.goto(`${ui.web.url}/task-instances?state=failed`);
    const failed = all.task_instances.filter((t) => t.state === 'failed').map((t) => `${t.dag_id}/${t.task_id}:failed`);
    expect(failed.length).toBeGreaterThan(0);
    await poll(rowsShown).toEqual(failed);
    expect(await page.getByTestId('ti-total').textContent()).toBe(`${failed.length} task ${failed.length === 1 ? 'instance' : 'instances'}`);

    // The header's link opens the last 24 hours.
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Task instances' }).click();
    await poll(() => new URL(page.url()).search).toBe('?hours=24');
    await page.getByRole('textbox', { name: 'DAG id' }).fill('ui_home_ok');
    await poll(rowsShown).toEqual(['ui_home_ok/load:success', 'ui_home_ok/extract:success']);
    expect(new URL(page.url()).searchParams.get('dag_id')).toBe('ui_home_ok');
    await page.getByTestId('ti-link').first().click();
    await poll(() => new URL(page.url()).pathname).toMatch(/^\/dags\/ui_home_ok\/runs\/[^/]+\/tasks\/load$/);
  });
});
