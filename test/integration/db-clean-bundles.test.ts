/**
 * `db clean` and DAG bundle versions against a real PostgreSQL: an old version no run started with
 * goes, with the file contents only it named; a version a kept run started with, a new one and
 * the current one stay, and a worker can still fetch a kept run's version over real gRPC (from a
 * cache folder that never held it). A version whose only run is deleted by the same clean goes.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerServiceClient, dagBundlesSql, dagFilesSql, readBundle, type WorkerServiceRpcClient } from '@updraft/core';
import { runScheduledClean, SchedulerEngine, startWorkerServiceServer, type WorkerServiceServerHandle } from '@updraft/scheduler';
import { DagFileCache } from '@updraft/worker';
import { createTestDatabase, runCli, type TestDatabase } from '../harness/index.js';
import { RecordingPublisher, silentLogger } from './engine-support.js';

let db: TestDatabase;
let dir: string;
let server: WorkerServiceServerHandle;
let client: WorkerServiceRpcClient;
const versions: Record<string, string> = {};
const hashes: Record<string, string> = {};
const TOKEN = 'bundle-clean-token';

/** Stores a bundle of `files` as the processor does (contents, then the version made current), stored at `createdAt`. */
async function storeVersion(name: string, files: Record<string, string>, createdAt: string): Promise<void> {
  const root = join(dir, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  const b = await readBundle(root);
  await dagFilesSql.insertDagCode(db.pool, b.files.map((f) => ({ fileHash: f.hash, fileloc: f.path, source: f.content })));
  await dagBundlesSql.storeCurrentBundleVersion(db.pool, b.version, b.files);
  await db.pool.query('UPDATE dag_bundle_version SET created_at = $2 WHERE version = $1', [b.version, createdAt]);
  versions[name] = b.version;
  for (const f of b.files) hashes[`${name}:${f.path}`] = f.hash;
}

async function run(runId: string, state: string, logical: string, bundle: string): Promise<void> {
  await db.pool.query(
    `INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date, start_date, end_date, bundle_version)
     VALUES ('etl', $1, 'scheduled', $2, $3, $3, CASE WHEN $2 = 'running' THEN NULL ELSE $3::timestamptz END, $4)`,
    [runId, state, logical, versions[bundle]]);
}

async function storedVersions(): Promise<string[]> {
  const { rows } = await db.pool.query<{ version: string }>('SELECT version FROM dag_bundle_version');
  const names = Object.fromEntries(Object.entries(versions).map(([k, v]) => [v, k]));
  return rows.map((r) => names[r.version] ?? r.version).sort();
}

async function hasContent(key: string): Promise<boolean> {
  const { rows } = await db.pool.query('SELECT 1 FROM dag_code WHERE file_hash = $1', [hashes[key]]);
  return rows.length === 1;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'updraft-bundle-clean-'));
  await db.pool.query(`INSERT INTO dag (dag_id, fileloc, schedule) VALUES ('etl', 'etl.ts', '@daily')`);
  // gone: old, no run. Its etl.ts is also a DAG version's source (kept); lib/only.ts is its alone (deleted).
  await storeVersion('gone', { 'etl.ts': 'export const v = "gone";\n', 'lib/shared.ts': 'export const s = 1;\n', 'lib/only.ts': 'export const o = "gone";\n' }, '2026-01-01');
  // held: old, a running run started with it.
  await storeVersion('held', { 'etl.ts': 'export const v = "held";\n', 'lib/shared.ts': 'export const s = 1;\n', 'lib/only.ts': 'export const o = "held";\n' }, '2026-01-01');
  // withRun: old, its only run is old and finished (the clean deletes it first).
  await storeVersion('withRun', { 'etl.ts': 'export const v = "withRun";\n', 'lib/shared.ts': 'export const s = 1;\n' }, '2026-01-01');
  // recent: stored after the cutoff, no run.
  await storeVersion('recent', { 'etl.ts': 'export const v = "recent";\n', 'lib/shared.ts': 'export const s = 1;\n' }, '2026-04-01');
  // current: old, but what new runs start with.
  await storeVersion('current', { 'etl.ts': 'export const v = "current";\n', 'lib/shared.ts': 'export const s = 1;\n' }, '2026-01-01');
  await db.pool.query(`INSERT INTO dag_version (dag_id, dag_hash, fileloc, file_hash, created_at) VALUES ('etl', 'h-gone', 'etl.ts', $1, '2026-01-01')`,
    [hashes['gone:etl.ts']]);
  await run('s1', 'success', '2026-01-01T00:00:00Z', 'withRun');
  await run('s2', 'running', '2026-01-02T00:00:00Z', 'held');
  await run('s3', 'success', '2026-04-01T00:00:00Z', 'current');

  const publisher = new RecordingPublisher();
  const engine = new SchedulerEngine({ pool: db.pool, publisher, logger: silentLogger, tickIntervalMs: 60_000 });
  server = await startWorkerServiceServer({ listen: '127.0.0.1:0', token: TOKEN, engine });
  client = createWorkerServiceClient({ address: `127.0.0.1:${server.port}`, token: TOKEN });
});

