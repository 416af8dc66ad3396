/**
 * The Code tab shows the DAG file as the selected run used it: a DAG file changed between two
 * runs, the first run's Code tab shows the old source (with a switch to the latest), the second
 * run's the new one, and with no run selected the latest. Screenshot: docs/screenshots/code-run-version.png.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  ui = await startUiStack({ dagFiles: ['test/fixtures/dags-ui/versioned.ts'] });
  await ui.waitForDags(['ui_versioned']);
  page = await ui.browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await ui?.stop();
});

afterAll(() => {
  expect(pageErrors).toEqual([]);
});

async function runToEnd(runId: string): Promise<void> {
  await ui.api('/api/v1/dags/ui_versioned/dagRuns', { method: 'POST', body: { dag_run_id: runId } });
  const ended = await waitForRunEnd(ui.stack.pool, 'ui_versioned', runId, { diagnostics: () => ui.stack.diagnostics() });
  expect(ended.state).toBe('success');
}

describe('Code tab: the version of the DAG file a run used', () => {
  it('shows the old source for a run made before the file changed, the new one for a run after', async () => {
    await runToEnd('before_change');
    const file = join(ui.stack.dagsFolder, 'versioned.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('first version of the file', 'second version of the file'));
    await poll(async () => (await ui.api<{ total_entries: number }>('/api/v1/dags/ui_versioned/dagVersions')).total_entries).toBe(2);
    await runToEnd('after_change');

    const source = page.getByTestId('dag-source');
    const version = page.getByTestId('code-version');
    await page.goto(`${ui.web.url}/dags/ui_versioned/runs/before_change?tab=code`);
    await poll(() => source.textContent()).toContain('first version of the file');
    expect(await source.textContent()).not.toContain('second version');
    expect(await version.textContent()).toMatch(/^Version of run before_change, parsed /);
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'code-run-version');
    // The file changed since: a switch shows the latest.
    await page.getByRole('radiogroup', { name: 'Version shown' }).getByText('Latest').click();
    await poll(() => source.textContent()).toContain('second version of the file');
    expect(await version.textContent()).toMatch(/^Latest version/);

    await page.goto(`${ui.web.url}/dags/ui_versioned/runs/after_change?tab=code`);
    await poll(() => source.textContent()).toContain('second version of the file');
    expect(await version.textContent()).toMatch(/^Version of run after_change, parsed .*\(the latest\)$/);
    // No switch when the run's version is the latest.
    expect(await page.getByRole('radiogroup', { name: 'Version shown' }).count()).toBe(0);

    await page.goto(`${ui.web.url}/dags/ui_versioned?tab=code`);
    await poll(() => source.textContent()).toContain('second version of the file');
    expect(await version.textContent()).toMatch(/^Latest version/);

    // The run picker of the tab selects a run (newest first) and keeps the tab.
    await page.getByPlaceholder('No run: the latest version').click();
    const options = page.getByRole('option');
    await poll(() => options.allTextContents()).toEqual(['after_change', 'before_change']);
    await options.filter({ hasText: 'before_change' }).click();
    await page.waitForURL(/\/dags\/ui_versioned\/runs\/before_change\?tab=code$/);
    await poll(() => source.textContent()).toContain('first version of the file');
  });
});
