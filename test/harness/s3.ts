/**
 * A throwaway S3-compatible server (s3rver, from npm) on a free port of 127.0.0.1, storing its
 * objects in a temp folder, with its buckets created. Talk to it with the real AWS SDK:
 * `endpoint`, path-style addressing, credentials S3RVER / S3RVER (what s3rver accepts).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import S3rver from 's3rver';

export const S3_ACCESS_KEY = 'S3RVER';
export const S3_SECRET_KEY = 'S3RVER';

export interface S3Server {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  /** Where s3rver keeps the objects. */
  readonly directory: string;
  /** The `aws` connection for it, as JSON (UPDRAFT_CONN_<ID> or `connections add --conn-json`). */
  connectionJson(): string;
  /** Sets the modification time (what ListObjects reports as LastModified) of every object whose key starts with `keyPrefix`. */
  setObjectsDate(bucket: string, keyPrefix: string, date: Date): number;
  stop(): Promise<void>;
}

export async function startS3(o: { buckets: string[] }): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), 'updraft-s3-'));
  const server = new S3rver({
    address: '127.0.0.1', port: 0, silent: true, directory,
    configureBuckets: o.buckets.map((name) => ({ name, configs: [] })),
  });
  makePutsAtomic((server as unknown as { store: FilesystemStore }).store);
  const address = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    directory,
    connectionJson: () => JSON.stringify({
      conn_type: 'aws', login: S3_ACCESS_KEY, password: S3_SECRET_KEY, extra: { endpoint_url: endpoint, region_name: 'us-east-1' },
    }),
    setObjectsDate(bucket, keyPrefix, date) {
      // s3rver keeps an object as `<bucket>/<key>._S3rver_object` (plus metadata files beside it).
      let n = 0;
      const walk = (dir: string, rel: string): void => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          const key = rel === '' ? name : `${rel}/${name}`;
          if (statSync(path).isDirectory()) walk(path, key);
          else if (key.startsWith(keyPrefix) && name.endsWith('._S3rver_object')) {
            utimesSync(path, date, date);
            n += 1;
          }
        }
      };
      walk(join(directory, bucket), '');
      return n;
    },
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The part of s3rver's file store that `makePutsAtomic` uses. */
interface FilesystemStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObject(object: { bucket: string; key: string; content: Buffer | Readable; metadata: Record<string, string> }): Promise<{ size: number; md5: string }>;
}

/**
 * s3rver writes an object in place and answers the PUT when the bytes have gone through its
 * hashing stream, not when they are on disk; a GET meanwhile (or right after the PUT) serves what
 * the file holds so far: an empty or short object. S3 itself never shows a partial object, so the
 * harness's server does not either: the bytes go to a temp file renamed over the object
 * (multipart uploads end in the same call).
 */
function makePutsAtomic(store: FilesystemStore): void {
  let seq = 0;
  store.putObject = async (object) => {
    const content = Buffer.isBuffer(object.content) ? object.content : await buffer(object.content);
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    // Not ending in `._S3rver_object`: never listed as an object.
    const temp = `${objectPath}.${seq++}.partial`;
    await writeFile(temp, content);
    await rename(temp, objectPath);
    const md5 = createHash('md5').update(content).digest('hex');
    await store.putMetadata(object.bucket, object.key, object.metadata, md5);
    return { size: content.length, md5 };
  };
}