afterAll(async () => {
  client?.close();
  await server?.close();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('db clean of DAG bundle versions', () => {
  it('--dry-run counts the old versions no run still names (the runs it would delete are still there)', async () => {
    const r = await runCli(['db', 'clean', '--older-than', '2026-03-01', '--tables', 'dag_bundle_version', '--dry-run'], { env: { UPDRAFT__DATABASE__URL: db.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^dag_bundle_version\s+1$/m);
    expect(await storedVersions()).toEqual(['current', 'gone', 'held', 'recent', 'withRun']);
  });

  it('deletes old unreferenced versions and the contents only they named; keeps referenced, recent and current ones', async () => {
    const r = await runScheduledClean({ db: db.pool, olderThanDays: 30 }, new Date('2026-03-31T00:00:00Z'));
    expect(r.byTable).toMatchObject({ dag_run: 1, dag_bundle_version: 2 });
    expect(await storedVersions()).toEqual(['current', 'held', 'recent']);
    expect(await hasContent('gone:lib/only.ts')).toBe(false);
    expect(await hasContent('withRun:etl.ts')).toBe(false);
    // Named by a DAG version, or by versions that stay.
    expect(await hasContent('gone:etl.ts')).toBe(true);
    expect(await hasContent('gone:lib/shared.ts')).toBe(true);
    expect(await hasContent('held:lib/only.ts')).toBe(true);
    expect(await hasContent('recent:etl.ts')).toBe(true);
    // Nothing old left: a second pass deletes nothing.
    const again = await runScheduledClean({ db: db.pool, olderThanDays: 30 }, new Date('2026-03-31T00:00:00Z'));
    expect(again.byTable.dag_bundle_version).toBe(0);
  });

  it('a worker still fetches the version of a kept run over gRPC; a deleted one is named as unknown', async () => {
    const cache = new DagFileCache({
      folder: join(dir, 'worker-cache'),
      fetch: (fileHash) => client.fetchDagFile({ fileHash }),
      fetchBundle: (req) => client.fetchBundle(req),
    });
    const opened = await cache.open({ fileloc: 'etl.ts', fileHash: hashes['held:etl.ts']!, bundleVersion: versions.held! });
    try {
      expect(await readFile(opened.path, 'utf8')).toBe('export const v = "held";\n');
      expect(await readFile(join(dirname(opened.path), 'lib', 'only.ts'), 'utf8')).toBe('export const o = "held";\n');
      expect(await readFile(join(dirname(opened.path), 'lib', 'shared.ts'), 'utf8')).toBe('export const s = 1;\n');
    } finally {
      opened.release();
    }
    await expect(cache.open({ fileloc: 'etl.ts', fileHash: hashes['gone:etl.ts']!, bundleVersion: versions.gone! }))
      .rejects.toThrow(/no DAG bundle version/);
  });
});
