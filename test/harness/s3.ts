/**
 * A throwaway S3-compatible server (s3rver, from npm) on a free port of 127.0.0.1, storing its
 * objects in a temp folder, with its buckets created. Talk to it with the real AWS SDK:
 * `endpoint`, path-style addressing, credentials S3RVER / S3RVER (what s3rver accepts).
 */
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
