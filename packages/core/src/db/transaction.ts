import type pg from 'pg';
import { UpdraftError } from '../errors.js';
import { messageOf } from '../lib.js';
import { redactDatabaseUrl } from './url.js';

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

/** Options of {@link withTransaction}. */
export interface TransactionOptions {
  /** Default: the server's default (read committed). */
  isolation?: IsolationLevel;
}

/**
 * Runs `fn` inside BEGIN ... COMMIT on one connection of `pool`, and rolls back when `fn` throws.
 * Errors of `fn` are rethrown unchanged; failures of BEGIN/COMMIT become DB_ERROR.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await acquire(pool);
  // Set when the connection is in an unknown state; release() then destroys it.
  let destroy: Error | undefined;
  try {
    const begin = options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}` : 'BEGIN';
    try {
      await client.query(begin);
    } catch (err) {
      destroy = toError(err);
      throw new UpdraftError('DB_ERROR', `${begin} failed: ${destroy.message}`, { cause: err });
    }
    let result: T;
    try {
      result = await fn(client);
    } catch (err) {
      destroy = await rollback(client);
      throw err;
    }
    try {
      await client.query('COMMIT');
    } catch (err) {
      destroy = toError(err);
      throw new UpdraftError('DB_ERROR', `COMMIT failed: ${destroy.message}`, { cause: err });
    }
    return result;
  } finally {
    client.release(destroy);
  }
}

/** Checks a connection out of `pool`, as DB_ERROR when the database cannot be reached. */
export async function acquire(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (err) {
    const url = pool.options.connectionString;
    const where = url ? ` ${redactDatabaseUrl(url)}` : '';
    throw new UpdraftError('DB_ERROR', `cannot connect to the database${where}: ${messageOf(err)}`, { cause: err });
  }
}

/** Rolls back; returns the error when the rollback itself failed (the connection is then unusable). */
async function rollback(client: pg.PoolClient): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (err) {
    return toError(err);
  }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
