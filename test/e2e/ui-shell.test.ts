/**
 * The web UI as the webserver serves it, in Debian's Chromium: a visitor without a session gets
 * the login page (never the browser's password prompt), logs in through the form, comes back to
 * the page asked for and logs out from the user menu; the app loads from the webserver alone (no
 * request leaves it), follows the system's colour scheme, shows the instance's name and header
 * colour when configured (on the login page and in the tab's title too), the metadata database's health,
 * and renders its own "not found" page for unknown app paths; hashed assets are cached for a year
 * and compressed, pages are not cached, and API paths never get the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createMemoryQueue, hashPassword, loadConfig, usersSql } from '@updraft/core';
import { startScheduler } from '@updraft/scheduler';
import { startWebserver, type RunningWebserver } from '@updraft/webserver';
import { createTestDatabase, launchBrowser, logInBrowser, saveScreenshot, type TestBrowser, type TestDatabase } from '../harness/index.js';

const USER = { username: 'grace', password: 'ui-shell-pw-7781' };
const emptyDags = mkdtempSync(join(tmpdir(), 'updraft-ui-shell-dags-'));

describe('web UI shell', () => {
  let db: TestDatabase;
  let web: RunningWebserver;
  let browser: TestBrowser;

  beforeAll(async () => {
    db = await createTestDatabase();
    await usersSql.createUser(db.pool, { username: USER.username, role: 'Op', passwordHash: await hashPassword(USER.password), email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' });
    web = await startWebserver({ listen: '127.0.0.1:0', db: db.pool });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await db?.drop();
    rmSync(emptyDags, { recursive: true, force: true });
  });

  it('sends a visitor without a session to the login page, logs in through the form, returns to the page asked for, and logs out', async () => {
    const page = await browser.newPage();
    const challenged: string[] = [];
    page.on('response', (r) => {
      if (r.headers()['www-authenticate'] !== undefined) challenged.push(r.url());
    });
    await page.goto(`${web.url}/dags?q=etl`);
    await page.waitForURL(/\/login\?redirect=/);
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/dags?q=etl');
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await saveScreenshot(page, 'login');

    await page.getByLabel('Username').fill(USER.username);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();

    await page.getByLabel('Password', { exact: true }).fill(USER.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${web.url}/dags?q=etl`);
    await page.getByRole('heading', { name: 'DAGs' }).waitFor();
    const cookies = await browser.context.cookies(web.url);
    expect(cookies.find((c) => c.name === 'updraft_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(cookies.find((c) => c.name === 'updraft_csrf')).toMatchObject({ httpOnly: false, sameSite: 'Lax' });

    await page.getByRole('button', { name: `user menu: ${USER.username}` }).click();
    await page.getByText('Grace Hopper').waitFor();
    await page.getByText('Op', { exact: true }).waitFor();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL(`${web.url}/login`);
    expect((await browser.context.cookies(web.url)).map((c) => c.name)).toEqual([]);
    // After logging out the app asks for a login again, and nothing ever asked the browser for a password.
    await page.goto(`${web.url}/dags`);
    await page.waitForURL(/\/login\?redirect=%2Fdags/);
    expect(challenged).toEqual([]);
    await page.close();
    await logInBrowser(browser, web.url, USER);
  });

  it('works from an address with user:password in it (a bookmark): the login page, then the app', async () => {
    // Resolved against such an address, every request of the app was refused by the browser
    // ("includes credentials"): the DAG list said it could not load, the header "unreachable".
    const bare = await launchBrowser();
    try {
      const page = await bare.newPage();
      const at = new URL(web.url);
      at.username = USER.username;
      at.password = USER.password;
      await page.goto(new URL('/dags', at).href);
      await page.waitForURL(/\/login\?redirect=/);
      await page.getByLabel('Username').fill(USER.username);
      await page.getByLabel('Password', { exact: true }).fill(USER.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'DAGs' }).waitFor();
      await page.getByLabel('metadata database healthy').waitFor();
      expect(await page.getByText('Could not load').count()).toBe(0);
    } finally {
      await bare.close();
    }
  });

  it('loads from the webserver alone and shows the product frame with the database health', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(web.url) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${web.url}/`);
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: 'Updraft home' }).isVisible()).toBe(true);
    await page.getByLabel('metadata database healthy').waitFor();
    expect(await page.title()).toBe('Updraft');
    expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('light');
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the instance\'s name and header colour (webserver.instance_name, navbar_color) on every page, the login page and the tab\'s title', async () => {
    // Without them: nothing beside the logo, the theme's header.
    expect(await (await fetch(`${web.url}/ui/appearance`)).json()).toEqual({ instance_name: null, navbar_color: null, navbar_dark: false });
    await expect(startWebserver({ listen: '127.0.0.1:0', db: db.pool, appearance: { navbarColor: 'red;background:url(x)' } }))
      .rejects.toThrow(/appearance\.navbarColor must be empty or a hex colour such as #c92a2a/);
    // From the configuration, as `updraft webserver` passes it.
    const config = loadConfig({ cwd: emptyDags, env: { UPDRAFT__WEBSERVER__INSTANCE_NAME: 'staging', UPDRAFT__WEBSERVER__NAVBAR_COLOR: '#fa5' } });
    const configured = await startWebserver({ listen: '127.0.0.1:0', db: db.pool, config });
    const named = await startWebserver({ listen: '127.0.0.1:0', db: db.pool, appearance: { instanceName: 'production · eu-west', navbarColor: '#c92a2a' } });
    const visitor = await launchBrowser();
    try {
      expect(await (await fetch(`${configured.url}/ui/appearance`)).json()).toEqual({ instance_name: 'staging', navbar_color: '#fa5', navbar_dark: false });
      // Public, as the login page needs it before anyone signs in.
      expect(await (await fetch(`${named.url}/ui/appearance`)).json()).toEqual({ instance_name: 'production · eu-west', navbar_color: '#c92a2a', navbar_dark: true });
      const login = await visitor.newPage();
      await login.goto(`${named.url}/dags`);
      await login.waitForURL(/\/login\?redirect=/);
      await login.getByTestId('instance-name').filter({ hasText: 'production · eu-west' }).waitFor();
      await expect.poll(() => login.title()).toBe('production · eu-west · Updraft');
      await saveScreenshot(login, 'login-instance-name');
      await login.close();

      await logInBrowser(visitor, named.url, USER);
      const page = await visitor.newPage();
      await page.goto(`${named.url}/dags`);
      await page.getByRole('heading', { name: 'DAGs' }).waitFor();
      const name = page.getByRole('banner').getByTestId('instance-name');
      await name.filter({ hasText: 'production · eu-west' }).waitFor();
      expect(await page.title()).toBe('production · eu-west · Updraft');
      // (test/ has no DOM types: the page's getComputedStyle, typed here.)
      const computed = (l: Locator, property: 'color' | 'backgroundColor') =>
        l.evaluate((e, p) => (globalThis as unknown as { getComputedStyle(el: unknown): Record<string, string> }).getComputedStyle(e)[p], property);
      expect(await computed(page.getByRole('banner'), 'backgroundColor')).toBe('rgb(201, 42, 42)');
      // A dark colour: the product's name, the instance's and the navigation read white on it.
      expect(await computed(name, 'color')).toBe('rgb(255, 255, 255)');
      expect(await computed(page.getByRole('link', { name: 'Updraft home' }), 'color')).toBe('rgb(255, 255, 255)');
      expect(await computed(page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Assets' }), 'color')).toMatch(/^rgba?\(255, 255, 255/);
      await saveScreenshot(page, 'instance-name');

      // A light colour: dark text on it.
      await logInBrowser(visitor, configured.url, USER);
      await page.goto(`${configured.url}/dags`);
      await page.getByRole('banner').getByTestId('instance-name').filter({ hasText: 'staging' }).waitFor();
      expect(await computed(page.getByRole('banner'), 'backgroundColor')).toBe('rgb(255, 170, 85)');
      expect(await computed(page.getByRole('link', { name: 'Updraft home' }), 'color')).toBe('rgb(0, 0, 0)');
      expect(await page.title()).toBe('staging · Updraft');
      await page.close();
    } finally {
      await visitor.close();
      await named.close();
      await configured.close();
    }
  });

  it('follows a dark system theme', async () => {
    const dark = await launchBrowser({ colorScheme: 'dark' });
    try {
      await logInBrowser(dark, web.url, USER);
      const page = await dark.newPage();
      await page.goto(`${web.url}/dags`);
      await page.getByLabel('metadata database healthy').waitFor();
      expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
      const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
      // Mantine's dark body colour, not white.
      expect(bg).not.toBe('rgb(255, 255, 255)');
    } finally {
      await dark.close();
    }
  });

  it('opens a deep link directly and renders its own page for an unknown app path', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.url}/dags/no_such_dag/nothing/here`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('link', { name: 'Back to the DAGs' }).click();
    await page.waitForURL(`${web.url}/dags`);
    await page.close();
  });

  it('caches hashed assets for a year, compressed; pages are not cached; API paths never get the app', async () => {
    const html = await fetch(`${web.url}/dags?q=x`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('cache-control')).toBe('no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await html.text())?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${web.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');

    expect((await fetch(`${web.url}/assets/index-missing.js`)).status).toBe(404);
    // The assets page is /assets itself (its files are below /assets/).
    const assetsPage = await fetch(`${web.url}/assets?uri=s3://x/`);
    expect(assetsPage.status).toBe(200);
    expect(assetsPage.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const api = await fetch(`${web.url}/api/v1/no-such-route`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('json');
    expect((await fetch(`${web.url}/elsewhere`)).status).toBe(404);
  });

  it('warns on every page while no scheduler runs, says when it last ran, and stops once one leads', async () => {
    type Health = { scheduler: { status: string; latest_scheduler_heartbeat: string | null } };
    const health = async (): Promise<Health> => (await (await fetch(`${web.url}/api/v1/health`)).json()) as Health;
    expect((await health()).scheduler).toEqual({ status: 'unhealthy', latest_scheduler_heartbeat: null });
    const page = await browser.newPage();
    await logInBrowser(browser, web.url, USER);
    await page.goto(`${web.url}/dags`);
    const banner = page.getByRole('alert', { name: 'The scheduler does not appear to be running' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain('No scheduler has run against this database yet');
    await saveScreenshot(page, 'scheduler-banner');

    // A real scheduler: it takes the leader lock and its loop writes at its first tick.
    const before = (await db.pool.query<{ now: Date }>('SELECT now()')).rows[0]!.now;
    const scheduler = await startScheduler({
      pool: db.pool, queue: createMemoryQueue(), listen: '127.0.0.1:0', token: 'ui-shell-token', watchDagsFolder: false,
      dagProcessor: { dagsFolder: emptyDags }, logger: createLogger({ name: 'test', level: 'silent' }),
    });
    let stopped = false;
    try {
      await expect.poll(async () => (await health()).scheduler.status, { timeout: 30_000 }).toBe('healthy');
      const beat = (await health()).scheduler.latest_scheduler_heartbeat;
      // Written by this scheduler (the database's clock, after it started), not left from before.
      expect(Date.parse(beat!)).toBeGreaterThanOrEqual(before.getTime());
      await page.reload();
      await page.getByRole('heading', { name: 'DAGs' }).waitFor();
      await page.getByLabel('metadata database healthy').waitFor();
      expect(await banner.count()).toBe(0);

      // Gone again: the lock is released at once, and the banner says when the scheduler last ran.
      await scheduler.stop();
      stopped = true;
      expect((await health()).scheduler).toEqual({ status: 'unhealthy', latest_scheduler_heartbeat: expect.any(String) });
      await page.reload();
      await banner.waitFor();
      expect(await banner.textContent()).toContain('Its last heartbeat was');
    } finally {
      if (!stopped) await scheduler.stop();
      await page.close();
    }
  });
});
