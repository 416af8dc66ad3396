/**
 * Throwaway PostgreSQL servers for tests: each in its own temp directory, on a free port on
 * 127.0.0.1, with durability switched off for speed. The data directory is copied from a
 * template made by initdb once per test run (initdb is the slow part).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { killGroup, registerLeftover, unregisterLeftover } from './cleanup.js';
import { sleep, spawnServer, tailOf, type StartedChild } from './child.js';
import { freePort } from './ports.js';

/** Where the PostgreSQL 15 server binaries are (Debian's `postgresql` package). */
export const PG_BIN = process.env.UPDRAFT_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';
/** Set by the global setup so every test process reuses one initdb'd template data dir. */
export const TEMPLATE_DIR_ENV = 'UPDRAFT_TEST_PG_TEMPLATE_DIR';

export interface StartPostgresOptions {
  /** Port on 127.0.0.1. Default: a free one. */
  port?: number;
  /** Extra server settings (`-c key=value`), e.g. `{ log_statement: 'all' }`. */
  settings?: Record<string, string>;
  /** How long to wait for the server to accept connections. Default 60000. */
  startTimeoutMs?: number;
}

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust auth, superuser). */
  url: string;
  port: number;
  /** Data directory (for inspection; the server owns it). */
  dataDir: string;
  /** Server log file. */
  logFile: string;
  /** URL of another database on this server. */
  urlFor(database: string): string;
  /**
   * Fast shutdown (SIGINT, waits for exit). Then removes the files unless `keepData`, in which
   * case `restart()` can start it again. Idempotent.
   */
  stop(options?: { keepData?: boolean }): Promise<void>;
  /** SIGKILL the server (postmaster and backends, as in a machine crash); data is kept. */
  kill(): Promise<void>;
  /** Starts again on the same port and data (after kill() or stop({keepData})); if running, stops it first. */
  restart(): Promise<void>;
}

/**
 * Durability off for speed (fsync, full_page_writes: only an OS crash would lose data).
 * synchronous_commit stays on so that kill() never loses a commit a test saw succeed (with fsync
 * off it costs one write() per commit); the shared server of the run, never killed, turns it off.
 */
const DEFAULT_SETTINGS: Record<string, string> = {
  listen_addresses: '127.0.0.1',
  fsync: 'off',
  full_page_writes: 'off',
  max_connections: '200',
};

/** Starts a throwaway PostgreSQL server and waits until it accepts connections. */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const template = await pgTemplateDir();
  const owner = serverOwner();
  const base = mkdtempSync(join(tmpdir(), 'updraft-pg-'));
  const leftover = registerLeftover({ dir: base });
  if (owner) chownSync(base, owner.uid, owner.gid);
  const dataDir = join(base, 'data');
  copyDir(template, dataDir);
  const logFile = join(base, 'server.log');
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const timeoutMs = options.startTimeoutMs ?? 60_000;

  let port = options.port ?? (await freePort());
  let server: StartedChild | undefined;
  /** Starts the server; `again` = a restart, which keeps the port and retries until the deadline. */
  const launch = async (again: boolean): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const args = ['-D', dataDir, '-p', String(port), '-k', base];
      for (const [key, value] of Object.entries(settings)) args.push('-c', `${key}=${value}`);
      const started = spawnServer(join(PG_BIN, 'postgres'), args, { logFile, cwd: base, ...owner });
      server = started;
      leftover.pgid = started.child.pid;
      if (await waitReady(urlOf(port, 'postgres'), started, deadline)) return;
      killGroup(started.child.pid ?? 0);
      leftover.pgid = undefined;
      if (Date.now() >= deadline) {
        throw new Error(`PostgreSQL on port ${port} did not start within ${timeoutMs} ms:\n${tailOf(logFile)}`);
      }
      if (!again) {
        // Someone may have taken the port between freePort() and bind: pick another one.
        if (options.port !== undefined || !/could not bind/i.test(tailOf(logFile, 5))) {
          throw new Error(`PostgreSQL exited at start:\n${tailOf(logFile)}`);
        }
        port = await freePort();
      }
      // After a kill the old backends may hold the shared memory a moment longer: try again.
      await sleep(100);
    }
  };
  await launch(false);

  let state: 'running' | 'stopped' | 'removed' = 'running';
  const shutdown = async (): Promise<void> => {
    const current = server;
    if (!current || current.hasExited()) return;
    current.child.kill('SIGINT');
    const timer = setTimeout(() => killGroup(current.child.pid ?? 0), 30_000);
    await current.exited;
    clearTimeout(timer);
    leftover.pgid = undefined;
  };

  const handle: PostgresServer = {
    get url() {
      return urlOf(port, 'postgres');
    },
    get port() {
      return port;
    },
    dataDir,
    logFile,
    urlFor: (database) => urlOf(port, database),
    async stop(stopOptions = {}) {
      if (state === 'removed') return;
      await shutdown();
      state = 'stopped';
      if (!stopOptions.keepData) {
        unregisterLeftover(leftover);
        rmSync(base, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
        state = 'removed';
      }
    },
    async kill() {
      const current = server;
      if (!current || current.hasExited()) return;
      killGroup(current.child.pid ?? 0);
      await current.exited;
      leftover.pgid = undefined;
      state = 'stopped';
    },
    async restart() {
      if (state === 'removed') throw new Error('restart(): this server was stopped and its data removed');
      await shutdown();
      await launch(true);
      state = 'running';
    },
  };
  return handle;
}

