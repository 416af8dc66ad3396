/**
 * Changing runs and task instances from the web UI, in Chromium against the real stack: clearing a
 * failed task with its downstream tasks (the dry-run preview lists exactly them; confirmed, the
 * task runs again as try 2 and the run succeeds), marking a task instance and a run failed, adding a note to the run,
 * a Viewer who is offered none of these controls, and deleting the DAG. The clear preview's and the
 * delete confirmation's screenshots go to docs/screenshots/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot } from '../harness/index.js';
import { taskInstances, waitFor, waitForRunEnd } from './db.js';
import { startUiStack, type UiStack } from './ui-stack.js';

let ui: UiStack;
let page: Page;
let runId: string;
const pageErrors: string[] = [];
const DAG = 'ui_fail_downstream';
/** Waits for what the page shows (bounded: synchronization, not a timing assertion). */
const poll = <T,>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });
const tiUrl = (taskId: string) => `${ui.web.url}/dags/${DAG}/runs/${encodeURIComponent(runId)}/tasks/${taskId}`;

beforeAll(async () => {
  ui = await startUiStack({ dagFiles: ['test/fixtures/dags-ui/fail_downstream.ts'] });
  await ui.waitForDags([DAG]);
  page = await ui.browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const run = await ui.api<{ dag_run_id: string }>(`/api/v1/dags/${DAG}/dagRuns`, { method: 'POST', body: {} });
  runId = run.dag_run_id;
  const ended = await waitForRunEnd(ui.stack.pool, DAG, runId, { diagnostics: () => ui.stack.diagnostics() });
  expect(ended.state).toBe('failed');
});

afterAll(async () => {
  await ui?.stop();
});

afterAll(() => {
  expect(pageErrors).toEqual([]);
});

