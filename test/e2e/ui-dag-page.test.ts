/**
 * The web UI against the real stack, in Chromium: the DAG list (schedules, next runs), triggering
 * hello_world from its page and watching the grid turn green without a reload, the graph, the
 * log of a try (also opened by a deep link), a task that fails on try 1 and succeeds on try 2
 * (both tries with their own worker, duration and log), a running task's log growing live,
 * setup and teardown tasks marked in the graph, and the tasks' durations charted over the runs.
 * Screenshots of these pages go to docs/screenshots/ (the README shows them).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, saveScreenshot } from '../harness/index.js';
import { waitForRunEnd } from './db.js';
import { ADMIN, startUiStack, type UiStack } from './ui-stack.js';

let ui: UiStack;
let page: Page;
const pageErrors: string[] = [];
/** Waits for what the page shows (bounded: synchronization, not a timing assertion). */
const poll = <T,>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });

const DAGS = ['hello_world', 'etl_daily', 'fan_out', 'ui_retry_once', 'ui_slow_log', 'ui_xcom_value', 'sem_setup_teardown', 'sem_setup_teardown_strict'];

beforeAll(async () => {
  ui = await startUiStack({
    dagFiles: ['dags/hello_world.ts', 'dags/etl_daily.ts', 'dags/fan_out.ts', 'test/fixtures/dags-ui/retry_once.ts', 'test/fixtures/dags-ui/slow_log.ts', 'test/fixtures/dags-ui/xcom_value.ts',
      'test/fixtures/dags-semantics/setup-teardown.ts'],
  });
  await ui.waitForDags(DAGS);
  page = await ui.browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await ui?.stop();
});

afterAll(() => {
  expect(pageErrors).toEqual([]);
});

