/**
 * A DAG bundle across hosts in network namespaces (namespaces.ts): host `master` runs PostgreSQL,
 * nats-server and `updraft scheduler` over a DAGs folder; host `worker-a` runs `updraft worker`
 * with no DAGs folder and no shared folder, and may open connections only to NATS and the
 * scheduler's gRPC port (no registry, no database). The bundle holds a DAG file importing a local
 * module (./lib/transform.ts) and an npm package vendored in the bundle as a tarball
 * (`file:./vendor/netns-caser-1.0.0.tgz`) and pinned in its package-lock.json: worker-a fetches the
 * run's bundle version from the scheduler and installs the package offline with `npm ci` into its
 * own cache. Changing the module while a run is in progress leaves the rest of that run on the
 * version it started with; the next run gets the new version (and reuses the installed package).
 *
 * Needs root, iproute2, util-linux and nftables; without namespaces the test is skipped with the reason.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '@updraft/core';
import { waitFor, waitForRunEnd } from '../e2e/db.js';
import type { UpdraftProcess } from '../e2e/processes.js';
import { registerLeftover } from '../harness/cleanup.js';
import type { CliResult } from '../harness/index.js';
import { createTopology, probeNetns, removeStaleNamespaces, type Topology } from './namespaces.js';
import { GRPC_PORT, NATS_PORT, restrictOutbound, runCliOn, spawnUpdraftOn, startNatsOn, startPostgresOn, type HostNats, type HostPostgres } from './services.js';

const probe = probeNetns();
if (!probe.ok) process.stdout.write(`test/netns/bundle-deps.test.ts skipped: ${probe.reason}\n`);

const DAG = 'netns_bundle';
const FIXTURE = fileURLToPath(new URL('./dags/bundle/', import.meta.url));
const TARBALL = 'netns-caser-1.0.0.tgz';

interface Returned {
  task: string;
  version: string;
  from: string;
  said: string;
  caser: string;
  caserFrom: string;
  hostname: string;
}

describe.skipIf(!probe.ok)(`a DAG bundle with a local module and a vendored package, on a worker host${probe.ok ? '' : ` (skipped: ${probe.reason})`}`, () => {
  let topology: Topology;
  let dir: string;
  let binDir: string;
  let workDir: string;
  let dagsFolder: string;
  let pg: HostPostgres;
  let nats: HostNats;
  let masterEnv: Record<string, string>;
  const token = randomBytes(16).toString('hex');
  const processes: UpdraftProcess[] = [];

  const diagnostics = (): string => processes.map((p) => `--- ${p.name} (pid ${p.pid}) ---\n${p.tail(30)}`).join('\n');
  const cliOnMaster = (args: string[]): Promise<CliResult> => runCliOn(topology, 'master', args, { env: masterEnv, cwd: join(dir, 'master'), binDir });
  const cache = (): string => join(dir, 'wa', 'dag-cache');

  const trigger = async (): Promise<string> => {
    const r = await cliOnMaster(['dags', 'trigger', DAG, '--conf', JSON.stringify({ work_dir: workDir }), '--output', 'json']);
    if (r.code !== 0) throw new Error(`updraft dags trigger ${DAG} failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
    return (JSON.parse(r.stdout) as { runId: string }).runId;
  };

  /** `updraft dags list` on the master processes the folder (as the scheduler's next scan would); waits until its version is current. */
  const refresh = async (): Promise<string> => {
    const { version } = await readBundle(dagsFolder);
    const r = await cliOnMaster(['dags', 'list', '--output', 'json']);
    expect(r.code, r.stderr).toBe(0);
    await waitFor('the bundle version of the DAGs folder to be current', async () => {
      const cur = await pg.pool.query<{ version: string }>("SELECT version FROM dag_bundle WHERE name = 'dags'");
      return cur.rows[0]?.version === version ? true : undefined;
    }, { timeoutMs: 60_000, diagnostics });
    return version;
  };

  const runBundle = async (runId: string): Promise<string | null> =>
    (await pg.pool.query<{ bundle_version: string | null }>('SELECT bundle_version FROM dag_run WHERE dag_id = $1 AND run_id = $2', [DAG, runId])).rows[0]?.bundle_version ?? null;

  const returned = async (runId: string, taskId: string): Promise<Returned> => {
    const r = await pg.pool.query<{ value: Returned }>(
      "SELECT value FROM xcom WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND key = 'return_value'", [DAG, runId, taskId]);
    expect(r.rows, `return value of ${taskId}`).toHaveLength(1);
    return r.rows[0]!.value;
  };

  const failures = async (runId: string): Promise<string> => {
    const { rows } = await pg.pool.query<{ task_id: string; try_number: number; state: string | null; error: string | null }>(
      'SELECT task_id, try_number, state, error FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 ORDER BY task_id, try_number', [DAG, runId]);
    return `${rows.map((t) => `${t.task_id} try ${t.try_number}: ${t.state} ${t.error ?? ''}`).join('\n')}\n${diagnostics()}`;
  };

  beforeAll(async () => {
    const stale = removeStaleNamespaces();
    if (stale.length > 0) process.stdout.write(`removed namespaces of earlier runs: ${stale.join(', ')}\n`);
    dir = mkdtempSync(join(tmpdir(), 'updraft-netns-bundle-'));
    if (process.env.E2E_KEEP !== '1') registerLeftover({ dir });
    binDir = join(dir, 'bin');
    workDir = join(dir, 'work');
    dagsFolder = join(dir, 'master', 'dags');
    for (const d of [binDir, workDir, join(dir, 'proc'), join(dir, 'wa'), join(dagsFolder, 'vendor')]) mkdirSync(d, { recursive: true });

    // The bundle as a user would make it: the package packed into vendor/, declared in package.json,
    // locked (and installed in the DAGs folder, for the scheduler's parsing) by npm, offline.
    execFileSync('npm', ['pack', '--pack-destination', join(dagsFolder, 'vendor'), join(FIXTURE, 'netns-caser')], { stdio: 'pipe' });
    writeFileSync(join(dagsFolder, 'package.json'),
      `${JSON.stringify({ type: 'module', private: true, dependencies: { 'netns-caser': `file:./vendor/${TARBALL}` } }, null, 2)}\n`);
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: dagsFolder, stdio: 'pipe' });
    cpSync(join(FIXTURE, 'lib'), join(dagsFolder, 'lib'), { recursive: true });
    cpSync(join(FIXTURE, `${DAG}.js`), join(dagsFolder, `${DAG}.js`));

    topology = createTopology([{ key: 'master', hostname: 'master' }, { key: 'wa', hostname: 'worker-a' }]);
    const master = topology.host('master').address;
    pg = await startPostgresOn(topology, 'master', binDir);
    nats = await startNatsOn(topology, 'master', join(dir, 'master', 'nats'), binDir);
    masterEnv = {
      UPDRAFT__DATABASE__URL: pg.url,
      UPDRAFT__NATS__URL: nats.url,
      UPDRAFT__SECURITY__WORKER_TOKEN: token,
      UPDRAFT__CORE__DAGS_FOLDER: dagsFolder,
      UPDRAFT__LOGGING__BASE_LOG_FOLDER: join(dir, 'master', 'logs'),
    };
    const scheduler = spawnUpdraftOn(topology, 'master', 'scheduler', ['scheduler'], join(dir, 'proc', 'scheduler.log'), {
      env: { ...masterEnv, UPDRAFT__SCHEDULER__GRPC_LISTEN: `${master}:${GRPC_PORT}` },
      cwd: join(dir, 'master'),
      binDir,
    });
    processes.push(scheduler);
    await scheduler.waitForOutput(/scheduler ready/, 60_000);

    // worker-a reaches NATS and the scheduler's WorkerService, nothing else: no registry, no database.
    restrictOutbound(topology, 'wa', [{ address: master, port: NATS_PORT }, { address: master, port: GRPC_PORT }]);
    const worker = spawnUpdraftOn(topology, 'wa', 'worker-a', ['worker'], join(dir, 'proc', 'worker-a.log'), {
      env: {
        UPDRAFT__WORKER__SCHEDULER_ADDRESS: `${master}:${GRPC_PORT}`,
        UPDRAFT__NATS__URL: nats.url,
        UPDRAFT__SECURITY__WORKER_TOKEN: token,
        UPDRAFT__WORKER__ALLOW_ROOT_TASKS: 'true', // the tests run as root
        UPDRAFT__CORE__DAGS_FOLDER: join(dir, 'wa', 'no-dags-folder'),
        UPDRAFT__WORKER__DAG_CACHE_FOLDER: cache(),
      },
      cwd: join(dir, 'wa'),
      binDir,
    });
    processes.push(worker);
    await worker.waitForOutput(/worker ready/, 60_000);

    await refresh();
    const unpause = await cliOnMaster(['dags', 'unpause', DAG]);
    expect(unpause.code, `${unpause.stderr}${(await cliOnMaster(['dags', 'list-import-errors'])).stdout}`).toBe(0);
  });

  afterAll(async () => {
    try {
      for (const p of [...processes].reverse()) await p.stop('SIGTERM', 20_000);
      await nats?.stop();
      await pg?.stop();
    } finally {
      topology?.destroy();
      if (dir) {
        if (process.env.E2E_KEEP === '1') process.stdout.write(`netns test files kept in ${dir}\n`);
        else rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('runs a run on the bundle version it started with though the module changed mid-run, the next run on the new one, with the vendored package installed offline', async () => {
    const v1 = (await readBundle(dagsFolder)).version;
    const run1 = await trigger();
    expect(await runBundle(run1)).toBe(v1);
    await waitFor('first to succeed', async () => {
      const { rows } = await pg.pool.query<{ state: string }>("SELECT state FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = 'first'", [DAG, run1]);
      if (rows[0]?.state === 'failed') throw new Error(`first failed:\n${await failures(run1)}`);
      return rows[0]?.state === 'success' ? true : undefined;
    }, { timeoutMs: 120_000, diagnostics });

    // Mid-run (`hold` is running): the module changes on the master and a new version becomes current.
    const moduleFile = join(dagsFolder, 'lib', 'transform.ts');
    writeFileSync(moduleFile, readFileSync(moduleFile, 'utf8').replace("version: 'v1'", "version: 'v2'"));
    const v2 = await refresh();
    expect(v2).not.toBe(v1);
    writeFileSync(join(workDir, 'release'), '');

    const end1 = await waitForRunEnd(pg.pool, DAG, run1, { timeoutMs: 120_000, diagnostics });
    expect(end1.state, await failures(run1)).toBe('success');
    // Both tasks ran on worker-a from its own cache, inside the run's version: the module as it was
    // when the run started, and the package installed from the vendored tarball into the deps cache.
    const deps = readdirSync(join(cache(), 'deps')).filter((n) => !n.startsWith('.'));
    expect(deps).toHaveLength(1);
    const caserFrom = `file://${join(cache(), 'deps', deps[0]!, 'node_modules', 'netns-caser', 'index.js')}`;
    for (const task of ['first', 'second']) {
      expect(await returned(run1, task)).toEqual({
        task, version: 'v1', from: `file://${join(cache(), 'bundles', v1, 'lib', 'transform.ts')}`,
        said: `${task.toUpperCase()}!`, caser: '1.0.0', caserFrom, hostname: 'worker-a',
      });
    }
    expect(existsSync(join(cache(), 'bundles', v1, 'vendor', TARBALL))).toBe(true);
    expect(existsSync(join(dir, 'wa', 'no-dags-folder'))).toBe(false);
    const log = await cliOnMaster(['tasks', 'logs', DAG, run1, 'first', '--try', '1']);
    expect(log.stdout).toContain("installing the bundle's dependencies: npm ci");
    expect(log.stdout).toContain('dependencies installed');

    const run2 = await trigger();
    expect(await runBundle(run2)).toBe(v2);
    const end2 = await waitForRunEnd(pg.pool, DAG, run2, { timeoutMs: 120_000, diagnostics });
    expect(end2.state, await failures(run2)).toBe('success');
    for (const task of ['first', 'second']) {
      expect(await returned(run2, task)).toEqual({
        task, version: 'v2', from: `file://${join(cache(), 'bundles', v2, 'lib', 'transform.ts')}`,
        said: `${task.toUpperCase()}!`, caser: '1.0.0', caserFrom, hostname: 'worker-a',
      });
    }
    // The new version changed neither package.json nor the lockfile: it reuses the install.
    expect(readdirSync(join(cache(), 'deps')).filter((n) => !n.startsWith('.'))).toEqual(deps);
    expect(readdirSync(join(cache(), 'bundles')).filter((n) => !n.startsWith('.')).sort()).toEqual([v1, v2].sort());
  }, 300_000);
});
