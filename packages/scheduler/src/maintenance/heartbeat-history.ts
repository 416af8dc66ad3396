/**
 * The leading scheduler's daily retention of the heartbeat history (worker_heartbeat_minute, the
 * monitor's heartbeat-gap charts): minutes older than HEARTBEAT_HISTORY_RETENTION_MS are deleted.
 * Always on (the charts read the last day; the table is small), independent of
 * database.clean_older_than_days. Runs ten minutes after the term starts, then every 24 hours.
 */
import { heartbeatGapsSql, type Logger, type Queryable } from '@updraft/core';
import { runDaily } from './daily.js';

/** Two days: the 24 h chart is always whole, and a day's rows are at most 1,440 per worker. */
export const HEARTBEAT_HISTORY_RETENTION_MS = 2 * 86_400_000;
const FIRST_RUN_DELAY_MS = 600_000;

export function scheduleHeartbeatHistoryRetention(db: Queryable, logger: Logger): { stop(): Promise<void> } {
  return runDaily('heartbeat history retention', FIRST_RUN_DELAY_MS, async () => {
    const rows = await heartbeatGapsSql.pruneHeartbeatGaps(db, HEARTBEAT_HISTORY_RETENTION_MS);
    if (rows > 0) logger.info({ rows }, 'heartbeat history: minutes older than two days deleted');
  }, logger);
}
