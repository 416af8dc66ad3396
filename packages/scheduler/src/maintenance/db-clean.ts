/**
 * The leading scheduler's daily `db clean` (database.clean_older_than_days > 0): every table, rows
 * older than the limit, in batches of 1,000 (one short statement each: scheduling goes on). Runs
 * an hour after the term starts, then every 24 hours; a failure is logged and tried the next day.
 */
import { cleanDatabase, tablesToClean, type Logger, type Queryable } from '@updraft/core';
import { runDaily } from './daily.js';

const DAY_MS = 86_400_000;
const FIRST_RUN_DELAY_MS = 3_600_000;
const BATCH = 1000;

export interface ScheduledCleanOptions {
  db: Queryable;
  /** database.clean_older_than_days (> 0). */
  olderThanDays: number;
}

/** One pass: what was deleted, per table. */
export async function runScheduledClean(o: ScheduledCleanOptions, now = new Date()): Promise<{ cutoff: Date; rows: number; byTable: Record<string, number> }> {
  const cutoff = new Date(now.getTime() - o.olderThanDays * DAY_MS);
  const cleaned = await cleanDatabase(o.db, tablesToClean(), cutoff, BATCH);
  return { cutoff, rows: cleaned.reduce((n, r) => n + r.rows, 0), byTable: Object.fromEntries(cleaned.map((r) => [r.table, r.rows])) };
}

export function scheduleDbClean(o: ScheduledCleanOptions, logger: Logger): { stop(): Promise<void> } {
  return runDaily('db clean', FIRST_RUN_DELAY_MS, async () => {
    const r = await runScheduledClean(o);
    logger.info({ cutoff: r.cutoff.toISOString(), rows: r.rows, tables: r.byTable }, 'db clean: old rows deleted (database.clean_older_than_days)');
  }, logger);
}
