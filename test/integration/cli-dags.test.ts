import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, runCli } from '../harness/index.js';
import type { TestDatabase } from '../harness/index.js';

const BROKEN_FILES = ['cycle.ts', 'duplicate_task.ts', 'hangs.ts', 'syntax_error.mts', 'throws_at_import.ts', 'unknown_dependency.ts'];

describe('updraft dags validate (no database)', () => {
  it('exits 0 on the example DAGs', async () => {
    const r = await runCli(['dags', 'validate', 'dags/']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('11 file(s), 10 DAG(s), no problems\n');
    expect(r.code).toBe(0);
  });

  it('exits 1 on the broken examples and names each file with its reason', async () => {
    const r = await runCli(['dags', 'validate', 'test/fixtures/dags-broken', '--timeout', '4']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(BROKEN_FILES.length + 1);
    const expected: Record<string, string> = {
      'cycle.ts': "[cycle] test/fixtures/dags-broken/cycle.ts: dag 'broken_cycle': cycle between tasks a -> b -> c -> a",
      'duplicate_task.ts': "[duplicate_task] test/fixtures/dags-broken/duplicate_task.ts: dag 'broken_duplicate_task': duplicate task id 'extract'",
      'hangs.ts': '[timeout] test/fixtures/dags-broken/hangs.ts: importing the file took longer than 4s',
      'syntax_error.mts': '[syntax] test/fixtures/dags-broken/syntax_error.mts:6:',
      'throws_at_import.ts': '[exception] test/fixtures/dags-broken/throws_at_import.ts: exception at import: Error: SOME_SETTING_THAT_IS_NOT_SET is not set',
      'unknown_dependency.ts': "[unknown_dependency] test/fixtures/dags-broken/unknown_dependency.ts: dag 'broken_unknown_dependency' has no task 'transform'",
    };
    BROKEN_FILES.forEach((file, i) => expect(lines[i]).toContain(expected[file]));
    expect(lines.at(-1)).toBe('7 file(s), 1 DAG(s), 6 file(s) with problems');
  });

  it('validates a single file and reports a missing path', async () => {
    expect((await runCli(['dags', 'validate', 'dags/hello_world.ts'])).stdout).toBe('1 file(s), 1 DAG(s), no problems\n');
    const missing = await runCli(['dags', 'validate', 'no/such/dir']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no/such/dir: no such file or directory');
  });
});

describe('updraft dags with a database', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await createTestDatabase();
    env = { UPDRAFT__DATABASE__URL: db.url, UPDRAFT__CORE__DEFAULT_TIMEZONE: 'Asia/Seoul' };
  });
  afterAll(async () => db?.drop());

  it('list shows the examples with their next run in their timezone', async () => {
    const r = await runCli(['dags', 'list'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^DAG_ID\s+SCHEDULE\s+NEXT RUN\s+PAUSED\s+FILE\s+OWNER\s+TAGS$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['branching', 'etl_daily', 'fan_out', 'hello_world', 'mapped_files', 'orders_report', 'provider_example', 'start_end', 'task_groups', 'xcom_handoff']);
    expect(lines.find((l) => l.startsWith('hello_world'))).toMatch(/0 2 \* \* \*\s+\d{4}-\d\d-\d\d 02:00 UTC( \(due\))?\s+yes\s+hello_world\.ts\s+updraft\s+example$/);
    // fan_out names no timezone: it runs at midnight in the default one.
    expect(lines.find((l) => l.startsWith('fan_out'))).toMatch(/@daily\s+\d{4}-\d\d-\d\d 00:00 Asia\/Seoul( \(due\))?\s+yes\s+fan_out\.ts/);

    const json = JSON.parse((await runCli(['dags', 'list', '--output', 'json', '--no-refresh'], { env })).stdout) as Array<{
      dagId: string;
      timezone: string;
      nextRun: { runAfter: string; runAfterLocal: string } | null;
    }>;
    const hello = json.find((d) => d.dagId === 'hello_world')!;
    expect(hello.timezone).toBe('UTC');
    expect(new Date(hello.nextRun!.runAfter).getUTCHours()).toBe(2);
  });

  it('show prints the task graph', async () => {
    const r = await runCli(['dags', 'show', 'start_end', '--no-refresh'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('DAG start_end: 4 task(s), schedule @hourly (Asia/Seoul), file start_end.ts');
    expect(r.stdout).toMatch(/\nend\s+empty\s+ls1, ls2\s*\n/);
    expect(r.stdout).toContain('edges:\n  start -> ls1\n  start -> ls2\n  ls1 -> end\n  ls2 -> end\n');
    const missing = await runCli(['dags', 'show', 'nope', '--no-refresh'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no DAG 'nope'");
  });

  it('list-import-errors and reserialize work on a broken folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'updraft-cli-dags-'));
    try {
      await cp('test/fixtures/dags-broken', dir, { recursive: true });
      // Long enough that only hangs.ts times out even on a loaded machine (a good file's first import
      // in a fresh parser can take seconds there).
      const brokenEnv = { ...env, UPDRAFT__CORE__DAGS_FOLDER: dir, UPDRAFT__CORE__DAG_FILE_PROCESSOR_TIMEOUT: '15s' };
      const r = await runCli(['dags', 'list-import-errors'], { env: brokenEnv });
      expect(r.code).toBe(0);
      const kinds = r.stdout.trim().split('\n').map((l) => /^\[(\w+)\]/.exec(l)?.[1]);
      expect(kinds).toEqual(['cycle', 'duplicate_task', 'timeout', 'syntax', 'exception', 'unknown_dependency']);
      // The examples' DAGs are gone from this folder: inactive now.
      const list = await runCli(['dags', 'list', '--no-refresh'], { env: brokenEnv });
      expect(list.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['fixture_good']);
      const again = await runCli(['dags', 'reserialize'], { env: brokenEnv });
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/^reserialized 7 files in [\d.]+ s: 1 DAGs, 6 import errors\n$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--help works on every dags command', async () => {
    const subs = ['list', 'list-import-errors', 'validate', 'show', 'reserialize'];
    const results = await Promise.all(subs.map((sub) => runCli(['dags', sub, '--help'])));
    results.forEach((r, i) => {
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: updraft dags ${subs[i]}`);
    });
  });
});
