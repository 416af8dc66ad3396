/**
 * A try's panel in the web UI for a real finished try: a bash task that renders `{{ ds }}` and
 * exits 3 shows its worker (linked to the worker's page in the monitor), host, pid, queue, times,
 * duration, exit code 3, why it ended, and the rendered command and environment. The REST API
 * answers the same for the try. Screenshot: docs/screenshots/task-try-details.png.
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
  ui = await startUiStack({ dagFiles: ['test/fixtures/dags-ui/try_details.ts'] }, { monitorUrl: MONITOR_URL });
  await ui.waitForDags(['ui_try_details']);
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
});
