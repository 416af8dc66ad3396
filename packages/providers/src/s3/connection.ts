/**
 * S3 clients from an Updraft connection of conn_type `aws` or `s3` (Airflow's AWS connection
 * fields, as the remote task logs read them): login = access key id, password = secret access key,
 * extra `region_name` (default us-east-1) and, for an S3-compatible store, `endpoint_url` (path-style
 * addressing unless extra `force_path_style` is false). Without login and password the SDK's own
 * chain applies (environment, instance role). The SDK is loaded when a task first needs it, so
 * importing this package costs a DAG file nothing.
 */
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { TaskConnection } from '@updraft/sdk';
import { ConnectionTypeError } from '../errors.js';

export const S3_CONN_TYPES: readonly string[] = ['aws', 's3'];

/** The S3 client settings of `conn` (see the module comment). */
export function s3Config(conn: TaskConnection): S3ClientConfig {
  if (!S3_CONN_TYPES.includes(conn.connType.toLowerCase())) throw new ConnectionTypeError(conn.connId, conn.connType, S3_CONN_TYPES);
  const x = conn.extraDejson;
  const endpoint = typeof x.endpoint_url === 'string' && x.endpoint_url !== '' ? x.endpoint_url : undefined;
  const region = typeof x.region_name === 'string' && x.region_name !== '' ? x.region_name : 'us-east-1';
  return {
    region,
    ...(endpoint ? { endpoint, forcePathStyle: x.force_path_style !== false } : {}),
    ...(conn.login && conn.password ? { credentials: { accessKeyId: conn.login, secretAccessKey: conn.password } } : {}),
    maxAttempts: 3,
  };
}

/** A new S3 client for `conn`; the caller destroys it. */
export async function openS3Client(conn: TaskConnection): Promise<S3Client> {
  const config = s3Config(conn);
  const { S3Client: Client } = await import('@aws-sdk/client-s3');
  return new Client(config);
}

/** `s3://bucket/key` or a key with `bucket` given apart: the bucket and the key. */
export function s3Location(what: string, url: string, bucket?: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(url);
  if (m !== null) {
    if (bucket !== undefined && bucket !== m[1]) throw new Error(`${what} ${url} names bucket ${m[1]}, but the bucket given is ${bucket}`);
    return { bucket: m[1]!, key: m[2]! };
  }
  if (bucket === undefined || bucket === '') throw new Error(`${what} ${JSON.stringify(url)} is not an s3://bucket/key URL and no bucket is given`);
  return { bucket, key: url };
}

/** An S3 error's words: the service's code and message. */
export function describeS3Error(err: unknown): string {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message ?? String(err)}${status ? ` (HTTP ${status})` : ''}`;
}
