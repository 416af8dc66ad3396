/**
 * `updraft dags test` on the example DAGs that hand values over, branch and map (and on sensors): run here (no
 * scheduler, queue or database), tasks read their upstream's XCom, a branch skips the path it did
 * not pick, and a mapped task runs one instance per element (per combination of named sources), as
 * a worker would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../harness/index.js';

let logs: string;
let env: Record<string, string>;

beforeAll(async () => {
  logs = await mkdtemp(join(tmpdir(), 'updraft-dags-test-'));
  env = { UPDRAFT__LOGGING__BASE_LOG_FOLDER: logs, UPDRAFT__CORE__DAGS_FOLDER: join(REPO_ROOT, 'dags') };
});

afterAll(async () => {
  await rm(logs, { recursive: true, force: true });
});

const dagsTest = (dagId: string, date: string) =>
  runCli(['dags', 'test', dagId, date, '--file', join(REPO_ROOT, 'dags', `${dagId}.ts`)], { env, timeoutMs: 120_000 });

describe('updraft dags test with XCom, branching and mapping', () => {
  it('hands return values over through XCom (functions and bash templates)', async () => {
    const r = await dagsTest('xcom_handoff', '2026-03-03');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('[stdout] summary: 3 rows in events; total 60');
    expect(r.stdout).toContain('of DAG xcom_handoff: success');
  });

  it('a branch runs only the path it picked; the join follows its trigger rule', async () => {
    const tuesday = await dagsTest('branching', '2026-03-03');
    expect(tuesday.code, tuesday.stdout + tuesday.stderr).toBe(0);
    expect(tuesday.stdout).toMatch(/^full_reload\s+skipped\s*$/m);
    expect(tuesday.stdout).toMatch(/^incremental_load\s+success\s/m);
    expect(tuesday.stdout).toMatch(/^join\s+success\s/m);
    const monday = await dagsTest('branching', '2026-03-02');
    expect(monday.stdout).toMatch(/^full_reload\s+success\s/m);
    expect(monday.stdout).toMatch(/^incremental_load\s+skipped\s*$/m);
  });

  it('a mapped task runs once per element, and what follows reads the results in order', async () => {
    const r = await dagsTest('mapped_files', '2026-03-03');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const order = ['events', 'users', 'orders'].map((f, i) => r.stdout.indexOf(`counting ${f}-2026-03-03.csv (instance ${i})`));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(r.stdout).toContain('[stdout] notifying ops about 2026-03-03');
    expect(r.stdout).toContain('[stdout] notifying analytics about 2026-03-03');
    expect(r.stdout).toMatch(/^report\s+success\s/m);
    expect(r.stdout).toContain('of DAG mapped_files: success');
  });
});

describe('updraft dags test with the cross product of named sources', () => {
  it('runs one instance per combination in Airflow\'s order, skips on an empty source, and fails past core.max_map_length', async () => {
    const r = await runCli(
      ['dags', 'test', 'sem_map_product', '2026-03-03', '--file', join(REPO_ROOT, 'test', 'fixtures', 'dags-semantics', 'mapping.ts')],
      { env: { ...env, UPDRAFT__CORE__DAGS_FOLDER: join(REPO_ROOT, 'test', 'fixtures', 'dags-semantics') }, timeoutMs: 120_000 });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('return value: ["Oslo/mon@0","Oslo/tue@1","Oslo/wed@2","Lima/mon@3","Lima/tue@4","Lima/wed@5"]');
    expect(r.stdout).toMatch(/\[stdout\] city=Lima n=2 index=3$/m);
    expect(r.stdout).toContain("cannot expand 'too_many': 1200 combinations, over core.max_map_length (1024)");
    expect(r.stdout).toMatch(/^too_many\s+upstream_failed\s*$/m);
    expect(r.stdout).toMatch(/^none\s+skipped\s*$/m);
    expect(r.stdout).toContain('of DAG sem_map_product: failed');
  });
});

describe('updraft dags test with setup and teardown tasks', () => {
  it('the work fails: the teardown still runs, and the run fails as under a scheduler', async () => {
    const r = await runCli(
      ['dags', 'test', 'sem_setup_teardown', '2026-03-03', '--conf', '{"failWork":true}', '--file', join(REPO_ROOT, 'test', 'fixtures', 'dags-semantics', 'setup-teardown.ts')],
      { env: { ...env, UPDRAFT__CORE__DAGS_FOLDER: join(REPO_ROOT, 'test', 'fixtures', 'dags-semantics') }, timeoutMs: 120_000 });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^work\s+failed\s/m);
    expect(r.stdout).toMatch(/^delete_cluster\s+success\s/m);
    expect(r.stdout).toContain('delete ran (try 1)');
    expect(r.stdout).toContain('of DAG sem_setup_teardown: failed');
  });
});

describe('updraft dags test with sensors', () => {
  const sensorsTest = (dagId: string) => runCli(
    ['dags', 'test', dagId, '2026-03-03', '--file', join(REPO_ROOT, 'test', 'fixtures', 'dags-semantics', 'sensors.ts')],
    { env: { ...env, UPDRAFT__CORE__DAGS_FOLDER: join(REPO_ROOT, 'test', 'fixtures', 'dags-semantics') }, timeoutMs: 120_000 });

  it('a reschedule-mode sensor pokes again after its interval until true (pokes are tries 1, 2, ...)', async () => {
    const r = await sensorsTest('sem_sensor_fourth');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.match(/poke: false: rescheduled/g)).toHaveLength(3);
    expect(r.stdout).toMatch(/^wait\s+success\s/m);
    expect(r.stdout).toMatch(/^after\s+success\s/m);
  });

  it('softFail: skipped after the timeout, and the all_done task still runs', async () => {
    const r = await sensorsTest('sem_sensor_soft');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^never\s+skipped\s/m);
    expect(r.stdout).toMatch(/^after\s+skipped\s*$/m);
    expect(r.stdout).toMatch(/^cleanup\s+success\s/m);
  });
});

describe('updraft dags test with a latest-only gate', () => {
  it('a local run is a manual run: nothing is skipped, and the gate\'s XCom names the task it follows, as under a scheduler', async () => {
    const r = await runCli(
      ['dags', 'test', 'sem_latest_only', '2024-03-03', '--file', join(REPO_ROOT, 'test', 'fixtures', 'dags-semantics', 'latest-only.ts')],
      { env: { ...env, UPDRAFT__CORE__DAGS_FOLDER: join(REPO_ROOT, 'test', 'fixtures', 'dags-semantics') }, timeoutMs: 120_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^notify\s+success\s/m);
    // Before, the gate stored no value in a local run: after_notify read nothing.
    expect(r.stdout).toContain('return value: {"followed":["notify"]}');
  });
});

describe('updraft dags test decides the run by its leaf tasks, as the scheduler does', () => {
  const runStateTest = (dagId: string) => runCli(
    ['dags', 'test', dagId, '2026-03-03', '--file', join(REPO_ROOT, 'test', 'fixtures', 'dags-semantics', 'run-state.ts')],
    { env: { ...env, UPDRAFT__CORE__DAGS_FOLDER: join(REPO_ROOT, 'test', 'fixtures', 'dags-semantics') }, timeoutMs: 120_000 });

  it('a failed task followed by an all_done leaf that succeeds: success, exit 0', async () => {
    const r = await runStateTest('sem_run_state_cleanup');
    expect(r.stdout).toMatch(/^work\s+failed\s/m);
    expect(r.stdout).toMatch(/^cleanup\s+success\s/m);
    expect(r.stdout).toContain('of DAG sem_run_state_cleanup: success');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('a leaf upstream_failed: failed, exit 1', async () => {
    const r = await runStateTest('sem_run_state_failed_leaf');
    expect(r.stdout).toMatch(/^report\s+upstream_failed\s*$/m);
    expect(r.stdout).toContain('of DAG sem_run_state_failed_leaf: failed');
    expect(r.code).toBe(1);
  });
});
