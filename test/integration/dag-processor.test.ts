import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DagProcessor, nextRunOf, dagBundlesSql, dagFilesSql, dagsSql, type Queryable } from '@updraft/core';
import { sha256Hex } from '@updraft/core/internal';
import type { SerializedDag } from '@updraft/sdk';
import { createTestDatabase, REPO_ROOT } from '../harness/index.js';
import type { TestDatabase } from '../harness/index.js';

/** The stored serialized form of a DAG's current version. */
async function serializedDag(db: Queryable, dagId: string): Promise<SerializedDag | undefined> {
  return (await dagsSql.currentDag(db, dagId, { withData: true }))?.dag;
}

const EXAMPLES = join(REPO_ROOT, 'dags');
const BROKEN = join(REPO_ROOT, 'test/fixtures/dags-broken');

async function activeDagIds(db: TestDatabase): Promise<string[]> {
  const r = await db.pool.query<{ dag_id: string }>('SELECT dag_id FROM dag WHERE is_active ORDER BY dag_id');
  return r.rows.map((x) => x.dag_id);
}

describe('DAG processor on the example DAGs', () => {
  let db: TestDatabase;
  let processor: DagProcessor;
  beforeAll(async () => {
    db = await createTestDatabase();
    processor = new DagProcessor(db.pool, { dagsFolder: EXAMPLES, defaultTimezone: 'Asia/Seoul' });
  });
  afterAll(async () => {
    await processor?.close();
    await db?.drop();
  });

  it('stores the examples, then skips them all when nothing changed', async () => {
    const cold = await processor.processDagsFolder();
    // 11 files: 10 DAG files and the example provider's index.js (a module defining no DAG).
    expect(cold).toMatchObject({ filesSeen: 11, filesParsed: 11, filesSkipped: 0, dags: 10, dagsStored: 10, errors: [] });
    expect(await activeDagIds(db)).toEqual(['branching', 'etl_daily', 'fan_out', 'hello_world', 'mapped_files', 'orders_report', 'provider_example', 'start_end', 'task_groups', 'xcom_handoff']);
    // The folder is stored as the current bundle version, with package.json and lockfile, without node_modules.
    expect(cold.bundleVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(await dagBundlesSql.currentBundleVersion(db.pool)).toBe(cold.bundleVersion);
    const manifest = (await dagBundlesSql.bundleManifest(db.pool, cold.bundleVersion!))!.map((f) => f.path);
    expect(manifest).toEqual(expect.arrayContaining(['package-lock.json', 'package.json', 'providers/example-provider/index.js', 'hello_world.ts']));
    expect(manifest.filter((p) => p.includes('node_modules'))).toEqual([]);

    const hello = await serializedDag(db.pool, 'hello_world');
    expect(hello).toMatchObject({ dagId: 'hello_world', fileloc: 'hello_world.ts', schedule: '0 2 * * *', timezone: 'UTC' });
    expect(hello!.tasks.map((t) => [t.taskId, t.upstream, t.bashCommand])).toEqual([
      ['print_hello', [], 'echo "hello from {{ dag_id }} for {{ ds }}"'],
      ['print_goodbye', ['print_hello'], 'echo "goodbye from {{ dag_id }} for {{ ds }}"'],
    ]);
    // A DAG that names no timezone gets the default one.
    expect((await serializedDag(db.pool, 'fan_out'))!.timezone).toBe('Asia/Seoul');
    expect((await serializedDag(db.pool, 'start_end'))!.tasks.map((t) => t.taskId)).toEqual(['start', 'ls1', 'ls2', 'end']);

    // The source is stored by content hash, as workers fetch it.
    const source = await readFile(join(EXAMPLES, 'etl_daily.ts'));
    const code = await dagFilesSql.dagCode(db.pool, sha256Hex(source));
    expect(code?.fileloc).toBe('etl_daily.ts');
    expect(code?.source.equals(source)).toBe(true);

    const files = await db.pool.query('SELECT fileloc, dag_ids FROM dag_file ORDER BY fileloc');
    expect(files.rows).toEqual([
      { fileloc: 'branching.ts', dag_ids: ['branching'] },
      { fileloc: 'etl_daily.ts', dag_ids: ['etl_daily'] },
      { fileloc: 'fan_out.ts', dag_ids: ['fan_out'] },
      { fileloc: 'hello_world.ts', dag_ids: ['hello_world'] },
      { fileloc: 'mapped_files.ts', dag_ids: ['mapped_files'] },
      { fileloc: 'orders_report.ts', dag_ids: ['orders_report'] },
      { fileloc: 'provider_example.ts', dag_ids: ['provider_example'] },
      { fileloc: 'providers/example-provider/index.js', dag_ids: [] },
      { fileloc: 'start_end.ts', dag_ids: ['start_end'] },
      { fileloc: 'task_groups.ts', dag_ids: ['task_groups'] },
      { fileloc: 'xcom_handoff.ts', dag_ids: ['xcom_handoff'] },
    ]);

    const warm = await processor.processDagsFolder();
    expect(warm).toMatchObject({ filesSeen: 11, filesParsed: 0, filesSkipped: 11, dags: 10, dagsStored: 0, bundleVersion: cold.bundleVersion });

    const forced = await processor.processDagsFolder({ force: true });
    expect(forced).toMatchObject({ filesParsed: 11, dagsStored: 10, deactivatedDagIds: [] });
  });

  it('lists DAGs with their next run in their timezone', async () => {
    const dags = await dagsSql.listDags(db.pool);
    const hello = dags.find((d) => d.dagId === 'hello_world')!;
    expect(hello).toMatchObject({ schedule: '0 2 * * *', timezone: 'UTC', isPaused: true, owner: 'updraft', tags: ['example'] });
    const now = new Date('2026-05-10T12:00:00Z');
    const next = nextRunOf(hello, now)!;
    // No catchup: the latest complete interval [05-09 02:00, 05-10 02:00), due at its end.
    expect(next.dataIntervalStart.toISOString()).toBe('2026-05-09T02:00:00.000Z');
    expect(next.runAfter.toISOString()).toBe('2026-05-10T02:00:00.000Z');
  });

  it('shows the run unpausing creates, not a plan that came due weeks ago during a pause (no catchup)', async () => {
    await db.pool.query(`UPDATE dag SET next_dagrun = '2026-03-01T02:00:00Z', next_dagrun_interval_start = '2026-03-01T02:00:00Z',
      next_dagrun_interval_end = '2026-03-02T02:00:00Z', next_dagrun_create_after = '2026-03-02T02:00:00Z' WHERE dag_id = 'hello_world'`);
    const hello = (await dagsSql.listDags(db.pool)).find((d) => d.dagId === 'hello_world')!;
    const next = nextRunOf(hello, new Date('2026-05-10T12:00:00Z'))!;
    expect(next.dataIntervalStart.toISOString()).toBe('2026-05-09T02:00:00.000Z');
    expect(nextRunOf(hello, new Date('2026-03-01T12:00:00Z'))!.dataIntervalStart.toISOString()).toBe('2026-03-01T02:00:00.000Z');
  });
});

describe('DAG processor on broken files', () => {
  let db: TestDatabase;
  let dir: string;
  let processor: DagProcessor;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'updraft-dags-'));
    await cp(BROKEN, dir, { recursive: true });
    processor = new DagProcessor(db.pool, { dagsFolder: dir, fileTimeoutMs: 8000 });
  });
  afterAll(async () => {
    await processor?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('records one import error per broken file, cuts off the hang, and still loads the good file', async () => {
    const summary = await processor.processDagsFolder();
    expect(summary).toMatchObject({ filesSeen: 7, filesParsed: 7, dags: 1 });
    const errors = await dagFilesSql.listImportErrors(db.pool);
    expect(errors.map((e) => [e.fileloc, e.kind])).toEqual([
      ['cycle.ts', 'cycle'],
      ['duplicate_task.ts', 'duplicate_task'],
      ['hangs.ts', 'timeout'],
      ['syntax_error.mts', 'syntax'],
      ['throws_at_import.ts', 'exception'],
      ['unknown_dependency.ts', 'unknown_dependency'],
    ]);
    const message = (f: string): string => errors.find((e) => e.fileloc === f)!.message;
    expect(message('cycle.ts')).toMatch(/cycle\.ts: dag 'broken_cycle': cycle between tasks a -> b -> c -> a$/);
    expect(message('duplicate_task.ts')).toContain("duplicate task id 'extract'");
    expect(message('duplicate_task.ts')).toMatch(/duplicate_task\.ts:5:\d+\)$/);
    expect(message('hangs.ts')).toContain('took longer than 8s');
    expect(message('syntax_error.mts')).toMatch(/syntax_error\.mts:6:\d+: syntax error: Unexpected end of file/);
    expect(message('throws_at_import.ts')).toContain('exception at import: Error: SOME_SETTING_THAT_IS_NOT_SET is not set');
    expect(message('unknown_dependency.ts')).toContain("dag 'broken_unknown_dependency' has no task 'transform' (its tasks: load)");
    expect(await activeDagIds(db)).toEqual(['fixture_good']);

    // Unchanged broken files are not parsed again (the hang would cost its timeout every pass).
    expect(await processor.processDagsFolder()).toMatchObject({ filesParsed: 0, filesSkipped: 7 });
  });

  it('clears the import error when the file is fixed', async () => {
    await writeFile(
      join(dir, 'cycle.ts'),
      `import { dag } from '@updraft/sdk';\nexport default dag({ dagId: 'broken_cycle' }, (d) => { d.empty('a').then(d.empty('b')); });\n`,
    );
    const summary = await processor.processDagsFolder();
    expect(summary).toMatchObject({ filesParsed: 1, dagsStored: 1, errors: [] });
    expect((await dagFilesSql.listImportErrors(db.pool)).map((e) => e.fileloc)).not.toContain('cycle.ts');
    expect(await activeDagIds(db)).toEqual(['broken_cycle', 'fixture_good']);
  });

  it('keeps the last good version of a DAG while its file is broken', async () => {
    await writeFile(join(dir, 'cycle.ts'), `import { dag } from '@updraft/sdk';\nthrow new Error('oops');\n`);
    const summary = await processor.processDagsFolder();
    expect(summary.errors.map((e) => e.kind)).toEqual(['exception']);
    expect(await activeDagIds(db)).toEqual(['broken_cycle', 'fixture_good']);
    expect((await serializedDag(db.pool, 'broken_cycle'))!.tasks.map((t) => t.taskId)).toEqual(['a', 'b']);
  });

  it('refuses a DAG id already defined by another file, on the second file', async () => {
    await writeFile(join(dir, 'zz_copy.ts'), `import { dag } from '@updraft/sdk';\nexport default dag({ dagId: 'fixture_good' });\n`);
    const summary = await processor.processDagsFolder();
    expect(summary.errors).toEqual([
      expect.objectContaining({ fileloc: 'zz_copy.ts', kind: 'duplicate_dag', message: expect.stringContaining("DAG id 'fixture_good' is already defined in") }),
    ]);
    expect((await serializedDag(db.pool, 'fixture_good'))!.fileloc).toBe('good.ts');
  });

  it('keeps is_paused across parses and deactivates the DAG of a removed file', async () => {
    await db.pool.query("UPDATE dag SET is_paused = true WHERE dag_id = 'fixture_good'");
    await writeFile(join(dir, 'good.ts'), (await readFile(join(dir, 'good.ts'), 'utf8')) + '\n// changed\n');
    await processor.processDagsFolder();
    const paused = await db.pool.query("SELECT is_paused, is_active FROM dag WHERE dag_id = 'fixture_good'");
    expect(paused.rows[0]).toEqual({ is_paused: true, is_active: true });

    await rm(join(dir, 'good.ts'));
    const summary = await processor.processDagsFolder();
    expect(summary).toMatchObject({ filesGone: 1, deactivatedDagIds: ['fixture_good'] });
    expect(await activeDagIds(db)).toEqual(['broken_cycle']);
    const file = await db.pool.query("SELECT count(*)::int AS n FROM dag_file WHERE fileloc = 'good.ts'");
    expect(file.rows[0].n).toBe(0);
    // The DAG is kept (runs refer to it), only inactive, and is active again when a file defines it.
    await writeFile(join(dir, 'good2.ts'), `import { dag } from '@updraft/sdk';\nexport default dag({ dagId: 'fixture_good' });\n`);
    await rm(join(dir, 'zz_copy.ts'));
    await processor.processDagsFolder();
    expect(await activeDagIds(db)).toEqual(['broken_cycle', 'fixture_good']);
    expect((await serializedDag(db.pool, 'fixture_good'))!.fileloc).toBe('good2.ts');
  });
});

