/**
 * Triggering from the web UI, in Chromium against the real stack (with a DAG file that fails to
 * import: the DAG list's banner shows it with its reason): the form made from the DAG's
 * params refuses a required param left empty and conf that is not JSON before anything is sent,
 * and a good submission creates a run with exactly that conf (checked through the API; the task's
 * log shows the values). Pausing and unpausing from the DAG page (checked through the API). A
 * Viewer is offered no trigger, pause, clear or mark control and no Admin-only page. Params with
 * specs (paramSpecs) get a choice, bounds and descriptions, and the API refuses a conf that breaks
 * them; formats get pickers (date, date-time in UTC, time) or a text area, a pattern is checked in
 * the form, and titles, sections, enum labels and proposals show. Optional params (a type that
 * allows null) may stay empty and give null; list, exclusive-bound and step rules are checked in
 * the form, and a list's items by the API. The forms' screenshots go to docs/screenshots/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot } from '../harness/index.js';
import { waitForRunEnd } from './db.js';
import { startUiStack, type UiStack } from './ui-stack.js';

let ui: UiStack;
let page: Page;
const pageErrors: string[] = [];
const DAG = 'ui_params_form';
/** Waits for what the page shows (bounded: synchronization, not a timing assertion). */
const poll = <T,>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });

type Runs = { dag_runs: { dag_run_id: string; conf: Record<string, unknown> }[]; total_entries: number };
const runs = () => ui.api<Runs>(`/api/v1/dags/${DAG}/dagRuns`);

beforeAll(async () => {
  ui = await startUiStack({ dagFiles: ['dags/hello_world.ts', 'test/fixtures/dags-ui/params_form.ts', 'test/fixtures/dags-broken/throws_at_import.ts'] });
  await ui.waitForDags([DAG, 'hello_world', 'ui_params_specs', 'ui_params_formats', 'ui_params_optional']);
  page = await ui.browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await ui?.stop();
});

afterAll(() => {
  expect(pageErrors).toEqual([]);
});

