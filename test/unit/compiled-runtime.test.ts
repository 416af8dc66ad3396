/**
 * `updraft` runs compiled code: the CLI process loads the packages' dist/*.js, never a .ts file of
 * the project and never the TypeScript loader (tsx is only for the child processes that import
 * DAG files). Checked by recording every module the process loads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, REPO_ROOT } from '../harness/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'updraft-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function modulesLoadedBy(name: string, args: string[]): { code: number | null; output: string; urls: string[] } {
  const log = join(dir, `${name}.log`);
  const env: NodeJS.ProcessEnv = { ...process.env, UPDRAFT_MODULE_LOG: log };
  delete env.NODE_OPTIONS;
  for (const key of Object.keys(env)) if (key.startsWith('UPDRAFT__')) delete env[key];
  const guard = join(REPO_ROOT, 'test/fixtures/module-guard/register.mjs');
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(guard).href, CLI_ENTRY, ...args], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 });
  let urls: string[] = [];
  try {
    urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } catch {
    urls = [];
  }
  return { code: r.status, output: `${r.stdout}${r.stderr}`, urls };
}

const projectUrl = pathToFileURL(REPO_ROOT).href;
const projectTs = (urls: string[]): string[] =>
  urls.filter((u) => u.startsWith(projectUrl) && !u.includes('/node_modules/') && /\.m?ts(\?|$)/.test(u));
const tsxModules = (urls: string[]): string[] => urls.filter((u) => u.includes('/node_modules/tsx/'));

describe('the updraft command runs compiled code', () => {
  for (const [name, args] of [
    ['version', ['--version']],
    ['worker-help', ['worker', '--help']],
    ['config-list', ['config', 'list']],
    ['dags-validate', ['dags', 'validate', 'dags/']],
  ] as const) {
    it(`updraft ${args.join(' ')} loads dist/*.js only: no .ts file of the project, no tsx`, () => {
      const r = modulesLoadedBy(name, [...args]);
      expect(r.code, r.output).toBe(0);
      expect(r.urls.some((u) => u.includes('/packages/cli/'))).toBe(true);
      expect(projectTs(r.urls)).toEqual([]);
      expect(tsxModules(r.urls)).toEqual([]);
    });
  }

  it('the check sees project modules (it can fail)', () => {
    const r = modulesLoadedBy('config-list-again', ['config', 'list']);
    expect(r.urls.some((u) => u.includes('/packages/core/dist/'))).toBe(true);
  });
});