describe('web UI: clear and mark', () => {
  it('clears the failed task with its downstream tasks after a preview listing exactly them', async () => {
    const before = await taskInstances(ui.stack.pool, DAG, runId);
    expect(Object.fromEntries([...before].map(([id, t]) => [id, t.state]))).toEqual({
      extract: 'success',
      transform: 'failed',
      load: 'upstream_failed',
      notify: 'upstream_failed',
    });
    await page.goto(tiUrl('transform'));
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('checkbox', { name: 'Downstream' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'Upstream' }).isChecked()).toBe(false);
    const rows = dialog.getByTestId('affected-ti');
    const listed = () => rows.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-task')}:${e.textContent?.includes('upstream failed') ? 'upstream_failed' : e.textContent?.includes('failed') ? 'failed' : '?'}`).sort());
    await poll(listed).toEqual(['load:upstream_failed', 'notify:upstream_failed', 'transform:failed']);
    expect(await rows.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-run')}/${e.getAttribute('data-map-index')}`))).toEqual([`${runId}/-1`, `${runId}/-1`, `${runId}/-1`]);
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'clear-preview');

    // Upstream too: extract joins the list; off again: back to the three.
    await dialog.getByRole('checkbox', { name: 'Upstream' }).click();
    await poll(async () => (await listed()).length).toBe(4);
    await dialog.getByRole('checkbox', { name: 'Upstream' }).click();
    await poll(async () => (await listed()).length).toBe(3);

    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Cleared: transform runs again as try 2 (it succeeds then), and so do load and notify.
    const ended = await waitFor(`${DAG} to run again and succeed`, async () => {
      const t = await taskInstances(ui.stack.pool, DAG, runId);
      return t.get('notify')?.state === 'success' ? t : undefined;
    }, { diagnostics: () => ui.stack.diagnostics() });
    expect(ended.get('transform')).toMatchObject({ state: 'success', tryNumber: 2 });
    expect(ended.get('load')?.state).toBe('success');
    expect(ended.get('extract')).toMatchObject({ state: 'success', tryNumber: 1 });
    const run = await waitForRunEnd(ui.stack.pool, DAG, runId, { diagnostics: () => ui.stack.diagnostics() });
    expect(run.state).toBe('success');
    // The panel follows without a reload.
    await poll(() => page.getByRole('radiogroup', { name: 'Try' }).textContent()).toMatch(/Try 1 · failed.*Try 2 · success/);
  });

  it('marks a task instance failed after a preview listing it', async () => {
    await page.goto(tiUrl('notify'));
    await page.getByRole('button', { name: 'Mark failed' }).click();
    const dialog = page.getByRole('dialog');
    const rows = dialog.getByTestId('affected-ti');
    await poll(() => rows.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-task')}:${e.getAttribute('data-run')}`))).toEqual([`notify:${runId}`]);
    expect(await rows.first().textContent()).toContain('success');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const ti = await ui.api<{ state: string }>(`/api/v1/dags/${DAG}/dagRuns/${encodeURIComponent(runId)}/taskInstances/notify`);
    expect(ti.state).toBe('failed');
    // The panel's state badge (next to the task id) follows without a reload.
    await poll(() => page.getByRole('heading', { name: 'notify' }).locator('xpath=following-sibling::*[1]').textContent()).toBe('failed');
  });

  it('marks the run failed after a confirmation', async () => {
    await page.goto(`${ui.web.url}/dags/${DAG}/runs/${encodeURIComponent(runId)}`);
    await page.getByRole('button', { name: 'Mark run failed' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain(runId);
    // This DAG has no teardown task: nothing is said of teardowns.
    expect(await dialog.textContent()).not.toContain('Teardown');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const run = await ui.api<{ state: string }>(`/api/v1/dags/${DAG}/dagRuns/${encodeURIComponent(runId)}`);
    expect(run.state).toBe('failed');
  });

  it('adds a note to the run from its panel', async () => {
    await page.goto(`${ui.web.url}/dags/${DAG}/runs/${encodeURIComponent(runId)}`);
    await page.getByRole('button', { name: 'Add a note' }).click();
    const form = page.getByRole('form', { name: 'run note' });
    await form.getByLabel('Note').fill('transform failed on a bad input file; cleared after the fix');
    await form.getByRole('button', { name: 'Save note' }).click();
    await form.waitFor({ state: 'detached' });
    await poll(() => page.getByTestId('run-note').textContent()).toBe('transform failed on a bad input file; cleared after the fix');
    const run = await ui.api<{ note: string | null }>(`/api/v1/dags/${DAG}/dagRuns/${encodeURIComponent(runId)}`);
    expect(run.note).toBe('transform failed on a bad input file; cleared after the fix');
  });

  it('adds a note to a task instance from its panel; it stays across pages and clears when emptied', async () => {
    await page.goto(tiUrl('extract'));
    await page.getByRole('heading', { name: 'extract' }).waitFor();
    await page.getByRole('button', { name: 'Add a note' }).click();
    const form = page.getByRole('form', { name: 'task instance note' });
    await form.getByLabel('Note').fill('input file arrived late; rerun if the totals look low');
    await form.getByRole('button', { name: 'Save note' }).click();
    await form.waitFor({ state: 'detached' });
    await poll(() => page.getByTestId('task-instance-note').textContent()).toBe('input file arrived late; rerun if the totals look low');
    await saveScreenshot(page, 'task-instance-note');
    const path = `/api/v1/dags/${DAG}/dagRuns/${encodeURIComponent(runId)}/taskInstances/extract`;
    expect((await ui.api<{ note: string | null }>(path)).note).toBe('input file arrived late; rerun if the totals look low');
    const listed = await ui.api<{ task_instances: Array<{ task_id: string; note: string | null }> }>(`/api/v1/dags/${DAG}/dagRuns/${encodeURIComponent(runId)}/taskInstances`);
    expect(Object.fromEntries(listed.task_instances.map((t) => [t.task_id, t.note]))).toMatchObject({ extract: 'input file arrived late; rerun if the totals look low', transform: null });
    // A note of an instance that does not exist is refused, naming it.
    await expect(ui.api(`/api/v1/dags/${DAG}/dagRuns/${encodeURIComponent(runId)}/taskInstances/nope/setNote`, { method: 'PATCH', body: { note: 'x' } }))
      .rejects.toThrow(/404 .*task instance 'nope' of run/);
    const cleared = await ui.api<{ note: string | null }>(`${path}/setNote`, { method: 'PATCH', body: { note: '  ' } });
    expect(cleared.note).toBeNull();
    await page.reload();
    await page.getByRole('heading', { name: 'extract' }).waitFor();
    await poll(() => page.getByText('No note.').count()).toBeGreaterThan(0);
  });

  it('a Viewer sees no Clear or Mark buttons', async () => {
    const viewer = { username: 'viewer', password: 'ui-Viewer-pw-8812' };
    await ui.createUser(viewer.username, viewer.password, 'Viewer');
    const b = await ui.openBrowser({ as: viewer });
    const p = await b.newPage();
    await p.goto(tiUrl('transform'));
    // The user menu shows once the role is known (the same query the actions use).
    await p.getByRole('button', { name: 'user menu: viewer' }).waitFor();
    await p.getByRole('heading', { name: 'transform' }).waitFor();
    expect(await p.getByRole('button', { name: /^(Clear|Mark)/ }).count()).toBe(0);
    await p.goto(`${ui.web.url}/dags/${DAG}/runs/${encodeURIComponent(runId)}`);
    await p.getByRole('button', { name: 'user menu: viewer' }).waitFor();
    await p.getByRole('heading', { name: runId }).waitFor();
    expect(await p.getByRole('button', { name: /^(Clear|Mark)/ }).count()).toBe(0);
    expect(await p.getByRole('button', { name: `Delete ${DAG}` }).count()).toBe(0);
    expect(await p.getByRole('button', { name: 'Delete run' }).count()).toBe(0);
    // The note shows, without a control to change it.
    await p.getByTestId('run-note').waitFor();
    expect(await p.getByRole('button', { name: /note$/ }).count()).toBe(0);
    // The admin's page does offer them (the check above can fail).
    await page.goto(tiUrl('transform'));
    await page.getByRole('button', { name: 'Mark success' }).waitFor();
  });

  it('deletes a run after a confirmation; the DAG page opens and the other run stays', async () => {
    const extra = await ui.api<{ dag_run_id: string }>(`/api/v1/dags/${DAG}/dagRuns`, { method: 'POST', body: {} });
    await waitForRunEnd(ui.stack.pool, DAG, extra.dag_run_id, { diagnostics: () => ui.stack.diagnostics() });
    await page.goto(`${ui.web.url}/dags/${DAG}/runs/${encodeURIComponent(extra.dag_run_id)}`);
    await page.getByRole('button', { name: 'Delete run' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('delete-run').waitFor();
    expect(await dialog.textContent()).toContain(extra.dag_run_id);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await poll(() => new URL(page.url()).pathname).toBe(`/dags/${DAG}`);
    const { rows } = await ui.stack.pool.query<{ run_id: string }>('SELECT run_id FROM dag_run WHERE dag_id = $1', [DAG]);
    expect(rows.map((r) => r.run_id)).toEqual([runId]);
  });

  it('deletes the DAG with its history after a confirmation that says what goes and what stays', async () => {
    await page.goto(`${ui.web.url}/dags/${DAG}`);
    await page.getByRole('button', { name: `Delete ${DAG}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('delete-dag').waitFor();
    expect(await dialog.textContent()).toContain('The event log and the task log files stay');
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'delete-dag');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await poll(() => new URL(page.url()).pathname).toBe('/dags');
    // Its runs are gone (the DAG itself comes back, without history, when the scheduler parses its file again).
    const { rows } = await ui.stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM dag_run WHERE dag_id = $1', [DAG]);
    expect(rows[0]!.n).toBe(0);
    const events = await ui.stack.pool.query<{ owner: string }>(`SELECT owner FROM event_log WHERE dag_id = $1 AND event = 'dag.delete'`, [DAG]);
    expect(events.rows).toHaveLength(1);
  });
});
