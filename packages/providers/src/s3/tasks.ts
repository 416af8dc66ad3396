/**
 * The object-storage task types, one S3 call each on an `aws`/`s3` connection (see connection.ts):
 *
 *     s3.list(d, 'inbox', { connId: 'lake', bucket: 'raw', prefix: 'orders/{{ ds }}/' });   // XCom: the keys
 *     s3.copy(d, 'archive', { connId: 'lake', source: 's3://raw/orders/{{ ds }}.csv', dest: 's3://archive/orders/{{ ds }}.csv' });
 *     s3.delete(d, 'clean', { connId: 'lake', bucket: 'raw', prefix: 'tmp/{{ ds }}/' });      // XCom: how many
 *
 * Keys, prefixes and URLs are templates. A failed call fails the try with the service's words
 * (S3Error); the task's retries apply.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { MappedTaskContext, Params, Task, TaskArgs, TaskContext } from '@updraft/sdk';
import { S3Error } from '../errors.js';
import { assertOptionsObject, invalidOption, splitOptions, type TaskBuilder } from '../task-builder.js';
import { assertTemplateParses, renderForTask } from '../templating.js';
import { describeS3Error, openS3Client, s3Location } from './connection.js';

export interface S3ListOptions extends TaskArgs {
  connId: string;
  bucket: string;
  /** Only keys under this prefix (a template). */
  prefix?: string;
  /** Group keys at this character (e.g. '/'): only the first level is listed, folders end with it. */
  delimiter?: string;
  /** At most this many keys (default 1,000; the XCom size limit applies too). */
  maxKeys?: number;
}

export interface S3CopyOptions extends TaskArgs {
  connId: string;
  /** `s3://bucket/key` (a template), or a key with `sourceBucket`. */
  source: string;
  sourceBucket?: string;
  /** `s3://bucket/key` (a template), or a key with `destBucket`. */
  dest: string;
  destBucket?: string;
}

export interface S3DeleteOptions extends TaskArgs {
  connId: string;
  bucket: string;
  /** These keys (templates)... */
  keys?: string[];
  /** ...or every key under this prefix (a template; an empty prefix is refused). */
  prefix?: string;
}

function checker(type: string, taskId: string) {
  const bad = (message: string): never => {
    throw invalidOption(type, taskId, message);
  };
  return {
    bad,
    text(name: string, value: unknown, required: boolean): void {
      if (value === undefined && !required) return;
      if (typeof value !== 'string' || value.trim() === '') bad(`${name} must be a non-empty string`);
      assertTemplateParses(value as string, `${type} task '${taskId}' ${name}`);
    },
  };
}

async function withClient<T>(ctx: TaskContext, connId: string, what: string, call: (client: S3Client) => Promise<T>): Promise<T> {
  const client = await openS3Client(await ctx.connection(connId));
  try {
    return await call(client);
  } catch (err) {
    throw new S3Error(`${what} on connection '${connId}' failed: ${describeS3Error(err)}`, { cause: err });
  } finally {
    client.destroy();
  }
}

const S3_API = () => import('@aws-sdk/client-s3');

async function listKeys(client: S3Client, bucket: string, prefix: string | undefined, delimiter: string | undefined, max: number): Promise<string[]> {
  const { ListObjectsV2Command } = await S3_API();
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({
      Bucket: bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token, MaxKeys: Math.min(1000, max - keys.length),
    }));
    for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix !== undefined) keys.push(p.Prefix);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined && keys.length < max);
  return keys.slice(0, max);
}

function list<P extends Params>(d: TaskBuilder<P>, taskId: string, options: S3ListOptions): Task<string[]> {
  assertOptionsObject('s3.list', taskId, options);
  const { own, args } = splitOptions(options, ['connId', 'bucket', 'prefix', 'delimiter', 'maxKeys']);
  const c = checker('s3.list', taskId);
  c.text('connId', own.connId, true);
  c.text('bucket', own.bucket, true);
  if (own.prefix !== undefined && typeof own.prefix !== 'string') c.bad('prefix must be a string');
  if (own.prefix) assertTemplateParses(own.prefix, `s3.list task '${taskId}' prefix`);
  if (own.delimiter !== undefined && (typeof own.delimiter !== 'string' || own.delimiter === '')) c.bad('delimiter must be a non-empty string');
  if (own.maxKeys !== undefined && (!Number.isInteger(own.maxKeys) || own.maxKeys < 1)) c.bad('maxKeys must be a positive integer');
  const o = own as S3ListOptions;
  return d.fn(taskId, async (ctx: MappedTaskContext<unknown, P>) => {
    const r = await renderForTask(ctx as TaskContext, { bucket: o.bucket, prefix: o.prefix ?? '' });
    const keys = await withClient(ctx as TaskContext, o.connId, `listing s3://${r.bucket}/${r.prefix}`, (client) =>
      listKeys(client, r.bucket, r.prefix || undefined, o.delimiter, o.maxKeys ?? 1000));
    ctx.log(`s3://${r.bucket}/${r.prefix}: ${keys.length} ${keys.length === 1 ? 'key' : 'keys'}`);
    return keys;
  }, args as TaskArgs) as Task<string[]>;
}

