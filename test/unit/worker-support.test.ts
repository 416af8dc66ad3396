/**
 * Worker building blocks: umask parsing, uid/gid resolution and the refusal to switch users
 * without root, task log paths and reading, the DAG file cache (hash verified, fetched once).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DagFileCache,
  formatUmask,
  listTaskLogTries,
  parseUmask,
  readTaskLog,
  resolveIdentity,
  resolveLogFile,
  TaskLogWriter,
} from '@updraft/worker';
import { taskLogRelativePath } from '@updraft/core';

const isRoot = process.geteuid?.() === 0;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'worker-support-'));
  await chmod(dir, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('umask', () => {
  it('parses octal strings and formats them back with 4 digits', () => {
    expect(parseUmask('0022')).toBe(0o022);
    expect(parseUmask('002')).toBe(0o002);
    expect(parseUmask('0077')).toBe(0o077);
    expect(formatUmask(0o002)).toBe('0002');
  });

  it('rejects malformed values naming the setting', () => {
    expect(() => parseUmask('0089')).toThrow(/worker\.umask: "0089" is not an octal umask/);
    expect(() => parseUmask('abc', 'task umask')).toThrow(/task umask/);
    expect(() => parseUmask('1777')).toThrow(/out of range/);
  });
});

describe('run-as identity', () => {
  it('resolves user names and numeric ids through /etc/passwd and /etc/group', () => {
    expect(resolveIdentity({ runAsUser: 'nobody' })).toMatchObject({ uid: 65534, user: 'nobody' });
    expect(resolveIdentity({ runAsUser: 65534, runAsGroup: 'nogroup' })).toMatchObject({ uid: 65534, gid: 65534 });
    // A numeric id without a passwd entry is allowed; HOME falls back to /.
    expect(resolveIdentity({ runAsUser: '54321' })).toMatchObject({ uid: 54321, gid: 54321, user: '54321', home: '/' });
    expect(resolveIdentity({})).toMatchObject({ uid: process.geteuid!(), switches: false });
  });

  it('names an unknown user or group', () => {
    expect(() => resolveIdentity({ runAsUser: 'no_such_user_x' })).toThrow(/worker\.run_as_user: no user named "no_such_user_x"/);
    expect(() => resolveIdentity({ runAsGroup: 'no_such_group_x' })).toThrow(/worker\.run_as_group: no group named "no_such_group_x"/);
  });

  it.runIf(isRoot)('a worker that is not root refuses another run-as user, saying what to fix', () => {
    // Run the check as uid 65534 in a child process.
    const script = `import { resolveIdentity, assertCanSwitchTo } from '@updraft/worker';
      try { assertCanSwitchTo(resolveIdentity({ runAsUser: 'root' })); console.log('SWITCHED'); }
      catch (err) { console.log(err.message); }`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: resolve('.'), uid: 65534, gid: 65534, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/tmp' },
    });
    expect(r.stdout).toMatch(/runs as uid 65534 and is not root.*Fix: start the worker as root/s);
    expect(r.stdout).not.toContain('SWITCHED');
  });
});

describe('task log files', () => {
  it('builds per-try paths and refuses ones that would leave the log folder', () => {
    expect(taskLogRelativePath({ dagId: 'd', runId: 'manual__2024-01-01T00:00:00+00:00', taskId: 't' }, 2)).toBe(
      'dag_id=d/run_id=manual__2024-01-01T00:00:00+00:00/task_id=t/attempt=2.log',
    );
    expect(taskLogRelativePath({ dagId: 'd', runId: 'r', taskId: 't', mapIndex: 3 }, 1)).toBe('dag_id=d/run_id=r/task_id=t/map_index=3.attempt=1.log');
    expect(() => taskLogRelativePath({ dagId: 'd', runId: '../x', taskId: 't' }, 1)).toThrow(/run_id/);
    expect(() => resolveLogFile('/logs', '../etc/passwd')).toThrow(/not a relative path inside the log folder/);
    expect(resolveLogFile('/logs', 'dag_id=d/a.log')).toBe('/logs/dag_id=d/a.log');
  });

  it('writes timestamped lines and reads back a given try or the latest', async () => {
    const logFolder = join(dir, 'logs');
    const key = { dagId: 'd', runId: 'r1', taskId: 't' };
    for (const tryNumber of [1, 2]) {
      const w = await TaskLogWriter.open(resolveLogFile(logFolder, taskLogRelativePath(key, tryNumber)));
      w.line('stdout', `output of try ${tryNumber}`);
      await w.close();
    }
    expect(await listTaskLogTries({ logFolder, ...key })).toEqual([1, 2]);
    expect(await readTaskLog({ logFolder, ...key, tryNumber: 1 })).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \[stdout\] output of try 1\n$/);
    expect(await readTaskLog({ logFolder, ...key })).toContain('output of try 2');
    await expect(readTaskLog({ logFolder, ...key, tryNumber: 3 })).rejects.toThrow(/no log for dag d run r1 task t try 3/);
    await expect(readTaskLog({ logFolder, ...key, taskId: 'other' })).rejects.toThrow(/no task log for dag d run r1 task other/);
  });

  it("keeps a mapped task's instances in the task's folder, each with its own tries, and appends to a file an earlier attempt left", async () => {
    const logFolder = join(dir, 'logs-mapped');
    const task = { dagId: 'd', runId: 'r1', taskId: 'm' };
    const sizes: number[] = [];
    for (const [mapIndex, tryNumber] of [[0, 1], [1, 1], [1, 2], [10, 1]] as const) {
      const file = resolveLogFile(logFolder, taskLogRelativePath({ ...task, mapIndex }, tryNumber));
      const w = await TaskLogWriter.open(file);
      w.line('stdout', `item ${mapIndex} try ${tryNumber}`);
      await w.close();
    }
    // The same try opened again (an attempt that was requeued): its file is appended to, and a
    // sink hears the size it starts from.
    const again = resolveLogFile(logFolder, taskLogRelativePath({ ...task, mapIndex: 1 }, 2));
    const w = await TaskLogWriter.open(again, undefined, { appended: (_c, end) => sizes.push(end), closed: (n) => sizes.push(n) });
    w.line('stdout', 'second attempt');
    await w.close();
    expect((await readdir(join(logFolder, 'dag_id=d/run_id=r1/task_id=m'))).sort()).toEqual(
      ['map_index=0.attempt=1.log', 'map_index=1.attempt=1.log', 'map_index=1.attempt=2.log', 'map_index=10.attempt=1.log']);
    expect(await listTaskLogTries({ logFolder, ...task, mapIndex: 1 })).toEqual([1, 2]);
    expect(await listTaskLogTries({ logFolder, ...task, mapIndex: 10 })).toEqual([1]);
    expect(await listTaskLogTries({ logFolder, ...task })).toEqual([]);
    const text = await readTaskLog({ logFolder, ...task, mapIndex: 1 });
    expect(text).toMatch(/\[stdout\] item 1 try 2\n.*\[stdout\] second attempt\n$/s);
    expect(sizes.at(-1)).toBe(Buffer.byteLength(text));
    expect(sizes[0]).toBeGreaterThan(Buffer.byteLength('second attempt\n') + 30);
  });

  it('makes the folder again when log retention removed it after a try was written', async () => {
    const logFolder = join(dir, 'logs-removed');
    const key = { dagId: 'd', runId: 'r1', taskId: 't' };
    const first = await TaskLogWriter.open(resolveLogFile(logFolder, taskLogRelativePath(key, 1)));
    await first.close();
    await rm(join(logFolder, 'dag_id=d'), { recursive: true });
    const second = await TaskLogWriter.open(resolveLogFile(logFolder, taskLogRelativePath(key, 2)));
    second.line('stdout', 'after removal');
    await second.close();
    expect(await readTaskLog({ logFolder, ...key })).toContain('after removal');
  });
});

describe('DAG file cache', () => {
  const content = Buffer.from('export const x = 1;\n');
  const hash = createHash('sha256').update(content).digest('hex');

  it('fetches a file once by hash, stores it under <hash>/<fileloc> and links node_modules', async () => {
    let fetches = 0;
    const folder = join(dir, 'cache1');
    const cache = new DagFileCache({ folder, fetch: async () => (fetches++, { fileloc: 'a/b.ts', fileHash: hash, content }) });
    const [p1, p2] = await Promise.all([cache.path({ fileloc: 'a/b.ts', fileHash: hash }), cache.path({ fileloc: 'a/b.ts', fileHash: hash })]);
    expect(p1).toBe(join(folder, hash, 'a/b.ts'));
    expect(p2).toBe(p1);
    expect(await readFile(p1, 'utf8')).toBe(content.toString());
    expect(fetches).toBe(1);
    expect((await lstat(join(folder, 'node_modules'))).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(join(folder, 'package.json'), 'utf8'))).toMatchObject({ type: 'module' });
    // A new cache over the same folder (another worker process) finds the verified file on disk.
    const again = new DagFileCache({ folder, fetch: async () => { throw new Error('must not fetch'); } });
    expect(await again.path({ fileloc: 'a/b.ts', fileHash: hash })).toBe(p1);
  });

  it('replaces a cached file whose content does not match its hash', async () => {
    const folder = join(dir, 'cache2');
    await mkdir(join(folder, hash), { recursive: true });
    await writeFile(join(folder, hash, 'x.ts'), 'tampered');
    const cache = new DagFileCache({ folder, fetch: async () => ({ fileloc: 'x.ts', fileHash: hash, content }) });
    const p = await cache.path({ fileloc: 'x.ts', fileHash: hash });
    expect(await readFile(p, 'utf8')).toBe(content.toString());
  });

  it('refuses content that does not match the hash, and paths outside the cache', async () => {
    const cache = new DagFileCache({ folder: join(dir, 'cache3'), fetch: async () => ({ fileloc: 'x.ts', fileHash: hash, content: Buffer.from('other') }) });
    await expect(cache.path({ fileloc: 'x.ts', fileHash: hash })).rejects.toThrow(/refusing to run it/);
    await expect(async () => cache.path({ fileloc: '../../etc/x.ts', fileHash: hash })).rejects.toThrow(/not a relative path/);
    await expect(async () => cache.path({ fileloc: 'x.ts', fileHash: 'abc' })).rejects.toThrow(/not a sha256/);
  });
});
