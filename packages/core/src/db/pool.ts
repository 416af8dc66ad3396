import type pg from 'pg';
import { pgDriver } from './pg-driver.js';
import { UpdraftError } from '../errors.js';
import { redactDatabaseUrl } from './url.js';

/** Options of {@link createPool}. Only `url` is required. */
export interface PoolOptions {
  /** PostgreSQL URL, e.g. `postgres://user:pass@host:5432/updraft`. */
  url: string;
  /** Most connections the pool opens at once. Default 10. */
  max?: number;
  /** `application_name` shown in pg_stat_activity. Default `updraft`. */
  applicationName?: string;
  /** Idle connections are closed after this many ms. Default 30000. */
  idleTimeoutMs?: number;
  /** Acquiring a connection fails after this many ms (0 = wait forever). Default 30000. */
  connectionTimeoutMs?: number;
  /**
   * PostgreSQL's JIT compilation of plans. Default false: each connection runs `SET jit = off`
   * first. Updraft's statements are short; a plan whose estimated cost passes jit_above_cost
   * (100,000 by default, which the admission statement's generic plan passes with some thousands
   * of waiting task instances) was compiled on every execution, about 200 ms each time, for a
   * statement that runs in 1 ms.
   */
  jit?: boolean;
  /**
   * Called with errors of idle connections (e.g. the server restarted). Such errors must not
   * crash the process: the pool drops the broken connection and opens a new one when needed.
   * Default: one line on stderr.
   */
  onError?: (err: Error) => void;
}

export const POOL_DEFAULTS = {
  max: 10,
  applicationName: 'updraft',
  idleTimeoutMs: 30_000,
  connectionTimeoutMs: 30_000,
} as const;

/** A pg.Pool for `url`. Connections are opened lazily; the first query reveals a bad URL. */
export function createPool(options: PoolOptions): pg.Pool {
  if (!options.url) {
    throw new UpdraftError('DB_ERROR', 'createPool: database url is empty');
  }
  if (!isPostgresUrl(options.url)) {
    throw new UpdraftError(
      'DB_ERROR',
      `invalid database url ${redactDatabaseUrl(options.url)}: expected postgres://user:pass@host:port/database`,
    );
  }
  const onError = options.onError ?? defaultOnError(options.url);
  let pool: pg.Pool;
  try {
    pool = new (pgDriver().Pool)({
      connectionString: options.url,
      max: options.max ?? POOL_DEFAULTS.max,
      application_name: options.applicationName ?? POOL_DEFAULTS.applicationName,
      idleTimeoutMillis: options.idleTimeoutMs ?? POOL_DEFAULTS.idleTimeoutMs,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? POOL_DEFAULTS.connectionTimeoutMs,
      // pg-pool waits for this before it hands the new connection out (its typing says void).
      ...(options.jit === true ? {} : { onConnect: jitOff as (client: pg.ClientBase) => void }),
    });
  } catch (err) {
    throw new UpdraftError('DB_ERROR', `invalid database url ${redactDatabaseUrl(options.url)}`, { cause: err });
  }
  pool.on('error', onError);
  return pool;
}

/** Turns JIT off on a new connection; a server or pooler that refuses the setting keeps its own. */
async function jitOff(client: pg.ClientBase): Promise<void> {
  try {
    await client.query('SET jit = off');
  } catch {
    // e.g. a pooler that does not pass session settings on: the connection is still usable.
  }
}

function isPostgresUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'postgres:' || protocol === 'postgresql:';
  } catch {
    return false;
  }
}

function defaultOnError(url: string): (err: Error) => void {
  const where = redactDatabaseUrl(url);
  return (err) => {
    process.stderr.write(`updraft: idle database connection to ${where} failed: ${err.message}\n`);
  };
}
