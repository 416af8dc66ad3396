/**
 * DAG bundles end to end: a DAG file importing local modules (./lib/transform.ts, which imports
 * ./deeper/helper.ts) runs on a worker whose DAG cache is its own folder (no shared DAGs folder);
 * the worker materializes the run's bundle version from the scheduler. Changing the module while
 * a run is in progress leaves the rest of that run on the version it started with; the next run
 * gets the new version.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '@updraft/core';
import { REPO_ROOT } from '../harness/index.js';
import { taskInstances, waitFor, waitForRunEnd } from './db.js';
import { startStack, type Stack } from './stack.js';

const DAG = 'bundle_it';
let stack: Stack;

type Returned = { task: string; version: string; helper: string; from: string };

async function returned(runId: string, taskId: string): Promise<Returned> {
  const r = await stack.pool.query<{ value: Returned }>(
    "SELECT value FROM xcom WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND key = 'return_value'", [DAG, runId, taskId]);
  expect(r.rows, `return value of ${taskId}`).toHaveLength(1);
  return r.rows[0]!.value;
}

async function runBundle(runId: string): Promise<string | null> {
  const r = await stack.pool.query<{ bundle_version: string | null }>('SELECT bundle_version FROM dag_run WHERE dag_id = $1 AND run_id = $2', [DAG, runId]);
  return r.rows[0]?.bundle_version ?? null;
}

/** `updraft dags list` processes the folder (as the scheduler's next scan would); waits until the folder's version is current. */
async function refresh(): Promise<string> {
  const { version } = await readBundle(stack.dagsFolder);
  const r = await stack.cli(['dags', 'list', '--output', 'json']);
  expect(r.code, r.stderr).toBe(0);
  await waitFor('the new bundle version to be current', async () => {
    const cur = await stack.pool.query<{ version: string }>("SELECT version FROM dag_bundle WHERE name = 'dags'");
    return cur.rows[0]?.version === version ? true : undefined;
  });
  return version;
}

beforeAll(async () => {
  stack = await startStack({ dagFiles: [], workers: [{ name: 'bundle-w1', concurrency: 2 }] });
  cpSync(join(REPO_ROOT, 'test/fixtures/bundle-e2e'), stack.dagsFolder, { recursive: true });
  await refresh();
  const unpause = await stack.cli(['dags', 'unpause', DAG]);
  expect(unpause.code, unpause.stderr).toBe(0);
});

afterAll(async () => {
  await stack?.stop();
});

describe('DAG bundles', () => {
  it('runs every task of a run against the bundle version it started with, and the next run against the new one', async () => {
    const v1 = (await readBundle(stack.dagsFolder)).version;
    const run1 = await stack.trigger(DAG);
    expect(await runBundle(run1)).toBe(v1);
    await waitFor('first to succeed', async () => ((await taskInstances(stack.pool, DAG, run1)).get('first')?.state === 'success' ? true : undefined),
      { diagnostics: () => stack.diagnostics() });

    // Mid-run: the module changes (and a new bundle version becomes current) before `second` starts.
    const moduleFile = join(stack.dagsFolder, 'lib', 'transform.ts');
    writeFileSync(moduleFile, readFileSync(moduleFile, 'utf8').replace("version: 'v1'", "version: 'v2'"));
    writeFileSync(join(stack.dagsFolder, 'lib', 'deeper', 'helper.ts'), "export const helperVersion = 'h2';\n");
    const v2 = await refresh();
    expect(v2).not.toBe(v1);
    writeFileSync(join(stack.workDir, 'release'), '');

    const end1 = await waitForRunEnd(stack.pool, DAG, run1, { diagnostics: () => stack.diagnostics() });
    expect(end1.state).toBe('success');
    const first1 = await returned(run1, 'first');
    const second1 = await returned(run1, 'second');
    expect([first1.version, first1.helper]).toEqual(['v1', 'h1']);
    expect([second1.version, second1.helper]).toEqual(['v1', 'h1']);
    // Loaded from the worker's own cache, inside the run's bundle version: not from the DAGs folder.
    const cache = join(stack.dir, 'dag-cache-bundle-w1');
    expect(second1.from).toBe(`file://${join(cache, 'bundles', v1, 'lib', 'transform.ts')}`);

    const run2 = await stack.trigger(DAG);
    expect(await runBundle(run2)).toBe(v2);
    const end2 = await waitForRunEnd(stack.pool, DAG, run2, { diagnostics: () => stack.diagnostics() });
    expect(end2.state).toBe('success');
    for (const task of ['first', 'second']) {
      const r = await returned(run2, task);
      expect([r.version, r.helper, r.from]).toEqual(['v2', 'h2', `file://${join(cache, 'bundles', v2, 'lib', 'transform.ts')}`]);
    }
    expect(readdirSync(join(cache, 'bundles')).filter((n) => !n.startsWith('.')).sort()).toEqual([v1, v2].sort());
  });
});
