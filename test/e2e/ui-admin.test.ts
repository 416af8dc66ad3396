/**
 * The web UI's Admin pages in Chromium against a real webserver and PostgreSQL: an Admin adds a
 * connection with a password through the form (listed masked; the API never answers the
 * password) and a variable (a broken JSON value is refused in the form) and a user with a role
 * (Admin only); a Viewer, created with `updraft users create`, reads pools and the event log
 * without any add/edit/delete control and is offered no Admin page it may not use. A scheduler
 * runs against the database, as in a real deployment (the pages would warn that none does).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createMemoryQueue, generateFernetKey, hashPassword, loadConfig, secretsContext, usersSql } from '@updraft/core';
import { startScheduler, type RunningScheduler } from '@updraft/scheduler';
import { startWebserver, type RunningWebserver } from '@updraft/webserver';
import { createTestDatabase, launchBrowser, logInBrowser, runCli, saveScreenshot, type TestBrowser, type TestDatabase } from '../harness/index.js';

const ADMIN = { username: 'ada', password: 'ui-admin-pw-4412' };
const VIEWER = { username: 'vera', password: 'ui-viewer-pw-9031' };
const CONN_PASSWORD = 'conn-secret-never-shown-77';

describe('web UI admin pages', () => {
  let db: TestDatabase;
  let web: RunningWebserver;
  let scheduler: RunningScheduler;
  const emptyDags = mkdtempSync(join(tmpdir(), 'updraft-ui-admin-dags-'));
  let browser: TestBrowser;
  let viewerBrowser: TestBrowser;

  async function apiAs(path: string): Promise<{ status: number; text: string }> {
    const auth = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;
    const r = await fetch(`${web.url}${path}`, { headers: { authorization: auth } });
    return { status: r.status, text: await r.text() };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    await usersSql.createUser(db.pool, { username: ADMIN.username, role: 'Admin', passwordHash: await hashPassword(ADMIN.password), email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' });
    const viewer = await runCli(['users', 'create', '-u', VIEWER.username, '-r', 'Viewer', '--password-stdin'], { env: { UPDRAFT__DATABASE__URL: db.url }, input: `${VIEWER.password}\n` });
    expect(viewer.code, viewer.stderr).toBe(0);
    const cfg = loadConfig({ env: { UPDRAFT__SECURITY__FERNET_KEY: generateFernetKey() }, cwd: '/nonexistent-updraft-cwd' });
    web = await startWebserver({ listen: '127.0.0.1:0', db: db.pool, secrets: secretsContext(cfg, {}), config: cfg });
    scheduler = await startScheduler({
      pool: db.pool, queue: createMemoryQueue(), listen: '127.0.0.1:0', token: 'ui-admin-token', watchDagsFolder: false,
      dagProcessor: { dagsFolder: emptyDags }, logger: createLogger({ name: 'test', level: 'silent' }),
    });
    // Led and looping before the first page is looked at.
    for (let i = 0; ; i++) {
      const health = (await (await fetch(`${web.url}/api/v1/health`)).json()) as { scheduler: { status: string } };
      if (health.scheduler.status === 'healthy') break;
      if (i === 300) throw new Error(`the scheduler is not healthy after 30 s: ${JSON.stringify(health)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    browser = await launchBrowser();
    await logInBrowser(browser, web.url, ADMIN);
    viewerBrowser = await launchBrowser();
    await logInBrowser(viewerBrowser, web.url, VIEWER);
  });

  afterAll(async () => {
    await browser?.close();
    await viewerBrowser?.close();
    await web?.close();
    await scheduler?.stop();
    await db?.drop();
    rmSync(emptyDags, { recursive: true, force: true });
  });

  it('adds a connection with a password through the form; the list and the API never show the password', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.url}/dags`);
    await page.getByRole('button', { name: 'Admin' }).click();
    await page.getByRole('menuitem', { name: 'Connections' }).click();
    await page.waitForURL(`${web.url}/admin/connections`);
    await page.getByRole('button', { name: 'Add connection' }).click();
    const form = page.getByRole('form', { name: 'connection form' });
    await form.getByLabel('Connection id').fill('warehouse_db');
    await form.getByLabel('Host').fill('db.example.com');
    await form.getByLabel('Port').fill('5432');
    await form.getByLabel('Schema').fill('analytics');
    await form.getByLabel('Login').fill('loader');
    await form.getByLabel('Password', { exact: true }).fill(CONN_PASSWORD);
    await form.getByLabel('Description').fill('The analytics warehouse');
    // Extra that is not JSON is refused before any request.
    await form.getByLabel('Extra (JSON)').fill('{"sslmode": ');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').filter({ hasText: 'Extra is not valid JSON' }).waitFor();
    await form.getByLabel('Extra (JSON)').fill('{"sslmode": "require"}');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });

    const row = page.getByRole('table', { name: 'connections' }).getByRole('row').filter({ hasText: 'warehouse_db' });
    await row.getByText('db.example.com').waitFor();
    expect(await row.innerText()).toContain('***');
    expect(await page.content()).not.toContain(CONN_PASSWORD);
    await saveScreenshot(page, 'connections');

    const got = await apiAs('/api/v1/connections/warehouse_db');
    expect(got.status, got.text).toBe(200);
    expect(JSON.parse(got.text)).toMatchObject({ connection_id: 'warehouse_db', conn_type: 'postgres', host: 'db.example.com', port: 5432, login: 'loader', schema: 'analytics' });
    expect(got.text).not.toContain(CONN_PASSWORD);
    expect(JSON.parse(got.text)).not.toHaveProperty('password');

    // A duplicate id: the API's problem shows in the form.
    await page.getByRole('button', { name: 'Add connection' }).click();
    await form.getByLabel('Connection id').fill('warehouse_db');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').waitFor();
    expect(await form.getByRole('alert').innerText()).toMatch(/warehouse_db/);
    await page.close();
  });

  it('adds a variable, refusing a broken JSON value in the form', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.url}/admin/variables`);
    await page.getByRole('button', { name: 'Add variable' }).click();
    const form = page.getByRole('form', { name: 'variable form' });
    await form.getByLabel('Key').fill('etl_settings');
    await form.getByLabel('Value').fill('{"batch": 500,');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').filter({ hasText: 'Value is not valid JSON' }).waitFor();
    await form.getByLabel('Value').fill('{"batch": 500}');
    await form.getByLabel('Description').fill('Batch size of the nightly load');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Add variable' }).click();
    await form.getByLabel('Key').fill('api_secret');
    await form.getByLabel('Value').fill('plain-text-secret-55');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });

    const table = page.getByRole('table', { name: 'variables' });
    await table.getByRole('row').filter({ hasText: 'etl_settings' }).getByText('{"batch": 500}').waitFor();
    await table.getByRole('row').filter({ hasText: 'api_secret' }).getByText('***').waitFor();
    expect(await page.content()).not.toContain('plain-text-secret-55');
    await saveScreenshot(page, 'variables');

    const got = await apiAs('/api/v1/variables/etl_settings');
    expect(JSON.parse(got.text)).toMatchObject({ key: 'etl_settings', value: '{"batch": 500}', description: 'Batch size of the nightly load' });
    await page.close();
  });

  it('changes a pool\'s slots through the form; default_pool cannot be deleted; the event log lists the changes', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.url}/admin/pools`);
    const table = page.getByRole('table', { name: 'pools' });
    await table.getByText('default_pool').waitFor();
    expect(await page.getByRole('button', { name: 'Delete pool default_pool' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Edit pool default_pool' }).click();
    const form = page.getByRole('form', { name: 'pool form' });
    await form.getByLabel('Slots').fill('7');
    await form.getByLabel('Description').fill('Everything without a pool');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    await table.getByRole('row').filter({ hasText: 'Everything without a pool' }).waitFor();
    await saveScreenshot(page, 'pools');
    const got = await apiAs('/api/v1/pools/default_pool');
    expect(JSON.parse(got.text)).toMatchObject({ name: 'default_pool', slots: 7, open_slots: 7, description: 'Everything without a pool' });

    await page.getByRole('button', { name: 'Admin' }).click();
    await page.getByRole('menuitem', { name: 'Event log' }).click();
    const log = page.getByRole('table', { name: 'event log' });
    await log.getByRole('row').filter({ hasText: 'pool.edit' }).waitFor();
    expect(await log.getByRole('row').filter({ hasText: 'connection.create' }).innerText()).toContain(ADMIN.username);
    await saveScreenshot(page, 'event-log');
    await page.close();
  });

  it('adds a user with a role through the form (Admin only); the list shows it, the API has it', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.url}/dags`);
    await page.getByRole('button', { name: 'Admin' }).click();
    await page.getByRole('menuitem', { name: 'Users' }).click();
    await page.waitForURL(`${web.url}/admin/users`);
    const table = page.getByRole('table', { name: 'users' });
    await table.getByRole('row').filter({ hasText: ADMIN.username }).waitFor();
    // Nobody deletes themselves from here.
    expect(await page.getByRole('button', { name: `Delete user ${ADMIN.username}` }).count()).toBe(0);
    await page.getByRole('button', { name: 'Add user' }).click();
    const form = page.getByRole('form', { name: 'user form' });
    await form.getByLabel('Username').fill('olga');
    // No password: refused in the form.
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').filter({ hasText: 'Password is required.' }).waitFor();
    await form.getByLabel(/^Password/).fill('olga-Op-pw-2207');
    await form.getByLabel('Role', { exact: true }).click();
    await page.getByRole('option', { name: 'Op', exact: true }).click();
    await form.getByLabel('First name').fill('Olga');
    await form.getByLabel('Last name').fill('Ladyzhenskaya');
    await form.getByLabel('E-mail').fill('olga@example.com');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    const row = table.getByRole('row').filter({ hasText: 'olga@example.com' });
    await row.getByText('Olga Ladyzhenskaya').waitFor();
    expect(await row.getByRole('cell').nth(3).textContent()).toBe('Op');
    expect(await page.content()).not.toContain('olga-Op-pw-2207');
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'users');
    const got = await apiAs('/api/v1/users/olga');
    expect(JSON.parse(got.text)).toMatchObject({ username: 'olga', roles: [{ name: 'Op' }], first_name: 'Olga', active: true });
    expect(got.text).not.toContain('olga-Op-pw-2207');

    // Edited: a Viewer now, inactive.
    await page.getByRole('button', { name: 'Edit user olga' }).click();
    await form.getByLabel('Role', { exact: true }).click();
    await page.getByRole('option', { name: 'Viewer', exact: true }).click();
    await form.getByRole('switch', { name: 'Active (may log in)' }).click({ force: true });
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(async () => JSON.parse((await apiAs('/api/v1/users/olga')).text) as unknown).toMatchObject({ roles: [{ name: 'Viewer' }], active: false });
    await page.close();
  });

  it('offers a Viewer no Admin page it may not use: no Connections, Variables or Users', async () => {
    const page = await viewerBrowser.newPage();
    await page.goto(`${web.url}/dags`);
    await page.getByRole('button', { name: 'Admin' }).click();
    await page.getByRole('menuitem', { name: 'Pools' }).waitFor();
    expect(await page.getByRole('menuitem').evaluateAll((els) => els.map((e) => e.textContent?.trim()))).toEqual(['Pools', 'Event log']);
    await page.goto(`${web.url}/admin/users`);
    await page.getByRole('alert').filter({ hasText: 'Only Admins manage users and roles.' }).waitFor();
    expect(await page.getByRole('table', { name: 'users' }).count()).toBe(0);
    expect(await page.getByText(ADMIN.username, { exact: true }).count()).toBe(0);
    await page.close();
  });

  it('shows a Viewer why connections and variables are not listed, the pools without add, edit or delete controls', async () => {
    // Viewers read pools and the event log, not connections or variables (docs/security.md).
    const page = await viewerBrowser.newPage();
    await page.goto(`${web.url}/admin/connections`);
    await page.getByRole('alert').filter({ hasText: 'Your role may not read connections.' }).waitFor();
    expect(await page.getByRole('button', { name: 'Add connection' }).count()).toBe(0);
    expect(await page.getByText('warehouse_db').count()).toBe(0);
    await page.goto(`${web.url}/admin/variables`);
    await page.getByRole('alert').filter({ hasText: 'Your role may not read variables.' }).waitFor();
    expect(await page.getByRole('button', { name: 'Add variable' }).count()).toBe(0);
    // Pools they read, without controls.
    await page.goto(`${web.url}/admin/pools`);
    await page.getByRole('table', { name: 'pools' }).getByText('default_pool').waitFor();
    expect(await page.getByRole('button', { name: 'Add pool' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Edit|Delete) pool/ }).count()).toBe(0);
    await page.close();
  });
});
