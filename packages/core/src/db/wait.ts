import { pgDriver } from './pg-driver.js';
import { UpdraftError } from '../errors.js';
import { messageOf, sleep } from '../lib.js';
import type { Queryable } from './types.js';
import { redactDatabaseUrl } from './url.js';

/**
 * Resolves once the database at `url` accepts a connection and answers `SELECT 1`; retries with
 * exponential backoff (100 ms doubling up to 2 s) until `timeoutMs`, then throws DB_ERROR with
 * the last failure as cause. For component start-up only, never a hot path.
 */
export async function waitForDatabase(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const client = new (pgDriver().Client)({ connectionString: url, connectionTimeoutMillis: Math.max(1000, Math.min(10_000, timeoutMs)) });
    // A connection that fails later must not crash the process through an unhandled 'error'.
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (err) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new UpdraftError(
          'DB_ERROR',
          `database ${redactDatabaseUrl(url)} not reachable after ${attempts} attempts in ${timeoutMs} ms: ${messageOf(err)}`,
          { cause: err },
        );
      }
      await sleep(Math.min(delay, left));
      delay = Math.min(delay * 2, 2000);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** Asks the database for `SELECT 1` (health checks); throws DB_ERROR when it does not answer. */
export async function pingDatabase(db: Queryable): Promise<void> {
  try {
    await db.query('SELECT 1');
  } catch (err) {
    throw new UpdraftError('DB_ERROR', `the database does not answer: ${messageOf(err)}`, { cause: err });
  }
}
