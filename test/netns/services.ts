/**
 * Servers and `updraft` processes on the hosts of a namespace topology (namespaces.ts).
 * PostgreSQL and nats-server listen on their host's bridge address on their usual ports (the host
 * has its own network stack, so 5432 and 4222 of the machine are untouched). The test process
 * itself is outside every namespace: it reads the database through PostgreSQL's Unix socket (a
 * file, not the network) and judges nats-server by its log.
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CLI_ENTRY, NATS_SERVER_BIN, PG_BIN, collectResult, type CliResult } from '../harness/index.js';
import { killGroup, registerLeftover, unregisterLeftover } from '../harness/cleanup.js';
import { sleep, spawnServer, tailOf, type StartedChild } from '../harness/child.js';
import { pgTemplateDir } from '../harness/postgres.js';
import { spawnUpdraft, type UpdraftProcess } from '../e2e/processes.js';
import { findProgram, type Topology } from './namespaces.js';

export const PG_PORT = 5432;
export const NATS_PORT = 4222;
export const GRPC_PORT = 50051;

export interface HostPostgres {
  /** `postgres://postgres@<host address>:5432/updraft`, for processes on the hosts. */
  url: string;
  /** A pool of this (outside) process over the Unix socket. */
  pool: pg.Pool;
  logFile: string;
  stop(): Promise<void>;
}

