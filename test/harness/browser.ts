/**
 * Debian's Chromium (/usr/bin/chromium, `.ci/run` installs it) driven by playwright-core for the
 * web UI's tests: headless, a fresh profile per browser, no network of its own (no update checks,
 * no sync, no QUIC). A browser is never downloaded. `saveScreenshot()` writes docs/screenshots/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { registerLeftover, unregisterLeftover } from './cleanup.js';
import { REPO_ROOT } from './cli.js';

export const CHROMIUM_BIN = process.env.UPDRAFT_TEST_CHROMIUM_BIN ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface TestBrowserOptions {
  /** Emulated colour scheme (the UI follows it). Default 'light'. */
  colorScheme?: 'light' | 'dark';
  /** Default 1280 x 800. */
  viewport?: { width: number; height: number };
  /** HTTP basic auth credentials sent to the webserver. */
  httpCredentials?: { username: string; password: string };
}

export interface TestBrowser {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  /** Closes the browser and removes its profile. Idempotent. */
  close(): Promise<void>;
}

export async function launchBrowser(options: TestBrowserOptions = {}): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_BIN)) {
    throw new Error(`${CHROMIUM_BIN} not found: install Debian's chromium package (.ci/run does)`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'updraft-chromium-'));
  const leftover = registerLeftover({ dir: profile });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_BIN,
    headless: true,
    args: CHROMIUM_FLAGS,
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1280, height: 800 },
    timezoneId: 'UTC',
    ...(options.httpCredentials ? { httpCredentials: options.httpCredentials } : {}),
    locale: 'en-US',
  });
  context.setDefaultTimeout(30_000);
  let closed = false;
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      if (closed) return;
      closed = true;
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      unregisterLeftover(leftover);
    },
  };
}

/**
 * Logs the browser in as the web UI does (POST /api/v1/auth/login through the browser context, so
 * the session and CSRF cookies land in its cookie jar); throws unless the login succeeded.
 */
export async function logInBrowser(browser: TestBrowser, baseUrl: string, credentials: { username: string; password: string }): Promise<void> {
  const res = await browser.context.request.post(`${baseUrl}/api/v1/auth/login`, { data: credentials });
  if (res.status() !== 200) throw new Error(`login as ${credentials.username}: ${res.status()} ${await res.text()}`);
}

export const SCREENSHOT_DIR = join(REPO_ROOT, 'docs', 'screenshots');

/** Saves a screenshot of the page as docs/screenshots/NAME.png (shown in the README). */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // Let transitions and fonts settle so the picture is what a user sees.
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled' });
  return path;
}
