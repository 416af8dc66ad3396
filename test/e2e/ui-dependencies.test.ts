/**
 * The DAG dependencies page against the real stack, in Chromium: the trigger tasks, the sensor on
 * another DAG and the asset between a producer and its consumer, each an edge with its task; a DAG
 * that depends on nothing is not drawn; a trigger of a DAG that is not there draws it as missing;
 * `?dag=` keeps what is connected to one DAG; a DAG opens on click, an asset on the assets page. The API answers the same graph.
 * Screenshot: docs/screenshots/dag-dependencies.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot } from '../harness/index.js';
import { startUiStack, type UiStack } from './ui-stack.js';

let ui: UiStack;
let page: Page;
const pageErrors: string[] = [];
const poll = <T,>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });

beforeAll(async () => {
  ui = await startUiStack({ dagFiles: ['test/fixtures/dags-ui/dependencies.ts'] });
  await ui.waitForDags(['ui_dep_producer', 'ui_dep_report', 'ui_dep_consumer', 'ui_dep_alone']);
  page = await ui.browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await ui?.stop();
});

afterAll(() => {
  expect(pageErrors).toEqual([]);
});

interface Graph {
  nodes: Array<{ id: string; kind: string; label: string; exists: boolean; is_active: boolean; is_paused: boolean }>;
  edges: Array<{ source: string; target: string; kind: string; task_id: string | null }>;
}

const nodeIds = async (): Promise<string[]> =>
  (await page.getByTestId('dependency-node').evaluateAll((els) => els.map((e) => e.getAttribute('data-node') ?? ''))).sort();

describe('web UI: DAG dependencies', () => {
  it('the API answers every kind of edge with its task, and the DAGs they name', async () => {
    const graph = await ui.api<Graph>('/ui/dependencies');
    expect(graph.edges).toEqual([
      { kind: 'outlet', source: 'dag:ui_dep_producer', target: 'asset:s3://lake/orders/', task_id: 'load_orders' },
      { kind: 'schedule', source: 'asset:s3://lake/orders/', target: 'dag:ui_dep_consumer', task_id: null },
      { kind: 'sensor', source: 'dag:ui_dep_producer', target: 'dag:ui_dep_report', task_id: 'producer_done' },
      { kind: 'trigger', source: 'dag:ui_dep_producer', target: 'dag:ui_dep_report', task_id: 'start_report' },
      { kind: 'trigger', source: 'dag:ui_dep_report', target: 'dag:ui_dep_gone', task_id: 'archive' },
    ]);
    expect(graph.nodes.map((n) => [n.id, n.exists])).toEqual([
      ['dag:ui_dep_consumer', true], ['dag:ui_dep_gone', false], ['dag:ui_dep_producer', true], ['dag:ui_dep_report', true],
      ['asset:s3://lake/orders/', true],
    ]);
  });

  it('draws the DAGs and the asset with their edges, the missing DAG marked, and opens a DAG on click', async () => {
    await page.goto(`${ui.web.url}/dependencies`);
    await page.getByTestId('dependencies-graph').waitFor();
    await poll(nodeIds).toEqual(['asset:s3://lake/orders/', 'dag:ui_dep_consumer', 'dag:ui_dep_gone', 'dag:ui_dep_producer', 'dag:ui_dep_report']);
    expect(await page.getByTestId('dependencies-count').textContent()).toBe('4 DAGs · 1 asset');
    expect(await page.locator('[data-node="dag:ui_dep_gone"]').getAttribute('data-missing')).toBe('true');
    expect(await page.locator('[data-node="dag:ui_dep_gone"]').textContent()).toContain('not found');
    const labels = await page.locator('.react-flow__edge-text').allTextContents();
    // The trigger and the sensor between the same two DAGs share one line.
    expect(labels.sort()).toEqual(['schedules', 'triggers · archive', 'triggers · start_report + sensor · producer_done', 'updates · load_orders']);
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'dag-dependencies');
    await page.locator('[data-node="dag:ui_dep_consumer"]').click();
    await poll(() => new URL(page.url()).pathname).toBe('/dags/ui_dep_consumer');
    // An asset opens its events on the assets page.
    await page.goBack();
    await page.locator('[data-node="asset:s3://lake/orders/"]').click();
    await poll(() => new URL(page.url()).pathname).toBe('/assets');
    expect(new URL(page.url()).searchParams.get('uri')).toBe('s3://lake/orders/');
    await poll(() => page.getByTestId('asset-detail-uri').textContent()).toBe('s3://lake/orders/');
  });

  it('?dag= keeps what is connected to one DAG; the Details tab links there; a DAG with none says so', async () => {
    await page.goto(`${ui.web.url}/dags/ui_dep_consumer?tab=details`);
    await page.getByTestId('dag-dependencies-link').click();
    await poll(() => new URL(page.url()).search).toBe('?dag=ui_dep_consumer');
    // The consumer reaches the producer through the asset, and the rest through the producer.
    await poll(nodeIds).toEqual(['asset:s3://lake/orders/', 'dag:ui_dep_consumer', 'dag:ui_dep_gone', 'dag:ui_dep_producer', 'dag:ui_dep_report']);
    expect(await page.locator('[data-node="dag:ui_dep_consumer"]').getAttribute('data-focused')).toBe('true');
    await page.goto(`${ui.web.url}/dependencies?dag=ui_dep_alone`);
    await poll(() => page.getByTestId('dependencies-empty').textContent()).toBe('DAG ui_dep_alone depends on no other DAG and no other DAG on it.');
    expect(await page.getByTestId('dependency-node').count()).toBe(0);
  });

  it('the DAG list says which assets an asset-driven DAG is scheduled on (not "Manual runs only")', async () => {
    await page.goto(`${ui.web.url}/dags`);
    const row = page.locator('[data-testid="dag-row"][data-dag-id="ui_dep_consumer"]');
    await poll(async () => (await row.textContent()) ?? '').toContain('Triggered by assets: s3://lake/orders/');
    expect(await page.locator('[data-testid="dag-row"][data-dag-id="ui_dep_producer"]').textContent()).toContain('Manual runs only');
    await saveScreenshot(page, 'dag-list-assets');
  });
});
