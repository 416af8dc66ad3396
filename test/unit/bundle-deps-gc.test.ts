/**
 * The worker's bundle cache collects dependency installs too: an install (`deps/<key>`) that no
 * cached bundle version links any more is removed with the versions, unless it was installed or
 * reused recently (a version being materialized may not link it yet); the install of a version in
 * use stays. Installs are laid out by hand (no npm run): the cache reuses an install it finds.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readlink, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBundle, type proto } from '@updraft/core';
import { BundleDeps, DagFileCache } from '@updraft/worker';

let dir: string;
const DAY_AGO = new Date(Date.now() - 86_400_000);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'updraft-deps-gc-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Stored { version: string; key: string; byHash: Map<string, Buffer>; files: proto.FetchBundleResponse['files'] }

/** A bundle whose lockfile says `lock`, read from disk; its install is laid out under deps/<key>. */
async function bundle(name: string, lock: string): Promise<Stored> {
  const root = join(dir, name);
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'a.ts'), `export const name = '${name}';\n`);
  await writeFile(join(root, 'package.json'), '{"name":"dags","dependencies":{"left-pad":"1.3.0"}}');
  await writeFile(join(root, 'package-lock.json'), lock);
  const b = await readBundle(root);
  const key = BundleDeps.keyOf(b.files, JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Parameters<typeof BundleDeps.keyOf>[1])!;
  return { version: b.version, key, byHash: new Map(b.files.map((f) => [f.hash, f.content])), files: b.files.map((f) => ({ path: f.path, fileHash: f.hash, size: f.size })) };
}

const depsDir = (key: string): string => join(dir, 'cache', 'deps', key);

async function install(key: string, at: Date): Promise<void> {
  await mkdir(join(depsDir(key), 'node_modules', 'left-pad'), { recursive: true });
  await writeFile(join(depsDir(key), 'node_modules', 'left-pad', 'package.json'), '{"name":"left-pad","version":"1.3.0"}');
  await utimes(depsDir(key), at, at);
}

describe('the worker\'s bundle cache and dependency installs', () => {
  it('removes the installs no cached version links once they are not recent, keeps those of versions in use', async () => {
    const v1 = await bundle('v1', '{"lockfileVersion":3,"name":"one"}');
    const v2 = await bundle('v2', '{"lockfileVersion":3,"name":"two"}');
    expect(v1.key).not.toBe(v2.key);
    const stored = new Map([[v1.version, v1], [v2.version, v2]]);
    const cache = new DagFileCache({
      folder: join(dir, 'cache'),
      keepBundles: 0,
      fetch: () => Promise.reject(new Error('FetchDagFile is not used for bundles')),
      fetchBundle: async (req) => {
        const s = stored.get(req.version)!;
        return req.fileHashes.length === 0
          ? { version: req.version, files: s.files, contents: [], maxResponseBytes: 1 << 20 }
          : { version: req.version, files: [], contents: req.fileHashes.map((h) => ({ fileHash: h, content: s.byHash.get(h)! })), maxResponseBytes: 1 << 20 };
      },
    });

    await install(v1.key, DAY_AGO);
    const opened1 = await cache.open({ fileloc: 'a.ts', fileHash: 'x', bundleVersion: v1.version });
    expect(await readlink(join(dir, 'cache', 'bundles', v1.version, 'node_modules'))).toBe(join(depsDir(v1.key), 'node_modules'));
    await cache.collectBundles();

    const orphanOld = 'a'.repeat(64);
    const orphanRecent = 'b'.repeat(64);
    await install(v2.key, DAY_AGO);
    await install(orphanOld, DAY_AGO);
    await install(orphanRecent, new Date());
    const opened2 = await cache.open({ fileloc: 'a.ts', fileHash: 'x', bundleVersion: v2.version });
    await cache.collectBundles();
    // Nothing links the old orphan: gone. The recent one may be about to be linked: kept.
    expect(existsSync(depsDir(orphanOld))).toBe(false);
    expect(existsSync(depsDir(orphanRecent))).toBe(true);
    expect(existsSync(depsDir(v1.key))).toBe(true);
    expect(existsSync(depsDir(v2.key))).toBe(true);

    // v1 released: its folder goes (keep 0); its install was reused a moment ago, so it stays for now.
    opened1.release();
    await cache.collectBundles();
    expect(existsSync(join(dir, 'cache', 'bundles', v1.version))).toBe(false);
    expect(existsSync(depsDir(v1.key))).toBe(true);

    // A day later: the unlinked install goes; the one v2 (in use) links stays, whatever its age.
    await utimes(depsDir(v1.key), DAY_AGO, DAY_AGO);
    await utimes(depsDir(v2.key), DAY_AGO, DAY_AGO);
    await cache.collectBundles();
    expect(existsSync(depsDir(v1.key))).toBe(false);
    expect(existsSync(depsDir(v2.key))).toBe(true);
    expect(existsSync(depsDir(orphanRecent))).toBe(true);
    expect(await readFile(join(dir, 'cache', 'bundles', v2.version, 'node_modules', 'left-pad', 'package.json'), 'utf8')).toContain('left-pad');
    opened2.release();
  });
});
