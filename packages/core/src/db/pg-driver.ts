/**
 * The pg driver, loaded on first use. Every package imports core, but worker processes never
 * talk to the database: they do not load the driver (a few MB of resident memory each).
 */
import { createRequire } from 'node:module';
import type pg from 'pg';

let driver: typeof pg | undefined;

export function pgDriver(): typeof pg {
  driver ??= createRequire(import.meta.url)('pg') as typeof pg;
  return driver;
}
