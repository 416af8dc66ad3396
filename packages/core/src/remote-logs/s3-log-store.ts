/**
 * Finished tries' logs in S3 (or an S3-compatible store): uploaded by the worker that ran the try,
 * read by the webserver when the file is not on its host, pruned by the scheduler's retention job.
 *
 * The credentials come from an `aws` connection (Airflow's fields): login = access key id,
 * password = secret access key, extra `region_name`, `endpoint_url` (an S3-compatible store; path
 * style addressing then, unless extra `force_path_style` is false). The AWS SDK is loaded on first
 * use only: components without remote logging never pay for its start-up.
 */
import { createReadStream } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { UpdraftError } from '../errors.js';
import { messageOf } from '../lib.js';
import { extraDejson, type Connection } from '../secrets/connection.js';
import { parseS3Url, s3LogKey, type S3Location } from './s3-location.js';

/** Objects one DeleteObjects call removes at most (S3's limit). */
const DELETE_BATCH = 1000;

export interface S3LogPage {
  data: Buffer;
  /** Byte offset after this page. */
  end: number;
}

const storageError = (what: string, err: unknown): UpdraftError =>
  err instanceof UpdraftError ? err : new UpdraftError('STORAGE_ERROR', `${what}: ${messageOf(err)}`, { cause: err });

const errorName = (err: unknown): string => (err as { name?: string; Code?: string })?.name ?? (err as { Code?: string })?.Code ?? '';

export class S3LogStore {
  private clientPromise: Promise<S3Client> | undefined;

  private constructor(readonly location: S3Location, private readonly connection: Connection) {}

  /** A store for `s3://bucket/prefix` with the credentials of `connection` (an `aws` connection). */
  static of(remoteBaseLogFolder: string, connection: Connection): S3LogStore {
    return new S3LogStore(parseS3Url(remoteBaseLogFolder), connection);
  }

  /** Where a try's log is (bucket and key), for messages and docs. */
  keyOf(relativePath: string): string {
    return s3LogKey(this.location, relativePath);
  }

  /** Uploads a finished try's log file (multipart when it is large). */
  async upload(relativePath: string, file: string): Promise<void> {
    const client = await this.client();
    const { Upload } = await import('@aws-sdk/lib-storage');
    const Key = this.keyOf(relativePath);
    try {
      await new Upload({ client, params: { Bucket: this.location.bucket, Key, Body: createReadStream(file), ContentType: 'text/plain; charset=utf-8' } }).done();
    } catch (err) {
      throw storageError(`uploading the log to s3://${this.location.bucket}/${Key} (connection '${this.connection.connId}')`, err);
    }
  }

  /** Up to `max` bytes of a log from byte `offset`; null when there is no such object. */
  async read(relativePath: string, offset: number, max: number): Promise<S3LogPage | null> {
    const client = await this.client();
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const Key = this.keyOf(relativePath);
    try {
      const res = await client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key, Range: `bytes=${offset}-${offset + max - 1}` }));
      const data = Buffer.from(await res.Body!.transformToByteArray());
      return { data, end: offset + data.length };
    } catch (err) {
      const name = errorName(err);
      if (name === 'NoSuchKey' || name === 'NotFound') return null;
      // Past the end of the object: nothing more from there.
      if (name === 'InvalidRange' || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 416) return { data: Buffer.alloc(0), end: offset };
      throw storageError(`reading s3://${this.location.bucket}/${Key} (connection '${this.connection.connId}')`, err);
    }
  }

  /**
   * Deletes the logs below the prefix last modified before `cutoff`, at most `limit` of them (the
   * next run goes on where this one stopped). Returns how many were deleted.
   */
  async deleteOlderThan(cutoff: Date, limit: number): Promise<number> {
    const client = await this.client();
    const { ListObjectsV2Command, DeleteObjectsCommand } = await import('@aws-sdk/client-s3');
    const Bucket = this.location.bucket;
    const Prefix = this.location.prefix === '' ? undefined : `${this.location.prefix}/`;
    let deleted = 0;
    let token: string | undefined;
    try {
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken: token }));
        const old = (page.Contents ?? [])
          .filter((o) => o.Key !== undefined && o.LastModified !== undefined && o.LastModified < cutoff)
          .slice(0, limit - deleted)
          .map((o) => ({ Key: o.Key! }));
        for (let i = 0; i < old.length; i += DELETE_BATCH) {
          const res = await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: old.slice(i, i + DELETE_BATCH), Quiet: true } }));
          const refused = res.Errors ?? [];
          if (refused.length > 0) throw new Error(`${refused.length} object(s) not deleted, first: ${refused[0]!.Key}: ${refused[0]!.Message}`);
          deleted += Math.min(DELETE_BATCH, old.length - i);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined && deleted < limit);
    } catch (err) {
      throw storageError(`deleting old logs in s3://${Bucket}/${Prefix ?? ''} (connection '${this.connection.connId}')`, err);
    }
    return deleted;
  }

  close(): void {
    void this.clientPromise?.then((c) => c.destroy(), () => undefined);
  }

  private client(): Promise<S3Client> {
    this.clientPromise ??= (async () => {
      const { S3Client } = await import('@aws-sdk/client-s3');
      const c = this.connection;
      const extra = extraDejson(c.extra);
      const endpoint = typeof extra.endpoint_url === 'string' && extra.endpoint_url !== '' ? extra.endpoint_url : undefined;
      const region = typeof extra.region_name === 'string' && extra.region_name !== '' ? extra.region_name : 'us-east-1';
      return new S3Client({
        region,
        ...(endpoint ? { endpoint, forcePathStyle: extra.force_path_style !== false } : {}),
        ...(c.login && c.password ? { credentials: { accessKeyId: c.login, secretAccessKey: c.password } } : {}),
        maxAttempts: 3,
      });
    })();
    return this.clientPromise;
  }
}