describe('DAG processor isolation', () => {
  let db: TestDatabase;
  let dir: string;
  let processor: DagProcessor;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'updraft-dags-crash-'));
    processor = new DagProcessor(db.pool, { dagsFolder: dir, parsingProcesses: 1, fileTimeoutMs: 10_000 });
  });
  afterAll(async () => {
    await processor?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('records a file that kills its parser process as a crash; the files after it still load', async () => {
    const good = (id: string): string => `import { dag } from '@updraft/sdk';\nexport default dag({ dagId: '${id}' }, (d) => { d.empty('t'); });\n`;
    await writeFile(join(dir, 'a_before.ts'), good('before'));
    await writeFile(join(dir, 'b_exits.ts'), `import { dag } from '@updraft/sdk';\ndag({ dagId: 'exits' });\nprocess.exit(3);\n`);
    await writeFile(join(dir, 'c_after.ts'), good('after'));
    await writeFile(join(dir, 'd_bad.mjs'), `import { dag } from '@updraft/sdk';\nconst x = ;\n`);
    const summary = await processor.processDagsFolder();
    expect(summary.errors.map((e) => [e.fileloc, e.kind])).toEqual([
      ['b_exits.ts', 'crash'],
      ['d_bad.mjs', 'syntax'],
    ]);
    expect(summary.errors[0]!.message).toContain('the parser process died while importing the file (exit code 3)');
    // A JavaScript syntax error names its line too.
    expect(summary.errors[1]!.message).toMatch(/d_bad\.mjs:2: syntax error: Unexpected token ';'$/);
    expect(await activeDagIds(db)).toEqual(['after', 'before']);
  });
});

