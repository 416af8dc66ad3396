/**
 * A mapped task in the DAG page: its cell opens a list of its instances (one row per map index,
 * with state and tries); a row opens that instance like an unmapped one (?map_index=N in the URL):
 * its tries, its log and its XCom return value; Mark failed and Clear there act on that instance alone. Screenshot: docs/screenshots/mapped-instances.png.
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

beforeAll(async () => {
  ui = await startUiStack({ dagFiles: ['test/fixtures/dags-ui/mapped.ts'] });
  await ui.waitForDags(['ui_mapped']);
  page = await ui.browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await ui?.stop();
});

afterAll(() => {
  expect(pageErrors).toEqual([]);
});

describe('mapped task instances', () => {
  it('lists a mapped task\'s instances and opens one: its tries, log and XCom', async () => {
    const runId = 'manual_mapped';
    await ui.api('/api/v1/dags/ui_mapped/dagRuns', { method: 'POST', body: { dag_run_id: runId, logical_date: '2024-04-01T00:00:00Z' } });
    const ended = await waitForRunEnd(ui.stack.pool, 'ui_mapped', runId, { diagnostics: () => ui.stack.diagnostics() });
    expect(ended.state).toBe('success');

    await page.goto(`${ui.web.url}/dags/ui_mapped/runs/${runId}`);
    await page.locator('[data-testid="grid-cell"][data-task="each_city"]').first().click();
    const rows = page.locator('[data-testid="mapped-instances"] tbody tr');
    await poll(() => rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-map-index'), e.getAttribute('data-state')]))).toEqual([
      ['0', 'success'], ['1', 'success'], ['2', 'success'],
    ]);
    expect(await rows.locator('[data-field="tries"]').allTextContents()).toEqual(['1', '1', '1']);
    // Each instance is named by the task's mapIndexTemplate, rendered from its element.
    expect(await rows.locator('td:first-child').allTextContents()).toEqual(['city Oslo', 'city Lima', 'city Pune']);
    const named = await ui.api<{ task_instances: Array<{ map_index: number; rendered_map_index: string | null }> }>(
      `/api/v1/dags/ui_mapped/dagRuns/${runId}/taskInstances?task_ids=each_city&task_ids=wide&limit=5`);
    expect(named.task_instances.map((t) => [t.map_index, t.rendered_map_index])).toEqual([[0, 'city Oslo'], [1, 'city Lima'], [2, 'city Pune'], [0, null], [1, null]]);
    // No instance is open yet: the panel asked for none with map index -1 (none exists).
    expect(await page.getByText('Could not load the task instance').count()).toBe(0);
    expect(await page.getByTestId('pick-map-index').count()).toBe(1);

    await rows.nth(1).click();
    await poll(() => new URL(page.url()).searchParams.get('map_index')).toBe('1');
    await poll(() => page.getByTestId('log').textContent()).toContain('visiting Lima at map index 1');
    expect(await page.getByRole('heading', { name: 'each_city [1: city Lima]' }).count()).toBe(1);
    expect(await page.getByTestId('log').textContent()).not.toContain('Oslo');
    expect(await page.locator('[data-testid="try-details"] [data-field="try"]').textContent()).toMatch(/^1 of /);
    const xcom = page.locator('[data-testid="xcom"][data-key="return_value"] code, [data-testid="xcom"][data-key="return_value"] pre');
    await poll(async () => JSON.parse((await xcom.first().textContent()) ?? 'null') as unknown).toEqual({ city: 'Lima', letters: 4 });
    expect(await rows.nth(1).getAttribute('aria-selected')).toBe('true');
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'mapped-instances');

    // A link to a mapped instance's log (as alerts give) opens that instance at once.
    const deep = await ui.browser.newPage();
    await deep.goto(`${ui.web.url}/dags/ui_mapped/runs/${runId}/tasks/each_city?try=1&map_index=2`);
    await poll(() => deep.getByTestId('log').textContent()).toContain('visiting Pune at map index 2');
    await deep.close();
  });

  it('marks the open mapped instance failed, and only it', async () => {
    await page.getByRole('button', { name: 'Mark failed' }).click();
    const dialog = page.getByRole('dialog');
    const affected = dialog.getByTestId('affected-ti');
    await poll(() => affected.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-task')}:${e.getAttribute('data-map-index')}`))).toEqual(['each_city:1']);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const rows = page.locator('[data-testid="mapped-instances"] tbody tr');
    await poll(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['success', 'failed', 'success']);
    const list = await ui.api<{ task_instances: Array<{ map_index: number; state: string }> }>('/api/v1/dags/ui_mapped/dagRuns/manual_mapped/taskInstances?task_ids=each_city');
    expect(list.task_instances.map((t) => [t.map_index, t.state]).sort()).toEqual([[0, 'success'], [1, 'failed'], [2, 'success']]);
  });

  it('clears the open mapped instance alone: the preview lists only it, and only it runs again', async () => {
    await page.getByRole('button', { name: 'Clear' }).click();
    const dialog = page.getByRole('dialog');
    const affected = dialog.getByTestId('affected-ti');
    await poll(() => affected.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-task')}:${e.getAttribute('data-map-index')}`))).toEqual(['each_city:1']);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await waitForRunEnd(ui.stack.pool, 'ui_mapped', 'manual_mapped', { diagnostics: () => ui.stack.diagnostics() });
    const list = () => ui.api<{ task_instances: Array<{ map_index: number; state: string; try_number: number }> }>('/api/v1/dags/ui_mapped/dagRuns/manual_mapped/taskInstances?task_ids=each_city');
    await poll(async () => (await list()).task_instances.map((t) => [t.map_index, t.state, t.try_number]).sort())
      .toEqual([[0, 'success', 1], [1, 'success', 2], [2, 'success', 1]]);
  });

  it('lists a task mapped over 230 elements 100 a page; a link to map index 215 opens the page that holds it', async () => {
    await page.goto(`${ui.web.url}/dags/ui_mapped/runs/manual_mapped/tasks/wide`);
    const rows = page.locator('[data-testid="mapped-instances"] tbody tr');
    const indexes = () => rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-map-index'))));
    // Before, one request of 1,000 rows: a task mapped wider showed its first 1,000 instances only.
    await poll(indexes).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(await page.getByTestId('mapped-range').textContent()).toBe('1–100 of 230');
    expect(await page.getByText('Mapped instances (230)').count()).toBe(1);
    await page.getByTestId('mapped-pages').getByRole('button', { name: '3', exact: true }).click();
    await poll(indexes).toEqual(Array.from({ length: 30 }, (_, i) => 200 + i));
    expect(await page.getByTestId('mapped-range').textContent()).toBe('201–230 of 230');
    // Another mapped task opens on its first page, not on the page the last one was left at (its page 3 is empty).
    await page.locator('[data-testid="grid-cell"][data-task="each_city"]').first().click();
    await poll(indexes).toEqual([0, 1, 2]);
    await page.locator('[data-testid="grid-cell"][data-task="wide"]').first().click();
    await poll(indexes).toEqual(Array.from({ length: 100 }, (_, i) => i));

    const deep = await ui.browser.newPage();
    await deep.goto(`${ui.web.url}/dags/ui_mapped/runs/manual_mapped/tasks/wide?map_index=215`);
    const selected = deep.locator('[data-testid="mapped-instances"] tbody tr[aria-selected="true"]');
    await poll(() => selected.getAttribute('data-map-index')).toBe('215');
    const xcom = deep.locator('[data-testid="xcom"][data-key="return_value"] code, [data-testid="xcom"][data-key="return_value"] pre');
    await poll(async () => JSON.parse((await xcom.first().textContent()) ?? 'null') as unknown).toBe(430);
    await deep.close();
  });
});

