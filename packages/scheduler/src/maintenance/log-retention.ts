/**
 * The daily log retention job of the leading scheduler (`logging.retention_days`): deletes task
 * log files older than the limit in this host's log folder, and objects older than the limit
 * below `logging.remote_base_log_folder` in S3 (listed by prefix, deleted in batches of 1,000,
 * at most REMOTE_LIMIT per run: a large backlog is worked off over the following days without one
 * long run). The log stream's retention is its own max age (the workers set it). Runs once soon
 * after the term starts, then every 24 hours.
 */
import { deleteOldLogFiles, readConnections, S3LogStore, UpdraftError, type Logger, type Queryable, type SecretsContext } from '@updraft/core';
import { runDaily } from './daily.js';

const DAY_MS = 86_400_000;
const LOCAL_LIMIT = 100_000;
const REMOTE_LIMIT = 100_000;
/** After a term starts: a minute, so a restart loop does not list the bucket each time. */
const FIRST_RUN_DELAY_MS = 60_000;

export interface LogRetentionOptions {
  db: Queryable;
  /** To read the `aws` connection of the remote folder (environment, then the database). */
  secrets: SecretsContext | undefined;
  /** `logging.base_log_folder` of this host. */
  logFolder: string;
  /** `logging.retention_days`. */
  retentionDays: number;
  /** `logging.remote_base_log_folder` and `logging.remote_log_conn_id`; undefined: no remote folder. */
  remoteLogs?: { baseFolder: string; connId: string };
  /** Default: the current time. */
  now?: Date;
}

export interface LogRetentionResult {
  cutoff: Date;
  localFiles: number;
  remoteObjects: number;
}

/** One pass of the job. STORAGE_ERROR when S3 cannot be listed or refuses deletes (local files are done first). */
export async function runLogRetention(o: LogRetentionOptions): Promise<LogRetentionResult> {
  const cutoff = new Date((o.now ?? new Date()).getTime() - o.retentionDays * DAY_MS);
  const local = await deleteOldLogFiles(o.logFolder, cutoff, LOCAL_LIMIT);
  let remoteObjects = 0;
  if (o.remoteLogs) {
    const { baseFolder, connId } = o.remoteLogs;
    if (!o.secrets) throw new UpdraftError('STORAGE_ERROR', `log retention: no secrets configuration to read connection '${connId}' with`);
    const connection = (await readConnections(o.db, o.secrets, [connId])).get(connId);
    if (!connection) throw new UpdraftError('STORAGE_ERROR', `log retention: connection '${connId}' (logging.remote_log_conn_id) is not defined`);
    const store = S3LogStore.of(baseFolder, connection);
    try {
      remoteObjects = await store.deleteOlderThan(cutoff, REMOTE_LIMIT);
    } finally {
      store.close();
    }
  }
  return { cutoff, localFiles: local.deleted, remoteObjects };
}

/** Runs runLogRetention daily until stopped; failures are logged and retried the next day. */
export function scheduleLogRetention(o: Omit<LogRetentionOptions, 'now'>, logger: Logger): { stop(): Promise<void> } {
  return runDaily('log retention', FIRST_RUN_DELAY_MS, async () => {
    const r = await runLogRetention(o);
    logger.info({ cutoff: r.cutoff.toISOString(), localFiles: r.localFiles, remoteObjects: r.remoteObjects }, 'log retention: old task logs deleted');
  }, logger);
}
