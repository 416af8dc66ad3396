/**
 * DAG bundles on disk: what a bundle holds (every file but node_modules and dot-entries), its
 * version (a hash of the sorted path/hash list), the size limit's error, and the worker's cache
 * refusing a version whose manifest or content does not match its hashes. The worker's cache gets
 * its files from a function standing in for FetchBundle (the e2e test uses the real call).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleVersionOf, readBundle, type proto } from '@updraft/core';
import { DagFileCache } from '@updraft/worker';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'updraft-bundle-'));
  await mkdir(join(dir, 'dags', 'lib'), { recursive: true });
  await mkdir(join(dir, 'dags', 'node_modules', 'x'), { recursive: true });
  await mkdir(join(dir, 'dags', '.git'), { recursive: true });
  await writeFile(join(dir, 'dags', 'a.ts'), "import './lib/b.js';\n");
  await writeFile(join(dir, 'dags', 'lib', 'b.ts'), 'export const b = 1;\n');
  await writeFile(join(dir, 'dags', 'data.csv'), 'x,y\n1,2\n');
  await writeFile(join(dir, 'dags', 'node_modules', 'x', 'index.js'), 'no');
  await writeFile(join(dir, 'dags', '.git', 'HEAD'), 'no');
  await writeFile(join(dir, 'dags', '.env'), 'no');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

describe('readBundle', () => {
  it('holds every file but node_modules and dot-entries, and is versioned by content', async () => {
    const b = await readBundle(join(dir, 'dags'));
    expect(b.files.map((f) => f.path)).toEqual(['a.ts', 'data.csv', 'lib/b.ts']);
    expect(b.version).toBe(bundleVersionOf(b.files.map((f) => ({ path: f.path, hash: f.hash }))));
    expect(b.files[2]!.hash).toBe(sha('export const b = 1;\n'));
    // A change anywhere is a new version; the same content again is the same version.
    await writeFile(join(dir, 'dags', 'lib', 'b.ts'), 'export const b = 2;\n');
    const changed = await readBundle(join(dir, 'dags'));
    expect(changed.version).not.toBe(b.version);
    await writeFile(join(dir, 'dags', 'lib', 'b.ts'), 'export const b = 1;\n');
    expect((await readBundle(join(dir, 'dags'))).version).toBe(b.version);
  });

  it('refuses a bundle over the size limit, naming the limit and the largest file', async () => {
    await writeFile(join(dir, 'dags', 'big.parquet'), Buffer.alloc(5000));
    await expect(readBundle(join(dir, 'dags'), 4096)).rejects.toThrow(/more than core\.dags_bundle_max_bytes \(4096\); largest files: big\.parquet \(5000 bytes\)/);
  });
});

describe('the worker\'s bundle cache', () => {
  async function served(tamper?: (r: proto.FetchBundleResponse) => void): Promise<{ cache: DagFileCache; version: string; calls: proto.FetchBundleRequest[] }> {
    const b = await readBundle(join(dir, 'dags'));
    const calls: proto.FetchBundleRequest[] = [];
    const byHash = new Map(b.files.map((f) => [f.hash, f.content]));
    const cache = new DagFileCache({
      folder: join(dir, 'cache'),
      fetch: () => Promise.reject(new Error('FetchDagFile is not used for bundles')),
      fetchBundle: async (req) => {
        calls.push(req);
        const r: proto.FetchBundleResponse = req.fileHashes.length === 0
          ? { version: req.version, files: b.files.map((f) => ({ path: f.path, fileHash: f.hash, size: f.size })), contents: [], maxResponseBytes: 10 }
          // One file per answer: the cache must ask again for the rest.
          : { version: req.version, files: [], contents: [{ fileHash: req.fileHashes[0]!, content: byHash.get(req.fileHashes[0]!)! }], maxResponseBytes: 10 };
        tamper?.(r);
        return r;
      },
    });
    return { cache, version: b.version, calls };
  }

  it('materializes the version once, in batches, and runs the file from inside it', async () => {
    const { cache, version, calls } = await served();
    const ref = { fileloc: 'a.ts', fileHash: sha("import './lib/b.js';\n"), bundleVersion: version };
    const opened = await cache.open(ref);
    expect(opened.path).toBe(join(dir, 'cache', 'bundles', version, 'a.ts'));
    expect(await readFile(join(dir, 'cache', 'bundles', version, 'lib', 'b.ts'), 'utf8')).toBe('export const b = 1;\n');
    expect(calls.map((c) => c.fileHashes.length)).toEqual([0, 3, 2, 1]);
    const again = await cache.open(ref);
    expect(again.path).toBe(opened.path);
    expect(calls).toHaveLength(4);
    opened.release();
    again.release();
  });

  it('looks for a version on disk again after a while: one another process removed is materialized again', async () => {
    const { cache, version, calls } = await served();
    const ref = { fileloc: 'a.ts', fileHash: sha("import './lib/b.js';\n"), bundleVersion: version };
    (await cache.open(ref)).release();
    expect(calls).toHaveLength(4);
    // Task after task of the version: nothing fetched, nothing looked for.
    (await cache.open(ref)).release();
    expect(calls).toHaveLength(4);
    await rm(join(dir, 'cache', 'bundles', version), { recursive: true });
    await new Promise((r) => setTimeout(r, 1100));
    const opened = await cache.open(ref);
    expect(calls).toHaveLength(8);
    expect(await readFile(opened.path, 'utf8')).toBe("import './lib/b.js';\n");
    opened.release();
  });

  it('refuses content whose hash differs, and leaves no version folder behind', async () => {
    const { cache, version } = await served((r) => {
      if (r.contents[0]) r.contents[0].content = Buffer.from('tampered');
    });
    await expect(cache.open({ fileloc: 'a.ts', fileHash: 'x', bundleVersion: version })).rejects.toThrow(/has content hash [0-9a-f]{64}, not [0-9a-f]{64}; refusing to run it/);
    expect(existsSync(join(dir, 'cache', 'bundles', version))).toBe(false);
  });

  it('refuses a manifest that is not the version asked for, or names a path outside the bundle', async () => {
    const wrong = await served((r) => r.files.pop());
    await expect(wrong.cache.open({ fileloc: 'a.ts', fileHash: 'x', bundleVersion: wrong.version })).rejects.toThrow(/has version [0-9a-f]{64}; refusing to run it/);
    const escaping = await served((r) => {
      if (r.files[0]) r.files[0].path = '../outside.ts';
    });
    await expect(escaping.cache.open({ fileloc: 'a.ts', fileHash: 'x', bundleVersion: escaping.version })).rejects.toThrow(/"\.\.\/outside\.ts", which is not a plain relative path/);
  });
});