/** Every grid cell of a task, in run order: its data-state. */
const cellStates = (p: Page, taskId: string) =>
  p.locator(`[data-testid="grid-cell"][data-task="${taskId}"]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));

describe('web UI: DAGs, grid, graph, logs', () => {
  it('lists the DAGs with their schedules and next runs', async () => {
    await page.goto(`${ui.web.url}/dags`);
    const row = page.locator('[data-testid="dag-row"][data-dag-id="hello_world"]');
    await row.waitFor();
    expect(await page.locator('[data-testid="dag-row"]').count()).toBe(DAGS.length);
    expect(await row.textContent()).toContain('At 02:00');
    // The timezone comes with the runs overview, a second request: wait for it.
    await poll(async () => (await row.textContent()) ?? '').toContain('0 2 * * * · UTC');
    expect(await row.textContent()).toContain('Prints hello, then goodbye.');
    // A scheduled DAG has a next run ("in N hours" or similar), a manual one a dash.
    expect(await row.locator('td').nth(4).textContent()).toMatch(/in \d+|tomorrow/);
    await page.getByLabel('Search DAGs by id').fill('retry');
    await page.waitForURL(/q=retry/);
    await poll(() => page.locator('[data-testid="dag-row"]').count()).toBe(1);
    await page.getByLabel('Search DAGs by id').fill('');
    await poll(() => page.locator('[data-testid="dag-row"]').count()).toBe(DAGS.length);
    await saveScreenshot(page, 'dag-list');
  });

  it('triggers hello_world from its page; the grid shows the run turn green without a reload; the graph too', async () => {
    await page.goto(`${ui.web.url}/dags/hello_world`);
    await page.getByRole('tab', { name: 'Grid' }).waitFor();
    // Marks this document: a reload would lose it.
    await page.evaluate('window.__noReload = true');
    await page.getByRole('button', { name: 'Trigger hello_world' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Trigger', exact: true }).click();
    type Runs = { dag_runs: { dag_run_id: string; run_type: string }[] };
    const manualRuns = async () => (await ui.api<Runs>('/api/v1/dags/hello_world/dagRuns')).dag_runs.filter((r) => r.run_type === 'manual');
    await poll(async () => (await manualRuns()).length).toBe(1);
    const runs = await ui.api<Runs>('/api/v1/dags/hello_world/dagRuns');
    const manual = await manualRuns();
    const runId = manual[0]!.dag_run_id;
    const column = runs.dag_runs.length - 1; // newest right
    await waitForRunEnd(ui.stack.pool, 'hello_world', runId, { diagnostics: () => ui.stack.diagnostics() });
    await poll(async () => (await cellStates(page, 'print_goodbye'))[column]).toBe('success');
    expect((await cellStates(page, 'print_hello'))[column]).toBe('success');
    // The run's own end is a later statement than its last task's, announced on its own: the header follows.
    await poll(() => page.locator('[data-testid="grid-run"]').nth(column).getAttribute('data-state')).toBe('success');
    expect(await page.evaluate('window.__noReload')).toBe(true);

    await page.locator(`[data-testid="grid-run"]`).nth(column).click();
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.waitForURL(/tab=graph/);
    const nodes = page.locator('[data-testid="graph-node"]');
    await poll(() => nodes.count()).toBe(2);
    expect(await nodes.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-task')}:${e.getAttribute('data-state')}`).sort()))
      .toEqual(['print_goodbye:success', 'print_hello:success']);
    // The trigger's toast (it closes itself after 4 s) would cover the header in the picture.
    const toasts = page.locator('.mantine-Notification-root');
    for (const close of await toasts.locator('.mantine-Notification-closeButton').all()) await close.click({ timeout: 2_000 }).catch(() => undefined);
    await poll(() => toasts.count()).toBe(0);
    await saveScreenshot(page, 'graph');
  });

  it('marks setup and teardown tasks in the grid and the graph, the setup\'s edge to its teardown dashed; a failed work task\'s teardown ran', async () => {
    const runId = await ui.stack.trigger('sem_setup_teardown', { conf: { failWork: true } });
    await waitForRunEnd(ui.stack.pool, 'sem_setup_teardown', runId, { diagnostics: () => ui.stack.diagnostics() });
    // The grid marks them before their ids, as Airflow's does.
    await page.goto(`${ui.web.url}/dags/sem_setup_teardown`);
    const labels = page.locator('[role="row"] [data-role]');
    await poll(() => labels.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-role')}:${e.textContent}`))).toEqual(['setup:↑ create_cluster', 'teardown:↓ delete_cluster']);
    await saveScreenshot(page, 'grid-setup-teardown');
    await page.goto(`${ui.web.url}/dags/sem_setup_teardown?tab=graph`);
    const nodes = page.locator('[data-testid="graph-node"]');
    await poll(() => nodes.count()).toBe(3);
    await poll(() => nodes.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-task')}:${e.getAttribute('data-state')}`).sort()))
      .toEqual(['create_cluster:success', 'delete_cluster:success', 'work:failed']);
    expect(await nodes.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-task')}:${e.querySelector('[data-testid="task-role"]')?.textContent ?? ''}`).sort()))
      .toEqual(['create_cluster:↑ setup', 'delete_cluster:↓ teardown', 'work:']);
    const dash = (edge: string) => page.locator(`[data-testid="rf__edge-${edge}"] path.react-flow__edge-path`).evaluate((e) => (globalThis as unknown as { getComputedStyle(el: unknown): { strokeDasharray: string } }).getComputedStyle(e).strokeDasharray);
    expect(await dash('create_cluster->delete_cluster')).toMatch(/^5(px)?,? 4(px)?$/);
    expect(await dash('work->delete_cluster')).toBe('none');
    await saveScreenshot(page, 'graph-setup-teardown');
    // Marking a run of a DAG with teardowns says they still run (the server leaves them to run).
    await page.goto(`${ui.web.url}/dags/sem_setup_teardown/runs/${encodeURIComponent(runId)}`);
    await page.getByRole('button', { name: 'Mark run failed' }).click();
    const dialog = page.getByRole('dialog');
    await poll(() => dialog.textContent()).toContain('Teardown tasks that have not ended still run: the run ends once they did.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('shows print_hello\'s try-1 log, and opens it from a deep link', async () => {
    await page.goto(`${ui.web.url}/dags/hello_world`);
    await page.locator('[data-testid="grid-cell"][data-task="print_hello"]').last().click();
    await page.waitForURL(/\/dags\/hello_world\/runs\/[^/]+\/tasks\/print_hello/);
    const log = page.getByTestId('log');
    await poll(() => log.textContent()).toContain('[stdout] hello from hello_world');
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'grid');

    const deep = await ui.browser.newPage();
    await deep.goto(`${page.url().split('?')[0]}?try=1`);
    await poll(() => deep.getByTestId('log').textContent()).toContain('hello from hello_world');
    await deep.close();
  });

  it('opens /dags/hello_world/runs/{run}/tasks/print_hello?try=1 directly after logging in: that log shows', async () => {
    const runs = await ui.api<{ dag_runs: { dag_run_id: string; run_type: string }[] }>('/api/v1/dags/hello_world/dagRuns');
    const runId = runs.dag_runs.find((r) => r.run_type === 'manual')!.dag_run_id;
    const link = `/dags/hello_world/runs/${encodeURIComponent(runId)}/tasks/print_hello?try=1`;
    const fresh = await launchBrowser();
    try {
      const p = await fresh.newPage();
      await p.goto(`${ui.web.url}${link}`);
      await p.waitForURL(/\/login\?redirect=/);
      await p.getByLabel('Username').fill(ADMIN.username);
      await p.getByLabel('Password', { exact: true }).fill(ADMIN.password);
      await p.getByRole('button', { name: 'Log in' }).click();
      await p.waitForURL(`${ui.web.url}${link}`);
      await poll(() => p.getByTestId('log').textContent()).toContain('[stdout] hello from hello_world');
      expect(await p.locator('[data-testid="try-details"] [data-field="try"]').textContent()).toMatch(/^1 of /);
    } finally {
      await fresh.close();
    }
  });

  it('shows the DAG file\'s source in the Code tab, highlighted, with line numbers', async () => {
    await page.goto(`${ui.web.url}/dags/hello_world?tab=code`);
    const source = page.getByTestId('dag-source');
    await poll(() => source.textContent()).toContain('echo "hello from {{ dag_id }} for {{ ds }}"');
    expect(await source.locator('[data-token="keyword"]').filter({ hasText: 'import' }).count()).toBeGreaterThan(0);
    expect(await source.locator('[data-token="string"]').filter({ hasText: "'hello_world'" }).count()).toBe(1);
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'code');
  });

  it('the Gantt of a fan_out run: tries as bars on a time axis, growing live, coloured by state when they end', async () => {
    const run = await ui.api<{ dag_run_id: string }>('/api/v1/dags/fan_out/dagRuns', { method: 'POST', body: {} });
    await page.goto(`${ui.web.url}/dags/fan_out/runs/${encodeURIComponent(run.dag_run_id)}?tab=gantt`);
    await page.evaluate('window.__noReload = true');
    const bar = (task: string, kind: string) => page.locator(`[data-testid="gantt-bar"][data-task="${task}"][data-kind="${kind}"]`);
    // sleep runs for 5 s: its running bar shows open (ending at now) while it runs.
    await poll(() => bar('sleep', 'running').getAttribute('data-open')).toBe('true');
    expect(await bar('sleep', 'running').getAttribute('data-state')).toBe('running');
    await waitForRunEnd(ui.stack.pool, 'fan_out', run.dag_run_id, { diagnostics: () => ui.stack.diagnostics() });
    await poll(() => bar('sleep', 'running').getAttribute('data-state')).toBe('success');
    expect(await bar('sleep', 'running').getAttribute('data-open')).toBeNull();
    expect(await page.evaluate('window.__noReload')).toBe(true);
    // A row per task in topological order, each with its queued wait and its run.
    expect(await page.getByTestId('gantt-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-task')))).toEqual(['print_date', 'ls_tmp', 'sleep']);
    for (const task of ['print_date', 'ls_tmp', 'sleep']) {
      expect(await bar(task, 'queued').count()).toBe(1);
      expect(await bar(task, 'running').getAttribute('data-state')).toBe('success');
    }
    // On the time axis, sleep starts after print_date ended, and lasts longer than it.
    const box = async (task: string) => (await bar(task, 'running').boundingBox())!;
    const [first, slept] = [await box('print_date'), await box('sleep')];
    expect(slept.x).toBeGreaterThanOrEqual(first.x + first.width - 1);
    expect(slept.width).toBeGreaterThan(first.width);
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'gantt');
    // A bar opens its try.
    await bar('sleep', 'running').click();
    await page.waitForURL(/\/tasks\/sleep\?.*try=1/);
    await page.getByRole('heading', { name: 'sleep' }).waitFor();
  });

  it('a task that fails on try 1 and succeeds on try 2: both tries, each with its worker, duration and log', async () => {
    const run = await ui.api<{ dag_run_id: string }>('/api/v1/dags/ui_retry_once/dagRuns', { method: 'POST', body: {} });
    const ended = await waitForRunEnd(ui.stack.pool, 'ui_retry_once', run.dag_run_id, { diagnostics: () => ui.stack.diagnostics() });
    expect(ended.state).toBe('success');
    await page.goto(`${ui.web.url}/dags/ui_retry_once/runs/${encodeURIComponent(run.dag_run_id)}/tasks/flaky`);
    const tries = page.getByRole('radiogroup', { name: 'Try' });
    await tries.waitFor();
    expect(await tries.textContent()).toMatch(/Try 1 · failed.*Try 2 · success/);
    const field = (name: string) => page.locator(`[data-testid="try-details"] [data-field="${name}"]`).textContent();
    // The latest try is shown first.
    await poll(() => page.getByTestId('log').textContent()).toContain('[stdout] second time lucky');
    expect(await field('worker')).toBe('w1');
    expect(await field('duration')).toMatch(/\d/);
    await page.getByText('Try 1 · failed').click();
    await page.waitForURL(/try=1/);
    await poll(() => page.getByTestId('log').textContent()).toContain('failing on purpose');
    expect(await page.getByTestId('log').textContent()).not.toContain('[stdout] second time lucky');
    expect(await field('worker')).toBe('w1');
    expect(await field('duration')).toMatch(/\d/);
    expect(await field('state')).toContain('failed');

    await page.goto(`${ui.web.url}/dags/ui_retry_once/runs/${encodeURIComponent(run.dag_run_id)}?tab=gantt`);
    const flaky = page.locator('[data-testid="gantt-bar"][data-task="flaky"][data-kind="running"]');
    await poll(() => flaky.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-try')}:${e.getAttribute('data-state')}`))).toEqual(['1:failed', '2:success']);
  });

  it('shows the XCom value a task returned in its panel', async () => {
    const run = await ui.api<{ dag_run_id: string }>('/api/v1/dags/ui_xcom_value/dagRuns', { method: 'POST', body: {} });
    const ended = await waitForRunEnd(ui.stack.pool, 'ui_xcom_value', run.dag_run_id, { diagnostics: () => ui.stack.diagnostics() });
    expect(ended.state).toBe('success');
    await page.goto(`${ui.web.url}/dags/ui_xcom_value/runs/${encodeURIComponent(run.dag_run_id)}/tasks/count_rows`);
    const xcom = page.locator('[data-testid="xcom"][data-key="return_value"]');
    await poll(async () => JSON.parse((await xcom.locator('pre, code').first().textContent()) ?? 'null') as unknown).toEqual({ table: 'orders', rows: 3 });
  });

  it('a running task\'s log grows live, and its cell goes from running to success', async () => {
    const run = await ui.api<{ dag_run_id: string }>('/api/v1/dags/ui_slow_log/dagRuns', { method: 'POST', body: {} });
    await page.goto(`${ui.web.url}/dags/ui_slow_log/runs/${encodeURIComponent(run.dag_run_id)}/tasks/tick`);
    await page.evaluate('window.__noReload = true');
    const log = page.getByTestId('log');
    await poll(() => cellStates(page, 'tick')).toEqual(['running']);
    await poll(() => log.textContent()).toContain('[stdout] tick 3');
    // Still running, and more lines arrive without a reload.
    expect(await log.textContent()).not.toContain('[stdout] all ticks done');
    await saveScreenshot(page, 'task-log');
    await poll(() => log.textContent()).toContain('[stdout] tick 12');
    await poll(() => log.textContent()).toContain('[stdout] all ticks done');
    await poll(() => cellStates(page, 'tick')).toEqual(['success']);
    expect(await page.evaluate('window.__noReload')).toBe(true);
  });

  it('charts each task\'s duration over the runs, the grid\'s own figures, a point opening its task instance', async () => {
    // Two more runs of hello_world, so its lines have points to join.
    for (let i = 0; i < 2; i++) {
      const run = await ui.api<{ dag_run_id: string }>('/api/v1/dags/hello_world/dagRuns', { method: 'POST', body: {} });
      await waitForRunEnd(ui.stack.pool, 'hello_world', run.dag_run_id, { diagnostics: () => ui.stack.diagnostics() });
    }
    interface Grid { dag_runs: Array<{ dag_run_id: string; end_date: string | null }>; task_instances: Array<{ dag_run_id: string; task_id: string; duration: number | null }> }
    const grid = await ui.api<Grid>('/ui/dags/hello_world/grid?limit=25');
    const expected = (taskId: string) => [...grid.dag_runs].reverse().flatMap((r) => {
      const ti = grid.task_instances.find((t) => t.dag_run_id === r.dag_run_id && t.task_id === taskId);
      return ti?.duration == null ? [] : [`${r.dag_run_id}=${ti.duration}`];
    });
    expect(expected('print_goodbye').length).toBeGreaterThanOrEqual(3);
    await page.goto(`${ui.web.url}/dags/hello_world?tab=durations`);
    await page.getByTestId('durations').waitFor();
    const series = page.getByTestId('durations-series');
    await poll(() => series.evaluateAll((els) => els.map((e) => e.getAttribute('data-task')))).toEqual(['print_hello', 'print_goodbye']);
    for (const taskId of ['print_hello', 'print_goodbye']) {
      const points = page.locator(`[data-testid="durations-series"][data-task="${taskId}"] [data-testid="durations-point"]`);
      expect(await points.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-run')}=${e.getAttribute('data-seconds')}`))).toEqual(expected(taskId));
    }
    expect(await page.getByTestId('durations-run-line').count()).toBe(1);
    expect(await page.getByTestId('durations-legend').allTextContents()).toEqual(['print_hello', 'print_goodbye']);
    // The runs here were triggered within a minute: their labels say their seconds, no two alike.
    const labels = await page.getByTestId('durations-x-label').allTextContents();
    expect(labels.length).toBeGreaterThanOrEqual(2);
    expect(new Set(labels).size).toBe(labels.length);
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'durations');
    const last = page.locator('[data-testid="durations-series"][data-task="print_goodbye"] [data-testid="durations-point"]').last();
    const runId = await last.getAttribute('data-run');
    await last.click();
    await poll(() => new URL(page.url()).pathname).toBe(`/dags/hello_world/runs/${encodeURIComponent(runId!)}/tasks/print_goodbye`);
  });
});