export interface HostNats {
  /** `nats://<host address>:4222` */
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

/** Minimal environment of processes on the hosts: nothing of the test process leaks in. */
export function baseEnv(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' };
}

async function stopServer(server: StartedChild, signal: NodeJS.Signals): Promise<void> {
  if (server.hasExited()) return;
  server.child.kill(signal);
  const timer = setTimeout(() => killGroup(server.child.pid ?? 0), 20_000);
  await server.exited;
  clearTimeout(timer);
  killGroup(server.child.pid ?? 0);
}

/**
 * PostgreSQL on host `key` (as the `postgres` user), listening on the host's address and on a Unix
 * socket in its own temp dir, with a database `updraft` (the scheduler migrates it).
 */
export async function startPostgresOn(topology: Topology, key: string, binDir: string): Promise<HostPostgres> {
  const host = topology.host(key);
  const setpriv = findProgram('setpriv');
  if (!setpriv) throw new Error('`setpriv` (util-linux) not found');
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  const template = await pgTemplateDir();
  // Its own temp dir (not under the test's 0700 dir): the postgres user must reach it.
  const base = mkdtempSync(join(tmpdir(), 'updraft-netns-pg-'));
  const leftover = registerLeftover({ dir: base });
  chownSync(base, uid, gid);
  const dataDir = join(base, 'data');
  execFileSync('cp', ['-a', template, dataDir]);
  // initdb's trust entries cover loopback only: let the hosts of the bridge in (and nothing else).
  appendFileSync(join(dataDir, 'pg_hba.conf'), `host all all ${topology.subnet} trust\n`);
  const logFile = join(base, 'server.log');
  const settings = { listen_addresses: host.address, fsync: 'off', full_page_writes: 'off', max_connections: '100' };
  const args = [setpriv, `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', join(PG_BIN, 'postgres'), '-D', dataDir, '-p', String(PG_PORT), '-k', base];
  for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
  const server = spawnServer(topology.launcher(key, binDir), args, { logFile, cwd: base, env: baseEnv(base) });
  leftover.pgid = server.child.pid;

  const socket = { host: base, port: PG_PORT, user: 'postgres' };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.hasExited()) throw new Error(`PostgreSQL on ${host.hostname} exited at start:\n${tailOf(logFile)}`);
    const client = new pg.Client({ ...socket, database: 'postgres', connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('CREATE DATABASE updraft');
      break;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL on ${host.hostname} not ready: ${(err as Error).message}\n${tailOf(logFile)}`);
      await sleep(100);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const pool = new pg.Pool({ ...socket, database: 'updraft', max: 3 });
  pool.on('error', () => undefined);
  return {
    url: `postgres://postgres@${host.address}:${PG_PORT}/updraft`,
    pool,
    logFile,
    async stop() {
      await pool.end().catch(() => undefined);
      await stopServer(server, 'SIGINT');
      unregisterLeftover(leftover);
      rmSync(base, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },
  };
}

/** nats-server with JetStream on host `key`, listening on the host's address. */
export async function startNatsOn(topology: Topology, key: string, dir: string, binDir: string): Promise<HostNats> {
  const host = topology.host(key);
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, 'nats-server.log');
  // A restart (same folder, same store) starts a fresh log: readiness is read from this start's lines.
  if (existsSync(logFile)) renameSync(logFile, join(dir, `nats-server.${Date.now()}.log`));
  const args = [NATS_SERVER_BIN, '-js', '-sd', join(dir, 'store'), '-a', host.address, '-p', String(NATS_PORT)];
  const server = spawnServer(topology.launcher(key, binDir), args, { logFile, cwd: dir, env: baseEnv(dir) });
  const leftover = registerLeftover({ pgid: server.child.pid });
  const deadline = Date.now() + 30_000;
  // JetStream is set up before the server says it is ready.
  while (!/Server is ready/.test(readLog(logFile))) {
    if (server.hasExited() || Date.now() > deadline) throw new Error(`nats-server on ${host.hostname} did not start:\n${tailOf(logFile)}`);
    await sleep(50);
  }
  return {
    url: `nats://${host.address}:${NATS_PORT}`,
    logFile,
    async stop() {
      await stopServer(server, 'SIGTERM');
      unregisterLeftover(leftover);
    },
  };
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export interface OnHostOptions {
  /** The process's whole UPDRAFT__* configuration (nothing else of the test process is passed). */
  env: Record<string, string>;
  /** Working directory (also HOME). */
  cwd: string;
  /** Where launcher scripts are written. */
  binDir: string;
}

/** A long-running `updraft ...args` process on host `key`, output in `logFile`. */
export function spawnUpdraftOn(topology: Topology, key: string, name: string, args: string[], logFile: string, o: OnHostOptions): UpdraftProcess {
  return spawnUpdraft(name, args, {
    env: { ...baseEnv(o.cwd), ...o.env },
    replaceEnv: true,
    logFile,
    cwd: o.cwd,
    // The "node binary" is a script that runs node inside the host.
    nodePath: topology.launcher(key, o.binDir, process.execPath),
  });
}

/** Runs `updraft ...args` on host `key` to its end. Never rejects on exit codes. */
export function runCliOn(topology: Topology, key: string, args: string[], o: OnHostOptions & { timeoutMs?: number }): Promise<CliResult> {
  const launcher = topology.launcher(key, o.binDir, process.execPath);
  const child = spawn(launcher, [CLI_ENTRY, ...args], { cwd: o.cwd, env: { ...baseEnv(o.cwd), ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return collectResult(child, o.timeoutMs);
}

/**
 * An nftables output filter in a host's namespace: it may open TCP connections only to `allowed`
 * (and loopback; replies of established connections pass). What a dedicated worker host needs.
 */
export function restrictOutbound(topology: Topology, key: string, allowed: ReadonlyArray<{ address: string; port: number }>): void {
  const bin = findProgram('nft');
  if (!bin) throw new Error('nft is needed to restrict a host\'s connections (Debian package nftables; .ci/run installs it)');
  const nft = (...args: string[]): string => topology.exec(key, [bin, ...args]);
  nft('add', 'table', 'inet', 'updraft_host');
  nft('add', 'chain', 'inet', 'updraft_host', 'out', '{ type filter hook output priority 0; policy drop; }');
  nft('add', 'rule', 'inet', 'updraft_host', 'out', 'oif', 'lo', 'accept');
  nft('add', 'rule', 'inet', 'updraft_host', 'out', 'ct', 'state', 'established,related', 'accept');
  for (const a of allowed) nft('add', 'rule', 'inet', 'updraft_host', 'out', 'ip', 'daddr', a.address, 'tcp', 'dport', String(a.port), 'accept');
}
