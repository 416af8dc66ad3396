/**
 * The assets page against the real stack, in Chromium: the assets the DAGs name are listed from
 * their first parse (never updated yet), a producer's success records an event with the extra its
 * task attached and triggers the DAG scheduled on it (the event's source and run are links), the
 * URI search, recording an event by hand (a bad extra refused in the form, a good one triggering
 * the vendor DAG), a Viewer without the button, and the run page naming the events that
 * triggered an asset-triggered run; a DAG scheduled on two assets shows how many were updated
 * since its last run in the DAG list and on its page; an asset a task named through an alias, with
 * the alias, the event naming it and the DAG scheduled on it. Screenshots: docs/screenshots/assets.png, asset-run.png,
 * dag-list-asset-progress.png, asset-alias.png, dag-dependencies-alias.png.
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
const LANDED = 's3://ui-lake/landed/';
const VENDOR = 's3://ui-lake/vendor-drop/';

interface AssetJson { uri: string; last_event_at: string | null; producing_tasks: unknown[]; consuming_dags: unknown[] }
interface RunJson { dag_run_id: string; run_type: string; state: string }

const rowsShown = () => page.getByTestId('asset-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-uri')));
const nextRunAssets = async (dagId: string) => (await ui.api<{ next_run_assets: unknown }>(`/api/v1/dags/${dagId}`)).next_run_assets;
const progressOf = (dagId: string) => page.locator(`[data-testid="dag-row"][data-dag-id="${dagId}"]`).getByTestId('asset-progress').textContent();
const runsOf = async (dagId: string) => (await ui.api<{ dag_runs: RunJson[] }>(`/api/v1/dags/${dagId}/dagRuns`)).dag_runs;

beforeAll(async () => {
  ui = await startUiStack({ dagFiles: ['test/fixtures/dags-ui/assets.ts'] });
  await ui.waitForDags(['ui_asset_producer', 'ui_asset_consumer', 'ui_asset_vendor', 'ui_asset_both', 'ui_asset_alias_producer', 'ui_asset_on_alias']);
  page = await ui.browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await ui?.stop();
});

afterAll(() => {
  expect(pageErrors).toEqual([]);
});

describe('web UI: assets', () => {
  it('lists the assets the DAGs name before any event, with what updates them and what they schedule', async () => {
    const api = await ui.api<{ assets: AssetJson[] }>(`/api/v1/assets?uri=${encodeURIComponent(VENDOR)}`);
    expect(api.assets).toEqual([expect.objectContaining({
      uri: VENDOR, last_event_at: null, producing_tasks: [], consuming_dags: [{ dag_id: 'ui_asset_both' }, { dag_id: 'ui_asset_vendor' }],
    })]);
    expect(await nextRunAssets('ui_asset_both')).toEqual([{ uri: LANDED, updated: false }, { uri: VENDOR, updated: false }]);
    expect(await nextRunAssets('ui_asset_producer')).toBeNull();
    await page.goto(`${ui.web.url}/dags`);
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Assets' }).click();
    await poll(rowsShown).toEqual([LANDED, VENDOR]);
    const landed = page.locator(`[data-testid="asset-row"][data-uri="${LANDED}"]`);
    expect(await landed.textContent()).toContain('ui_asset_producer · land');
    expect(await landed.textContent()).toContain('ui_asset_consumer');
    expect(await landed.getByTestId('asset-last-event').textContent()).toBe('never');
  });

  it('a producer\'s event shows its extra, its source task and the run it triggered; the run names its events', async () => {
    const run = await ui.api<{ dag_run_id: string }>('/api/v1/dags/ui_asset_producer/dagRuns', { method: 'POST', body: {} });
    const ended = await waitForRunEnd(ui.stack.pool, 'ui_asset_producer', run.dag_run_id, { diagnostics: () => ui.stack.diagnostics() });
    expect(ended.state).toBe('success');
    await poll(async () => (await runsOf('ui_asset_consumer')).map((r) => r.run_type)).toEqual(['asset_triggered']);
    const [consumerRun] = await runsOf('ui_asset_consumer');
    await waitForRunEnd(ui.stack.pool, 'ui_asset_consumer', consumerRun!.dag_run_id, { diagnostics: () => ui.stack.diagnostics() });

    // The DAG scheduled on both assets waits for the other one: the DAG list and its page say so.
    expect(await nextRunAssets('ui_asset_both')).toEqual([{ uri: LANDED, updated: true }, { uri: VENDOR, updated: false }]);
    await page.goto(`${ui.web.url}/dags`);
    await poll(() => progressOf('ui_asset_both')).toBe('1 of 2 assets updated');
    expect(await progressOf('ui_asset_vendor')).toBe('0 of 1 asset updated');
    expect(await page.locator('[data-testid="dag-row"][data-dag-id="ui_asset_producer"]').getByTestId('asset-progress').count()).toBe(0);
    await page.locator('[data-testid="dag-row"][data-dag-id="ui_asset_both"]').getByTestId('asset-progress').hover();
    await poll(() => page.getByTestId('asset-progress-list').textContent()).toBe(`✓ updated ${LANDED}· waiting ${VENDOR}`);
    await saveScreenshot(page, 'dag-list-asset-progress');
    await page.goto(`${ui.web.url}/dags/ui_asset_both`);
    await poll(() => page.getByTestId('asset-progress').textContent()).toBe('1 of 2 assets updated');
    // Each asset on hover opens its events on the Assets page.
    await page.getByTestId('asset-progress').hover();
    await page.getByTestId('asset-progress-list').getByRole('link', { name: VENDOR }).click();
    await poll(() => new URL(page.url()).pathname + new URL(page.url()).search).toBe(`/assets?uri=${encodeURIComponent(VENDOR)}`);
    await poll(() => page.getByTestId('asset-detail-uri').textContent()).toBe(VENDOR);

    await page.goto(`${ui.web.url}/assets`);
    const landed = page.locator(`[data-testid="asset-row"][data-uri="${LANDED}"]`);
    await poll(() => landed.getByTestId('asset-last-event').textContent()).not.toBe('never');
    await landed.getByRole('button', { name: LANDED }).click();
    await poll(() => new URL(page.url()).searchParams.get('uri')).toBe(LANDED);
    const detail = page.getByTestId('asset-detail');
    expect(await detail.getByTestId('asset-detail-uri').textContent()).toBe(LANDED);
    await poll(() => detail.getByTestId('asset-event-count').textContent()).toBe('1 event');
    const event = detail.getByTestId('asset-event-row');
    expect(await event.getByTestId('asset-event-extra').textContent()).toBe('{"file":"orders-2026-12-01.csv","rows":42}');
    expect(await event.getByTestId('asset-event-source').textContent()).toBe('ui_asset_producer · land');
    expect(await event.getByTestId('asset-event-source').getAttribute('href'))
      .toBe(`/dags/ui_asset_producer/runs/${encodeURIComponent(run.dag_run_id)}/tasks/land`);
    await poll(() => event.getByTestId('asset-event-runs').textContent()).toBe('ui_asset_consumer');
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'assets');

    // The run it triggered: its panel lists the event, with the extra and a link back to the asset.
    await event.getByTestId('asset-event-runs').getByRole('link').click();
    await poll(() => new URL(page.url()).pathname).toBe(`/dags/ui_asset_consumer/runs/${encodeURIComponent(consumerRun!.dag_run_id)}`);
    const triggering = page.getByTestId('triggering-event');
    await poll(() => triggering.count()).toBe(1);
    expect(await triggering.textContent()).toContain('{"file":"orders-2026-12-01.csv","rows":42}');
    expect(await triggering.getByTestId('asset-event-source').textContent()).toBe('ui_asset_producer · land');
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'asset-run');
    await triggering.getByRole('link', { name: LANDED }).click();
    await poll(() => new URL(page.url()).searchParams.get('uri')).toBe(LANDED);
  });

  it('searches by URI, and records an event by hand: a bad extra is refused in the form, a good one triggers the DAG', async () => {
    await page.goto(`${ui.web.url}/assets`);
    await page.getByLabel('Search assets by URI').fill('vendor');
    await poll(rowsShown).toEqual([VENDOR]);
    await poll(() => new URL(page.url()).searchParams.get('q')).toBe('vendor');
    await page.getByLabel('Search assets by URI').fill('nothing-like-it');
    await poll(() => page.getByTestId('assets-empty').textContent()).toBe('No asset\'s URI contains "nothing-like-it".');

    await page.goto(`${ui.web.url}/assets?uri=${encodeURIComponent(VENDOR)}`);
    const detail = page.getByTestId('asset-detail');
    await poll(() => detail.getByTestId('asset-event-count').textContent()).toBe('0 events');
    await detail.getByRole('button', { name: 'Record event' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('DAGs scheduled on it (ui_asset_both, ui_asset_vendor)');
    await dialog.getByLabel('Extra').fill('["not", "an object"]');
    await dialog.getByRole('button', { name: 'Record event' }).click();
    await poll(() => dialog.getByRole('alert').textContent()).toContain('Extra must be a JSON object');
    await dialog.getByLabel('Extra').fill('{"file": "vendor.csv"');
    await dialog.getByRole('button', { name: 'Record event' }).click();
    await poll(() => dialog.getByRole('alert').textContent()).toContain('Extra is not valid JSON');
    // Nothing was sent.
    expect((await ui.api<{ total_entries: number }>(`/api/v1/assets/events?asset_uri=${encodeURIComponent(VENDOR)}`)).total_entries).toBe(0);

    await dialog.getByLabel('Extra').fill('{"file": "vendor.csv"}');
    await dialog.getByRole('button', { name: 'Record event' }).click();
    await poll(() => dialog.count()).toBe(0);
    await poll(() => detail.getByTestId('asset-event-count').textContent()).toBe('1 event');
    expect(await detail.getByTestId('asset-event-extra').textContent()).toBe('{"file":"vendor.csv"}');
    expect(await detail.getByTestId('asset-event-row').textContent()).toContain('recorded through the API');
    await poll(async () => (await runsOf('ui_asset_vendor')).map((r) => r.run_type)).toEqual(['asset_triggered']);
    // Both assets updated: the DAG scheduled on both ran, and waits for both again.
    await poll(async () => (await runsOf('ui_asset_both')).map((r) => r.run_type)).toEqual(['asset_triggered']);
    expect(await nextRunAssets('ui_asset_both')).toEqual([{ uri: LANDED, updated: false }, { uri: VENDOR, updated: false }]);
    // The run appears with the event once the scheduler made it (the panel refreshes itself).
    await poll(async () => ((await detail.getByTestId('asset-event-runs').textContent()) ?? '').split(', ').sort()).toEqual(['ui_asset_both', 'ui_asset_vendor']);
    const logged = await ui.api<{ event_logs: Array<{ event: string; owner: string }> }>('/api/v1/eventLogs?event=asset_event.create');
    expect(logged.event_logs.map((e) => e.owner)).toEqual(['admin']);
  });

  it('a Viewer sees the events but no Record event button', async () => {
    await ui.createUser('viewer1', 'viewer-Pw-8843', 'Viewer');
    const viewer = await ui.openBrowser({ as: { username: 'viewer1', password: 'viewer-Pw-8843' } });
    const p = await viewer.newPage();
    await p.goto(`${ui.web.url}/assets?uri=${encodeURIComponent(VENDOR)}`);
    await poll(() => p.getByTestId('asset-detail').getByTestId('asset-event-count').textContent()).toBe('1 event');
    expect(await p.getByRole('button', { name: 'Record event' }).count()).toBe(0);
  });

  it('an asset a task named through an alias shows the alias, the task and the DAG scheduled on the alias', async () => {
    const file = 's3://ui-lake/daily/2026-12-07.csv';
    const dagJson = await ui.api<{ timetable_description: string; next_run_assets: unknown; next_run_aliases: unknown }>('/api/v1/dags/ui_asset_on_alias');
    expect(dagJson).toMatchObject({
      timetable_description: 'Triggered by assets: alias:ui-daily-files', next_run_assets: [], next_run_aliases: [{ name: 'ui-daily-files', updated: false }],
    });
    expect((await ui.api<{ next_run_aliases: unknown }>('/api/v1/dags/ui_asset_both')).next_run_aliases).toBeNull();
    // The DAG list says the alias waits, as it says for assets.
    await page.goto(`${ui.web.url}/dags`);
    await poll(() => progressOf('ui_asset_on_alias')).toBe('0 of 1 asset updated');
    await page.locator('[data-testid="dag-row"][data-dag-id="ui_asset_on_alias"]').getByTestId('asset-progress').hover();
    await poll(() => page.getByTestId('asset-progress-list').textContent()).toBe('· waiting alias:ui-daily-files');
    await page.mouse.move(0, 0);
    const run = await ui.api<{ dag_run_id: string }>('/api/v1/dags/ui_asset_alias_producer/dagRuns', { method: 'POST', body: {} });
    const ended = await waitForRunEnd(ui.stack.pool, 'ui_asset_alias_producer', run.dag_run_id, { diagnostics: () => ui.stack.diagnostics() });
    expect(ended.state).toBe('success');
    await poll(async () => (await runsOf('ui_asset_on_alias')).map((r) => r.run_type)).toEqual(['asset_triggered']);
    await page.goto(`${ui.web.url}/assets?uri=${encodeURIComponent(file)}`);
    const detail = page.getByTestId('asset-detail');
    await poll(() => detail.getByTestId('asset-detail-uri').textContent()).toBe(file);
    expect(await detail.getByTestId('asset-aliases').textContent()).toBe('Aliases: ui-daily-files');
    expect(await detail.textContent()).toContain('Updated by: ui_asset_alias_producer · export');
    expect(await detail.textContent()).toContain('Schedules: ui_asset_on_alias');
    await poll(() => detail.getByTestId('asset-event-count').textContent()).toBe('1 event');
    expect(await detail.getByTestId('asset-event-extra').textContent()).toBe('{"rows":12}');
    // The event names the alias it was added through.
    expect(await detail.getByTestId('asset-event-source').textContent()).toBe('ui_asset_alias_producer · export · via alias:ui-daily-files');
    await poll(() => detail.getByTestId('asset-event-runs').textContent()).toBe('ui_asset_on_alias');
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'asset-alias');

    // The DAG dependencies: the producer adds through the alias, which resolved to the file and schedules the consumer.
    await page.goto(`${ui.web.url}/dependencies?dag=ui_asset_on_alias`);
    const nodes = () => page.getByTestId('dependency-node').evaluateAll((els) => els.map((e) => e.getAttribute('data-node') ?? '').sort());
    await poll(nodes).toEqual(['alias:ui-daily-files', `asset:${file}`, 'dag:ui_asset_alias_producer', 'dag:ui_asset_on_alias']);
    expect(await page.getByTestId('dependencies-count').textContent()).toMatch(/^2 DAGs · 1 asset · 1 alias · connected to ui_asset_on_alias/);
    expect(await page.locator('[data-node="alias:ui-daily-files"]').textContent()).toBe('ui-daily-filesasset alias');
    expect((await page.locator('.react-flow__edge-text').allTextContents()).sort()).toEqual(['adds through · export', 'resolved to', 'schedules']);
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'dag-dependencies-alias');
  });
});
