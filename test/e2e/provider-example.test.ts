/**
 * The worked example provider end to end: dags/provider_example.ts uses the task type of
 * `updraft-provider-example` (dags/providers/example-provider), which the example bundle declares
 * in dags/package.json and pins in dags/package-lock.json. The stack's DAGs folder gets those files
 * as a deploy would (then `npm ci` there, for the scheduler's parsing); the worker, with a cache
 * folder of its own, installs the package from the bundle and runs the DAG.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/index.js';
import { waitForRunEnd } from './db.js';
import { startStack, type Stack } from './stack.js';

const DAG = 'provider_example';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ dagFiles: [], workers: [{ name: 'provider-w1', concurrency: 2 }] });
  const dags = join(REPO_ROOT, 'dags');
  for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(dags, f), join(stack.dagsFolder, f));
  cpSync(join(dags, 'providers'), join(stack.dagsFolder, 'providers'), { recursive: true, filter: (src) => !src.includes('node_modules') });
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: stack.dagsFolder, stdio: 'pipe' });
  // The DAG file last: parsed once its package is there.
  copyFileSync(join(dags, `${DAG}.ts`), join(stack.dagsFolder, `${DAG}.ts`));
  const list = await stack.cli(['dags', 'list', '--output', 'json']);
  expect(list.code, list.stderr).toBe(0);
  const unpause = await stack.cli(['dags', 'unpause', DAG]);
  expect(unpause.code, `${unpause.stderr}${(await stack.cli(['dags', 'list-import-errors'])).stdout}`).toBe(0);
});

afterAll(async () => {
  await stack?.stop();
});

describe('the example provider', () => {
  it('runs its task type in the example DAG, installed on the worker from the bundle\'s lockfile', async () => {
    const runId = await stack.trigger(DAG);
    const end = await waitForRunEnd(stack.pool, DAG, runId, { diagnostics: () => stack.diagnostics() });
    expect(end.state).toBe('success');
    const r = await stack.pool.query<{ task_id: string; value: unknown }>(
      "SELECT task_id, value FROM xcom WHERE dag_id = $1 AND run_id = $2 AND key = 'return_value' ORDER BY task_id", [DAG, runId]);
    expect(r.rows).toEqual([
      { task_id: 'count_words', value: { words: 7, text: expect.stringMatching(/^orders loaded for \d{4}-\d{2}-\d{2} by run manual__/) } },
      { task_id: 'report', value: '7 words' },
    ]);
    const deps = join(stack.dir, 'dag-cache-provider-w1', 'deps');
    const installed = readdirSync(deps).filter((n) => !n.startsWith('.'));
    expect(installed).toHaveLength(1);
    expect(existsSync(join(deps, installed[0]!, 'node_modules', 'updraft-provider-example', 'index.js'))).toBe(true);
    const log = await stack.cli(['tasks', 'logs', DAG, runId, 'count_words', '--try', '1']);
    expect(log.stdout).toContain('wordCount: 7 words in "orders loaded for');
    expect(log.stdout).toContain("installing the bundle's dependencies: npm ci");
  });
});
