/**
 * A try's panel in the web UI for a real finished try: a bash task that renders `{{ ds }}` and
 * exits 3 shows its worker (linked to the worker's page in the monitor), host, pid, queue, times,
 * duration, exit code 3, why it ended, and the rendered command and environment. The REST API
 * answers the same for the try. A trigger task's try links the run it triggered, with its conf.
 * Screenshots: docs/screenshots/task-try-details.png, task-try-triggered-run.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot } from '../harness/index.js';
import { waitForRunEnd } from './db.js';
import { startUiStack, type UiStack } from './ui-stack.js';

const MONITOR_URL = 'http://monitor.example.test:5555';
let ui: UiStack;
let page: Page;
const pageErrors: string[] = [];
const poll = <T,>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });

beforeAll(async () => {
  ui = await startUiStack({ dagFiles: ['test/fixtures/dags-ui/try_details.ts', 'test/fixtures/dags-ui/trigger_run.ts'] }, { monitorUrl: MONITOR_URL });
  await ui.waitForDags(['ui_try_details', 'ui_trigger_parent', 'ui_trigger_child']);
  page = await ui.browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await ui?.stop();
});

afterAll(() => {
  expect(pageErrors).toEqual([]);
});

interface TryJson {
  state: string; exit_code: number | null; end_reason: string | null; pid: number | null; hostname: string | null; worker: string | null;
  queue: string | null; rendered_fields: { bash_command?: string; env?: Record<string, string> };
}

describe('task try details', () => {
  it('shows worker, host, pid, queue, times, exit code 3, the reason, and the rendered command of a failed bash try', async () => {
    const runId = 'manual_try_details';
    await ui.api('/api/v1/dags/ui_try_details/dagRuns', { method: 'POST', body: { dag_run_id: runId, logical_date: '2024-03-05T00:00:00Z' } });
    const ended = await waitForRunEnd(ui.stack.pool, 'ui_try_details', runId, { diagnostics: () => ui.stack.diagnostics() });
    expect(ended.state).toBe('failed');

    const tryJson = await ui.api<TryJson>(`/api/v1/dags/ui_try_details/dagRuns/${runId}/taskInstances/render_then_fail/tries/1`);
    expect(tryJson).toMatchObject({ state: 'failed', exit_code: 3, worker: 'w1', queue: 'default' });
    expect(tryJson.end_reason).toMatch(/3/);
    expect(tryJson.pid).toBeGreaterThan(0);
    expect(tryJson.rendered_fields).toEqual({
      bash_command: 'echo "rendering for 2024-03-05 in $RUN_LABEL"; exit 3',
      env: { RUN_LABEL: `run ${runId}` },
    });

    await page.goto(`${ui.web.url}/dags/ui_try_details/runs/${runId}/tasks/render_then_fail`);
    const field = (name: string) => page.locator(`[data-testid="try-details"] [data-field="${name}"]`).textContent();
    await poll(() => field('exit code')).toBe('3');
    expect(await field('ended because')).toBe(tryJson.end_reason);
    expect(await field('worker')).toBe('w1');
    expect(await field('host')).toBe(tryJson.hostname);
    expect(await field('pid')).toBe(String(tryJson.pid));
    expect(await field('queue')).toBe('default · pool default_pool');
    expect(await field('started')).toMatch(/\d/);
    expect(await field('ended')).toMatch(/\d/);
    expect(await field('duration')).toMatch(/\d/);
    expect(await field('state')).toContain('failed');
    expect(await page.getByTestId('rendered-command').textContent()).toBe('echo "rendering for 2024-03-05 in $RUN_LABEL"; exit 3');
    expect(await page.getByTestId('rendered-env').textContent()).toBe(`RUN_LABEL=run ${runId}`);
    expect(await page.getByTestId('worker-link').getAttribute('href')).toBe(`${MONITOR_URL}/worker/w1`);
    await poll(() => page.getByTestId('log').textContent()).toContain('rendering for 2024-03-05 in run manual_try_details');
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'task-try-details');
  });

  it('a trigger task\'s try links the run it triggered and shows its conf; the link opens that run', async () => {
    const runId = 'manual_trigger_parent';
    await ui.api('/api/v1/dags/ui_trigger_parent/dagRuns', { method: 'POST', body: { dag_run_id: runId, logical_date: '2024-03-06T00:00:00Z' } });
    const ended = await waitForRunEnd(ui.stack.pool, 'ui_trigger_parent', runId, { diagnostics: () => ui.stack.diagnostics() });
    expect(ended.state).toBe('success');
    const tryJson = await ui.api<TryJson & { rendered_fields: Record<string, unknown> }>(`/api/v1/dags/ui_trigger_parent/dagRuns/${runId}/taskInstances/start_load/tries/1`);
    expect(tryJson).toMatchObject({ state: 'success', worker: null, pid: null });
    expect(tryJson.rendered_fields).toEqual({
      trigger_dag_id: 'ui_trigger_child', trigger_run_id: 'for__2024-03-06', logical_date: expect.stringMatching(/^\d{4}-/), conf: { day: '2024-03-06' },
    });
    const tasks = await ui.api<{ tasks: Array<{ task_id: string; class_ref: { class_name: string }; template_fields: string[] }> }>('/api/v1/dags/ui_trigger_parent/tasks');
    expect(tasks.tasks[0]).toMatchObject({ task_id: 'start_load', class_ref: { class_name: 'TriggerDagRunTask' }, template_fields: ['trigger_run_id', 'logical_date', 'conf'] });

    await page.goto(`${ui.web.url}/dags/ui_trigger_parent/runs/${runId}/tasks/start_load`);
    const link = page.getByTestId('triggered-run-link');
    await poll(() => link.textContent()).toBe('ui_trigger_child · for__2024-03-06');
    expect(JSON.parse((await page.getByTestId('triggered-conf').textContent())!)).toEqual({ day: '2024-03-06' });
    // No worker ran it: the panel says why there is no log instead of looking for one.
    expect(await page.getByTestId('no-worker-try').textContent()).toContain('no worker ran it, so it has no log');
    expect(await page.getByTestId('log').count()).toBe(0);
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'task-try-triggered-run');
    await link.click();
    await poll(() => new URL(page.url()).pathname).toBe('/dags/ui_trigger_child/runs/for__2024-03-06');
  });
});
