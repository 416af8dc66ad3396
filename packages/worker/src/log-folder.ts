/**
 * The worker's task log folder (logging.base_log_folder): checked writable at start, and cleaned
 * of this host's task log files older than logging.retention_days (a minute after start, then daily).
 */
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deleteOldLogFiles, UpdraftError, type Logger } from '@updraft/core';

/** Refuses (WORKER_ERROR, with what to fix) a folder the worker cannot create or write. */
export async function checkLogFolder(folder: string): Promise<void> {
  const probe = join(folder, `.updraft-write-check-${process.pid}`);
  try {
    await mkdir(folder, { recursive: true });
    await writeFile(probe, 'ok\n');
    await unlink(probe);
  } catch (err) {
    throw new UpdraftError(
      'WORKER_ERROR',
      `worker cannot write its task log folder ${folder} (logging.base_log_folder): ${(err as Error).message}. ` +
        `Fix: create it and give the worker's user (uid ${process.geteuid?.() ?? '?'}) write access, or point logging.base_log_folder elsewhere.`,
      { cause: err },
    );
  }
}

export interface LogRetentionOptions {
  folder: string;
  retentionDays: number;
  logger: Logger;
}

/** Starts the retention passes; the returned function stops them. */
export function startLogRetention(o: LogRetentionOptions): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const pass = async (): Promise<void> => {
    const cutoff = new Date(Date.now() - o.retentionDays * 86_400_000);
    const r = await deleteOldLogFiles(o.folder, cutoff, 100_000);
    if (r.deleted > 0 || r.failed > 0) o.logger.info({ cutoff: cutoff.toISOString(), deleted: r.deleted, failed: r.failed }, 'log retention: old task log files deleted');
    if (!stopped) timer = setTimeout(() => void pass(), 86_400_000).unref();
  };
  timer = setTimeout(() => void pass(), 60_000).unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