const HANG = "import { dag } from '@updraft/sdk';\n// Never finishes importing (waits forever, as on a network call that never answers).\nawait new Promise(() => setInterval(() => undefined, 1000));\nexport default dag({ dagId: 'never_loads' });\n";

describe('DAG processor with a file that hangs at import', () => {
  let db: TestDatabase;
  let dir: string;
  let processor: DagProcessor;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'updraft-dags-hang-'));
    // One parser process: the new file can only load because the hanging one is set aside.
    processor = new DagProcessor(db.pool, { dagsFolder: dir, parsingProcesses: 1, fileTimeoutMs: 20_000 });
  });
  afterAll(async () => {
    await processor?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads other and new files while it hangs, never queues it twice, and records its timeout once', async () => {
    const good = (id: string): string => `import { dag } from '@updraft/sdk';\nexport default dag({ dagId: '${id}' }, (d) => { d.empty('t'); });\n`;
    // A file that waits forever at import (no CPU burnt, so the test holds on a loaded machine).
    await writeFile(join(dir, 'a_hangs.mts'), HANG); // .mts: an ES module (top-level await)
    await writeFile(join(dir, 'b_good.ts'), good('good'));
    const first = await processor.startPass();
    // Resolves once each file is written or set aside as slow (the hanging one).
    await first.settled;

    await writeFile(join(dir, 'c_new.ts'), good('new'));
    const second = await processor.processDagsFolder();
    // The hanging file is still being imported by the first pass: not queued again.
    // b_good.ts is written by the first pass, or still in flight there: not queued again either.
    expect(second).toMatchObject({ filesSeen: 3, filesParsed: 1, dagsStored: 1, errors: [] });
    expect(await activeDagIds(db)).toContain('new');
    // Ordering, not time: its timeout (20 s) has not fired yet.
    expect(await dagFilesSql.listImportErrors(db.pool)).toEqual([]);

    const done = await first.done;
    expect(done.errors.map((e) => [e.fileloc, e.kind])).toEqual([['a_hangs.mts', 'timeout']]);
    expect(await activeDagIds(db)).toEqual(['good', 'new']);
    // Unchanged, it is not imported again.
    expect(await processor.processDagsFolder()).toMatchObject({ filesParsed: 0, filesSkipped: 3 });
  });
});