describe('web UI: trigger form, pause, what a Viewer is offered', () => {
  it('shows a DAG file that failed to import in the DAG list\'s banner, with its file and reason', async () => {
    await page.goto(`${ui.web.url}/dags`);
    const banner = page.getByRole('alert').filter({ hasText: '1 DAG file failed to import' });
    await poll(() => banner.count()).toBe(1);
    await banner.getByRole('button', { name: 'Show the errors' }).click();
    const error = banner.getByTestId('import-error');
    await poll(() => error.textContent()).toContain('throws_at_import.ts');
    expect(await error.textContent()).toContain('SOME_SETTING_THAT_IS_NOT_SET is not set');
  });

  it('refuses an empty required param and bad conf JSON in the form; a good submission creates a run with that conf', async () => {
    await page.goto(`${ui.web.url}/dags/${DAG}`);
    await page.getByRole('button', { name: `Trigger ${DAG}` }).click();
    const dialog = page.getByRole('dialog');
    // Fields from the params, with their defaults.
    await poll(() => dialog.getByLabel('batch_size').inputValue()).toBe('500');
    expect(await dialog.getByLabel('region').inputValue()).toBe('eu');
    expect(await dialog.getByLabel('target').inputValue()).toBe('');
    expect(await dialog.getByRole('switch', { name: 'dry_run' }).isChecked()).toBe(false);

    // target has no default: refused while empty, and nothing is sent.
    await dialog.getByRole('button', { name: 'Trigger', exact: true }).click();
    await dialog.getByText('target is required').waitFor();
    expect(await dialog.getByLabel('target').getAttribute('aria-invalid')).toBe('true');

    // Conf that is not JSON is refused too.
    await dialog.getByLabel('target').fill('warehouse');
    expect(await dialog.getByText('target is required').count()).toBe(0);
    await dialog.getByLabel('Conf (JSON)').fill('{"region": "us",');
    // Leaving the box checks it already (the message moves the button: click after it shows).
    await dialog.getByLabel('Conf (JSON)').blur();
    await dialog.getByText(/conf is not valid JSON/).waitFor();
    await dialog.getByRole('button', { name: 'Trigger', exact: true }).click();
    await dialog.getByText(/conf is not valid JSON/).waitFor();
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'trigger-form');
    expect((await runs()).total_entries).toBe(0);

    // Conf that is JSON but not an object is refused.
    await dialog.getByLabel('Conf (JSON)').fill('[1, 2]');
    await dialog.getByRole('button', { name: 'Trigger', exact: true }).click();
    await dialog.getByText('conf must be a JSON object ({...})').waitFor();
    expect((await runs()).total_entries).toBe(0);

    // A good submission: the params' values with the conf merged over them.
    await dialog.getByLabel('batch_size').fill('250');
    await dialog.getByLabel('Conf (JSON)').fill('{"region": "us", "extra": [1, 2]}');
    await dialog.getByRole('button', { name: 'Trigger', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForURL(new RegExp(`/dags/${DAG}/runs/`));
    const created = await runs();
    expect(created.total_entries).toBe(1);
    const run = created.dag_runs[0]!;
    expect(run.conf).toEqual({ target: 'warehouse', batch_size: 250, dry_run: false, region: 'us', options: { retries: 2 }, extra: [1, 2] });
    expect(decodeURIComponent(page.url())).toContain(`/runs/${run.dag_run_id}`);
    const ended = await waitForRunEnd(ui.stack.pool, DAG, run.dag_run_id, { diagnostics: () => ui.stack.diagnostics() });
    expect(ended.state).toBe('success');
    await page.goto(`${ui.web.url}/dags/${DAG}/runs/${encodeURIComponent(run.dag_run_id)}/tasks/show`);
    await poll(() => page.getByTestId('log').textContent()).toContain('[stdout] target=warehouse batch=250 region=us');
  });

  it('params with specs: a choice and bounds with their descriptions in the form; the API refuses what breaks them, naming the param', async () => {
    const SPECS = 'ui_params_specs';
    await page.goto(`${ui.web.url}/dags/${SPECS}`);
    await page.getByRole('button', { name: `Trigger ${SPECS}` }).click();
    const dialog = page.getByRole('dialog');
    await poll(() => dialog.getByLabel('batch_size').inputValue()).toBe('500');
    await dialog.getByText('Where the data lives').waitFor();
    await dialog.getByText('Rows per insert').waitFor();
    expect(await dialog.getByRole('textbox', { name: 'region' }).or(dialog.getByRole('combobox', { name: 'region' })).first().inputValue()).toBe('eu');
    // Over the maximum: refused in the form, nothing sent.
    await dialog.getByLabel('batch_size').fill('5000');
    await dialog.getByRole('button', { name: 'Trigger', exact: true }).click();
    await dialog.getByText('batch_size must be at most 1000').waitFor();
    await dialog.getByLabel('batch_size').fill('100');
    await dialog.getByRole('textbox', { name: 'region' }).or(dialog.getByRole('combobox', { name: 'region' })).first().click();
    await page.getByRole('option', { name: 'us' }).click();
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'trigger-form-specs');
    await dialog.getByRole('button', { name: 'Trigger', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const created = await ui.api<Runs>(`/api/v1/dags/${SPECS}/dagRuns`);
    expect(created.dag_runs.map((r) => r.conf)).toEqual([{ region: 'us', batch_size: 100 }]);
    // The API checks the same specs (so do the CLI and triggerDagRun tasks: one check in core).
    const refused = await ui.api(`/api/v1/dags/${SPECS}/dagRuns`, { method: 'POST', body: { conf: { region: 'mars', batch_size: 2.5 } } })
      .then(() => 'accepted', (err: Error) => err.message);
    expect(refused).toMatch(/: 400 /);
    expect(refused).toContain(`conf of a run of DAG '${SPECS}': param 'region' must be one of \\"eu\\", \\"us\\", got \\"mars\\"; param 'batch_size' must be an integer, got 2.5`);
    expect(refused).toContain('"body.conf"');
  });

  it('optional params give null when left empty; list, exclusive-bound and step rules refused in the form; item rules by the API', async () => {
    const OPTIONAL = 'ui_params_optional';
    await page.goto(`${ui.web.url}/dags/${OPTIONAL}`);
    await page.getByRole('button', { name: `Trigger ${OPTIONAL}` }).click();
    const dialog = page.getByRole('dialog');
    const input = (label: string) => dialog.getByLabel(label, { exact: true });
    await poll(() => input('ratio').inputValue()).toBe('0.5');
    expect(await input('since').inputValue()).toBe('');
    expect(await input('limit').inputValue()).toBe('');
    // The two optional params say so; the others are not marked optional.
    expect(await dialog.getByText('Optional: empty is null', { exact: true }).count()).toBe(1);
    expect(await dialog.getByText('First day to reload · Optional: empty is null', { exact: true }).count()).toBe(1);
    await input('ratio').fill('1');
    await input('ids').fill('[1, 1]');
    await input('limit').fill('25');
    await dialog.getByRole('button', { name: 'Trigger', exact: true }).click();
    await dialog.getByText('ratio must be less than 1').waitFor();
    await dialog.getByText('ids must not hold an item twice (1)').waitFor();
    await dialog.getByText('limit must be a multiple of 10').waitFor();
    expect(await ui.api<Runs>(`/api/v1/dags/${OPTIONAL}/dagRuns`).then((r) => r.total_entries)).toBe(0);
    await input('ratio').fill('0.25');
    await input('ids').fill('[3, 1]');
    await input('limit').fill('20');
    await input('limit').blur();
    // The dialog scrolled to the field last filled: back to its top for the picture.
    await page.evaluate("document.querySelectorAll('.mantine-Modal-content, .mantine-Modal-body, .mantine-Modal-inner').forEach((e) => { e.scrollTop = 0; })");
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'trigger-form-optional');
    await dialog.getByRole('button', { name: 'Trigger', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const created = await ui.api<Runs>(`/api/v1/dags/${OPTIONAL}/dagRuns`);
    expect(created.dag_runs.map((r) => r.conf)).toEqual([{ since: null, ids: [3, 1], ratio: 0.25, limit: 20 }]);
    const refused = await ui.api(`/api/v1/dags/${OPTIONAL}/dagRuns`, { method: 'POST', body: { conf: { ids: [1, 'x'], limit: 5, since: '2026-02-30' } } })
      .then(() => 'accepted', (err: Error) => err.message);
    expect(refused).toMatch(/: 400 /);
    expect(refused).toContain(`param 'ids' item at index 1 must be an integer, got \\"x\\"; param 'limit' must be a multiple of 10, got 5; param 'since' must be a date (YYYY-MM-DD), got \\"2026-02-30\\"`);
  });

  it('params with formats: pickers, a text area, sections, labels and a pattern; the run gets the values in the formats the server checks', async () => {
    const FORMATS = 'ui_params_formats';
    await page.goto(`${ui.web.url}/dags/${FORMATS}`);
    await page.getByRole('button', { name: `Trigger ${FORMATS}` }).click();
    const dialog = page.getByRole('dialog');
    // Titles label the fields; the pickers are the browser's own (their input types), a date-time in UTC.
    await poll(() => dialog.getByLabel('Report date').inputValue()).toBe('2026-01-31');
    expect(await dialog.getByLabel('Report date').getAttribute('type')).toBe('date');
    expect(await dialog.getByLabel('Not before').getAttribute('type')).toBe('datetime-local');
    expect(await dialog.getByLabel('Not before').inputValue()).toBe('2026-01-31T02:00');
    expect(await dialog.getByLabel('Window start').getAttribute('type')).toBe('time');
    expect(await dialog.getByLabel('notify').getAttribute('type')).toBe('email');
    expect(await dialog.getByLabel('notes').evaluate((e) => e.tagName)).toBe('TEXTAREA');
    expect(await dialog.getByLabel('notes').inputValue()).toBe('first line\nsecond line');
    // The fields in the DAG file's order (the stored JSON keeps keys in its own order), a section's
    // params together under its heading, where the first of them is.
    const details = await ui.api<{ params: Record<string, unknown> }>(`/api/v1/dags/${FORMATS}/details`);
    expect(Object.keys(details.params)).toEqual(['report_date', 'not_before', 'window_start', 'notify', 'table', 'notes', 'tier', 'warehouse', 'regions', 'tables']);
    expect(await dialog.locator('legend, label').allTextContents()).toEqual([
      'When', 'Report date', 'Not before', 'Window start', 'notify', 'table', 'Details', 'notes', 'tier', 'warehouse', 'regions', 'tables',
      'Logical date', 'Conf (JSON)', 'Note',
    ]);
    // A list of strings: one per line; with proposals, chosen among them (and typed).
    expect(await dialog.getByLabel('tables').inputValue()).toBe('orders\nrefunds');
    // The enum's labels in the choice.
    expect(await dialog.getByRole('textbox', { name: 'tier' }).or(dialog.getByRole('combobox', { name: 'tier' })).first().inputValue()).toBe('Gold (every hour)');
    // A pattern broken: refused in the form, naming it; nothing sent.
    await dialog.getByLabel('table', { exact: true }).fill('Sales-EU');
    await dialog.getByRole('button', { name: 'Trigger', exact: true }).click();
    await dialog.getByText('table must match ^[a-z_]+$').waitFor();
    expect((await ui.api<Runs>(`/api/v1/dags/${FORMATS}/dagRuns`)).total_entries).toBe(0);
    await dialog.getByLabel('table', { exact: true }).fill('sales_us');
    await dialog.getByLabel('Report date').fill('2026-02-28');
    await dialog.getByLabel('Not before').fill('2026-02-28T06:15');
    await dialog.getByRole('textbox', { name: 'tier' }).or(dialog.getByRole('combobox', { name: 'tier' })).first().click();
    await page.getByRole('option', { name: 'Silver (daily)' }).click();
    await dialog.getByLabel('warehouse').click();
    await page.getByRole('option', { name: 'archive' }).waitFor();
    await page.getByRole('option', { name: 'archive' }).click();
    await dialog.getByLabel('tables').fill('orders\nrefunds\n\n returns ');
    await dialog.getByLabel('regions').click();
    await page.getByRole('option', { name: 'apac' }).click();
    // Away from the field: its proposals close.
    await dialog.getByText('Params (a param without a default must be given)').click();
    await page.getByRole('option', { name: 'us' }).waitFor({ state: 'hidden' });
    await page.mouse.move(0, 0);
    await dialog.getByLabel('tables').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'trigger-form-lists');
    await dialog.locator('legend', { hasText: 'When' }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'trigger-form-formats');
    await dialog.getByRole('button', { name: 'Trigger', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const created = await ui.api<Runs>(`/api/v1/dags/${FORMATS}/dagRuns`);
    expect(created.dag_runs.map((r) => r.conf)).toEqual([{
      report_date: '2026-02-28', not_before: '2026-02-28T06:15:00Z', window_start: '02:30', notify: 'ops@example.com',
      table: 'sales_us', notes: 'first line\nsecond line', tier: 'silver', warehouse: 'archive', regions: ['eu', 'apac'], tables: ['orders', 'refunds', 'returns'],
    }]);
    // The server checks the formats and the pattern itself (the REST API, the CLI and triggerDagRun tasks alike).
    const refused = await ui.api(`/api/v1/dags/${FORMATS}/dagRuns`, { method: 'POST', body: { conf: { report_date: '2026-02-30', not_before: '2026-02-28 06:15', table: 'x-y' } } })
      .then(() => 'accepted', (err: Error) => err.message);
    expect(refused).toMatch(/: 400 /);
    expect(refused).toContain(`param 'report_date' must be a date (YYYY-MM-DD), got \\"2026-02-30\\"`);
    expect(refused).toContain(`param 'not_before' must be a date and time with its offset (e.g. 2026-01-31T02:00:00Z), got \\"2026-02-28 06:15\\"`);
    expect(refused).toContain(`param 'table' must match ^[a-z_]+$, got \\"x-y\\"`);
  });

  it('pauses and unpauses the DAG from its page', async () => {
    const isPaused = async () => (await ui.api<{ is_paused: boolean }>(`/api/v1/dags/${DAG}`)).is_paused;
    expect(await isPaused()).toBe(false);
    await page.goto(`${ui.web.url}/dags/${DAG}`);
    await page.getByRole('switch', { name: `Pause ${DAG}` }).click({ force: true });
    await poll(isPaused).toBe(true);
    await page.getByText('paused', { exact: true }).waitFor();
    await page.getByRole('switch', { name: `Unpause ${DAG}` }).click({ force: true });
    await poll(isPaused).toBe(false);
  });

  it('a Viewer is offered no trigger, pause, clear or mark control, and no Admin-only page', async () => {
    const viewer = { username: 'viewer', password: 'ui-Viewer-pw-3391' };
    await ui.createUser(viewer.username, viewer.password, 'Viewer');
    const b = await ui.openBrowser({ as: viewer });
    const p = await b.newPage();
    const controls = () => p.getByRole('button', { name: /^(Trigger|Clear|Mark)/ }).count();
    const switches = () => p.getByRole('switch', { name: /^(Pause|Unpause) / }).count();
    await p.goto(`${ui.web.url}/dags`);
    await p.getByRole('button', { name: 'user menu: viewer' }).waitFor();
    await p.locator(`[data-testid="dag-row"][data-dag-id="${DAG}"]`).waitFor();
    expect(await controls()).toBe(0);
    expect(await switches()).toBe(0);
    const { dag_runs: [run] } = await runs();
    await p.goto(`${ui.web.url}/dags/${DAG}/runs/${encodeURIComponent(run!.dag_run_id)}/tasks/show`);
    await p.getByRole('heading', { name: 'show' }).waitFor();
    await poll(() => p.getByTestId('log').textContent()).toContain('target=warehouse');
    expect(await controls()).toBe(0);
    expect(await switches()).toBe(0);
    // The admin's page does offer them (the checks above can fail).
    await page.goto(`${ui.web.url}/dags/${DAG}/runs/${encodeURIComponent(run!.dag_run_id)}/tasks/show`);
    await page.getByRole('button', { name: 'Mark failed' }).waitFor();
    expect(await page.getByRole('button', { name: `Trigger ${DAG}` }).count()).toBe(1);
    expect(await page.getByRole('switch', { name: `Pause ${DAG}` }).count()).toBe(1);
  });
});
