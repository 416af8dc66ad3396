/**
 * Reads finished tries' logs from `logging.remote_base_log_folder` (S3) when their file is not in
 * this webserver's log folder. The credentials are the `logging.remote_log_conn_id` connection
 * (environment, then the database), re-read every CONNECTION_TTL_MS so an edited connection is
 * picked up without a restart.
 */
import { readConnections, S3LogStore, UpdraftError, type Queryable, type S3LogPage, type SecretsContext } from '@updraft/core';

const CONNECTION_TTL_MS = 60_000;

export interface RemoteLogReadOptions {
  /** `s3://bucket/prefix`. */
  baseFolder: string;
  /** The `aws` connection. Default 'aws_default'. */
  connId?: string;
}

export class RemoteLogReader {
  private store: S3LogStore | undefined;
  private readAt = 0;
  private readonly connId: string;

  constructor(private readonly o: RemoteLogReadOptions, private readonly db: Queryable, private readonly secrets: SecretsContext | undefined) {
    this.connId = o.connId ?? 'aws_default';
  }

  /** A page of a try's log from S3; null when it is not there. STORAGE_ERROR when S3 cannot be read. */
  async read(relativePath: string, offset: number, max: number): Promise<S3LogPage | null> {
    return (await this.currentStore()).read(relativePath, offset, max);
  }

  close(): void {
    this.store?.close();
  }

  private async currentStore(): Promise<S3LogStore> {
    if (this.store && Date.now() - this.readAt < CONNECTION_TTL_MS) return this.store;
    if (!this.secrets) throw new UpdraftError('STORAGE_ERROR', `remote logs: no secrets configuration to read connection '${this.connId}' with`);
    const connection = (await readConnections(this.db, this.secrets, [this.connId])).get(this.connId);
    if (!connection) throw new UpdraftError('STORAGE_ERROR', `remote logs: connection '${this.connId}' (logging.remote_log_conn_id) is not defined`);
    this.store?.close();
    this.store = S3LogStore.of(this.o.baseFolder, connection);
    this.readAt = Date.now();
    return this.store;
  }
}
