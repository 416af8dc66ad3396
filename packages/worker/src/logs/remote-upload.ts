/**
 * Uploads finished tries' logs to `logging.remote_base_log_folder` (S3), after the try's result is
 * reported: never on the path from one task's end to the next task's start.
 *
 * The worker holds no database credentials, so the `aws` connection is asked of the scheduler like
 * a task's ctx.connection(): with a running attempt's token (authorised only while it runs). It is
 * fetched while a try runs, at most once per CREDENTIALS_TTL_MS, and kept for the uploads after.
 * A failed upload is retried with backoff; one that keeps failing leaves the local file in place
 * (and the log stream still has every line).
 */
import { unlink } from 'node:fs/promises';
import { S3LogStore, messageOf, type Connection, type Logger } from '@updraft/core';

const CREDENTIALS_TTL_MS = 5 * 60_000;
const UPLOAD_TRIES = 4;

export interface RemoteLogOptions {
  /** `s3://bucket/prefix` (`logging.remote_base_log_folder`). */
  baseFolder: string;
  /** The `aws` connection with its credentials (`logging.remote_log_conn_id`). Default 'aws_default'. */
  connId?: string;
  /** Delete the local file once uploaded (and shipped) (`logging.delete_local_logs`). Default false. */
  deleteLocal?: boolean;
  /** First retry delay of a failed upload, doubled at each retry. Default 1000. */
  retryDelayMs?: number;
}

export interface FinishedLog {
  relativePath: string;
  file: string;
  /** Settles when the log is completely in the log stream (when it is shipped there). */
  shipped?: Promise<void>;
}

export class RemoteLogUploader {
  private store: S3LogStore | undefined;
  private fetchedAt = 0;
  private fetching: Promise<void> | undefined;
  private readonly pending = new Set<Promise<void>>();
  readonly connId: string;

  constructor(private readonly o: RemoteLogOptions, private readonly logger: Logger) {
    this.connId = o.connId ?? 'aws_default';
  }

  /**
   * Called while a try runs, with that try's way of asking the scheduler for a connection: fetches
   * the credentials when there are none yet or they are older than CREDENTIALS_TTL_MS. Never throws.
   */
  refresh(ask: (connId: string) => Promise<Connection>): void {
    if (this.fetching || Date.now() - this.fetchedAt < CREDENTIALS_TTL_MS) return;
    this.fetching = (async () => {
      try {
        const connection = await ask(this.connId);
        this.store?.close();
        this.store = S3LogStore.of(this.o.baseFolder, connection);
        this.fetchedAt = Date.now();
      } catch (err) {
        this.logger.warn({ connId: this.connId, err: messageOf(err) }, 'remote logs: the connection could not be read from the scheduler; logs stay local until it can');
      } finally {
        this.fetching = undefined;
      }
    })();
  }

  /** Uploads a finished try's log in the background. */
  upload(log: FinishedLog): void {
    const p = this.uploadWithRetries(log).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Uploads still under way. */
  get uploading(): number {
    return this.pending.size;
  }

  /** Waits up to `timeoutMs` for the uploads under way. */
  async close(timeoutMs: number): Promise<void> {
    if (this.pending.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(this.pending), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
      if (this.pending.size > 0) this.logger.warn({ uploads: this.pending.size }, 'worker stopping: some tries\' logs are not uploaded yet; they stay in the local files');
    }
    this.store?.close();
  }

  private async uploadWithRetries(log: FinishedLog): Promise<void> {
    await this.fetching;
    let delay = this.o.retryDelayMs ?? 1000;
    for (let i = 1; ; i++) {
      const store = this.store;
      try {
        if (!store) throw new Error(`no credentials: connection '${this.connId}' could not be read from the scheduler`);
        await store.upload(log.relativePath, log.file);
        break;
      } catch (err) {
        if (i >= UPLOAD_TRIES) {
          this.logger.error({ log: log.relativePath, err: messageOf(err) }, 'remote logs: upload failed; the log stays in the local file');
          return;
        }
        this.logger.warn({ log: log.relativePath, err: messageOf(err), retryInMs: delay }, 'remote logs: upload failed: retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay *= 2;
      }
    }
    if (this.o.deleteLocal) {
      await log.shipped;
      await unlink(log.file).catch((err: unknown) => this.logger.warn({ file: log.file, err: messageOf(err) }, 'remote logs: the uploaded local file could not be deleted'));
    }
  }
}