function copy<P extends Params>(d: TaskBuilder<P>, taskId: string, options: S3CopyOptions): Task<null> {
  assertOptionsObject('s3.copy', taskId, options);
  const { own, args } = splitOptions(options, ['connId', 'source', 'sourceBucket', 'dest', 'destBucket']);
  const c = checker('s3.copy', taskId);
  for (const [name, required] of [['connId', true], ['source', true], ['dest', true], ['sourceBucket', false], ['destBucket', false]] as const) {
    c.text(name, own[name], required);
  }
  const o = own as S3CopyOptions;
  return d.fn(taskId, async (ctx: MappedTaskContext<unknown, P>) => {
    const r = await renderForTask(ctx as TaskContext, { source: o.source, dest: o.dest });
    const from = s3Location('source', r.source, o.sourceBucket);
    const to = s3Location('dest', r.dest, o.destBucket);
    const { CopyObjectCommand } = await S3_API();
    await withClient(ctx as TaskContext, o.connId, `copying s3://${from.bucket}/${from.key} to s3://${to.bucket}/${to.key}`, (client) =>
      client.send(new CopyObjectCommand({
        Bucket: to.bucket, Key: to.key, CopySource: `${from.bucket}/${from.key.split('/').map(encodeURIComponent).join('/')}`,
      })));
    ctx.log(`copied s3://${from.bucket}/${from.key} to s3://${to.bucket}/${to.key}`);
    return null;
  }, args as TaskArgs) as Task<null>;
}

function remove<P extends Params>(d: TaskBuilder<P>, taskId: string, options: S3DeleteOptions): Task<number> {
  assertOptionsObject('s3.delete', taskId, options);
  const { own, args } = splitOptions(options, ['connId', 'bucket', 'keys', 'prefix']);
  const c = checker('s3.delete', taskId);
  c.text('connId', own.connId, true);
  c.text('bucket', own.bucket, true);
  if ((own.keys === undefined) === (own.prefix === undefined)) c.bad('give either keys or prefix');
  if (own.keys !== undefined) {
    if (!Array.isArray(own.keys) || own.keys.length === 0) c.bad('keys must be a non-empty array of strings');
    own.keys!.forEach((k, i) => c.text(`keys[${i}]`, k, true));
  }
  c.text('prefix', own.prefix, false);
  const o = own as S3DeleteOptions;
  return d.fn(taskId, async (ctx: MappedTaskContext<unknown, P>) => {
    const t = ctx as TaskContext;
    const { bucket } = await renderForTask(t, { bucket: o.bucket });
    const { DeleteObjectsCommand } = await S3_API();
    return withClient(t, o.connId, `deleting from s3://${bucket}`, async (client) => {
      let keys: string[];
      if (o.keys !== undefined) {
        const rendered = await renderForTask(t, Object.fromEntries(o.keys.map((k, i) => [String(i), k])));
        keys = o.keys.map((_, i) => rendered[String(i)]!);
      } else {
        const { prefix } = await renderForTask(t, { prefix: o.prefix! });
        if (prefix === '') throw new Error('the prefix is empty once rendered: refusing to delete the whole bucket');
        keys = await listKeys(client, bucket, prefix, undefined, Number.MAX_SAFE_INTEGER);
      }
      let deleted = 0;
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        const r = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
        if ((r.Errors ?? []).length > 0) {
          const e = r.Errors![0]!;
          throw new Error(`${r.Errors!.length} of ${batch.length} keys not deleted; first: ${e.Key}: ${e.Code} ${e.Message}`);
        }
        deleted += batch.length;
      }
      ctx.log(`deleted ${deleted} ${deleted === 1 ? 'object' : 'objects'} from s3://${bucket}`);
      return deleted;
    });
  }, args as TaskArgs) as Task<number>;
}

/** S3 task types: `s3.list`, `s3.copy`, `s3.delete` (see the module comment). */
export const s3 = { list, copy, delete: remove };