function urlOf(port: number, database: string): string {
  return `postgres://postgres@127.0.0.1:${port}/${database}`;
}

/** True once the server answers; false when it exited or the deadline passed. */
async function waitReady(url: string, server: StartedChild, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    if (server.hasExited()) return false;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      await sleep(50);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return false;
}

let templatePromise: Promise<string> | undefined;

/**
 * The initdb'd data directory new servers are copied from: the one named by
 * $UPDRAFT_TEST_PG_TEMPLATE_DIR (made by the global setup), else one made once per process.
 */
export async function pgTemplateDir(): Promise<string> {
  const shared = process.env[TEMPLATE_DIR_ENV];
  if (shared && existsSync(join(shared, 'PG_VERSION'))) return shared;
  templatePromise ??= Promise.resolve().then(initTemplate);
  return templatePromise;
}

function initTemplate(): string {
  const initdb = join(PG_BIN, 'initdb');
  if (!existsSync(initdb)) {
    throw new Error(`${initdb} not found: install Debian's postgresql package (.ci/run does) or set UPDRAFT_TEST_PG_BIN`);
  }
  const owner = serverOwner();
  const base = mkdtempSync(join(tmpdir(), 'updraft-pg-template-'));
  registerLeftover({ dir: base });
  if (owner) chownSync(base, owner.uid, owner.gid);
  const dir = join(base, 'data');
  const result = spawnSync(
    initdb,
    ['-D', dir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'],
    { encoding: 'utf8', cwd: base, ...owner },
  );
  if (result.status !== 0) {
    throw new Error(`initdb failed (${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
  }
  return dir;
}

let ownerCache: { uid: number; gid: number } | null | undefined;

/** As root the server must run as the `postgres` user (PostgreSQL refuses root); else as us. */
function serverOwner(): { uid: number; gid: number } | undefined {
  if (ownerCache !== undefined) return ownerCache ?? undefined;
  if (process.getuid?.() !== 0) {
    ownerCache = null;
    return undefined;
  }
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    ownerCache = { uid, gid };
    return ownerCache;
  } catch (err) {
    throw new Error('running as root but there is no `postgres` user: install Debian\'s postgresql package', {
      cause: err,
    });
  }
}

/** `cp -a`: keeps owner and modes (PostgreSQL insists on a 0700/0750 data dir owned by itself). */
function copyDir(from: string, to: string): void {
  const result = spawnSync('cp', ['-a', from, to], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cp -a ${from} ${to} failed: ${result.stderr}`);
}
