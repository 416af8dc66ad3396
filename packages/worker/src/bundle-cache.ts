/**
 * DAG bundle versions materialized on this host: `<folder>/<version>/...`, fetched from the
 * scheduler (FetchBundle) the first time a task of that version runs. A version is written into a
 * temporary folder, every file's content checked against its hash and the manifest against the
 * version, then renamed into place: a folder named by a version is always that whole version.
 * Versions not in use are removed beyond the `keep` most recently used. A version with a
 * package-lock.json gets its dependencies (bundle-deps.ts) before it is renamed into place, and a
 * `node_modules` link to them: its modules resolve packages from there first, then from the cache
 * folder's node_modules (the worker's own, with @updraft/sdk). Collecting versions also removes
 * the dependency installs no remaining version links (one install can be hundreds of MB).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { bundleVersionOf, UpdraftError, type proto } from '@updraft/core';
import { BundleDeps } from './bundle-deps.js';

export interface BundleCacheOptions {
  /** Folder of the versions (`<worker.dag_cache_folder>/bundles`). */
  folder: string;
  /** The scheduler's FetchBundle. */
  fetch: (req: proto.FetchBundleRequest) => Promise<proto.FetchBundleResponse>;
  /** Versions kept besides those in use (worker.bundle_cache_keep). Default 5. */
  keep?: number;
  /** Where dependencies are installed. Default: `deps` beside `folder`. */
  depsFolder?: string;
}

export interface AcquiredBundle {
  /** The version's root folder. */
  dir: string;
  /** Ends this use (the version may then be garbage-collected). Idempotent. */
  release: () => void;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** A version used again and again has its mtime refreshed (and the cache collected) at most this often. */
const TOUCH_EVERY_MS = 60_000;
/**
 * A version found on disk is looked for again only after this long: task after task of one
 * version then costs no system call (another process of the host collects only versions that
 * were not used for a while, see collect()).
 */
export const BUNDLE_RECHECK_MS = 1000;

function assertRelative(path: string, version: string): string {
  const rel = normalize(path);
  if (path === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`) || rel.split(sep).includes('node_modules')) {
    throw new UpdraftError('WORKER_ERROR', `DAG bundle ${version} names the file ${JSON.stringify(path)}, which is not a plain relative path; refusing it`);
  }
  return rel;
}

export class BundleCache {
  readonly folder: string;
  private readonly fetch: BundleCacheOptions['fetch'];
  private readonly keep: number;
  /** Versions being materialized by this process. */
  private readonly pending = new Map<string, Promise<string>>();
  /** Uses in progress per version. */
  private readonly inUse = new Map<string, number>();
  /** When this process last found each version on disk (see BUNDLE_RECHECK_MS). */
  private readonly found = new Map<string, number>();
  private collecting: Promise<void> = Promise.resolve();
  /** The version whose mtime this process set last, and when. */
  private lastTouched: string | undefined;
  private lastTouchedAt = 0;
  private readonly deps: BundleDeps;

  constructor(opts: BundleCacheOptions) {
    this.folder = resolve(opts.folder);
    this.fetch = opts.fetch;
    this.keep = opts.keep ?? 5;
    this.deps = new BundleDeps({ folder: opts.depsFolder ?? join(dirname(this.folder), 'deps') });
  }

  /**
   * The folder of `version`, materialized when needed (with its dependencies), held until
   * release(). `log` hears the progress of a dependency install this call starts.
   */
  async acquire(version: string, log: (line: string) => void = () => undefined): Promise<AcquiredBundle> {
    if (!HEX64.test(version)) throw new UpdraftError('INVALID_ARGUMENT', `DAG bundle version ${JSON.stringify(version)} is not a sha256 hex digest`);
    this.inUse.set(version, (this.inUse.get(version) ?? 0) + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const n = (this.inUse.get(version) ?? 1) - 1;
      if (n <= 0) this.inUse.delete(version);
      else this.inUse.set(version, n);
    };
    try {
      const foundAt = this.found.get(version);
      let dir = join(this.folder, version);
      if (foundAt === undefined || Date.now() - foundAt >= BUNDLE_RECHECK_MS) {
        let p = this.pending.get(version);
        if (!p) {
          p = this.materialize(version, log).finally(() => this.pending.delete(version));
          this.pending.set(version, p);
        }
        dir = await p;
        this.found.set(version, Date.now());
      }
      if (version !== this.lastTouched || Date.now() - this.lastTouchedAt > TOUCH_EVERY_MS) {
        // Its mtime says when it was last used: what garbage collection keeps. Task after task of
        // the same version changes neither that order nor the set of versions, so neither the
        // touch nor a collection is repeated for each of them.
        this.lastTouched = version;
        this.lastTouchedAt = Date.now();
        const now = new Date();
        await utimes(dir, now, now).catch(() => undefined);
        void this.collect();
      }
      return { dir, release };
    } catch (err) {
      release();
      throw err;
    }
  }

  private async materialize(version: string, log: (line: string) => void): Promise<string> {
    const dir = join(this.folder, version);
    if (existsSync(dir)) return dir;
    await mkdir(this.folder, { recursive: true });
    await chmod(this.folder, 0o755);
    let manifest: proto.FetchBundleResponse;
    try {
      manifest = await this.fetch({ version, fileHashes: [] });
    } catch (err) {
      throw new UpdraftError('WORKER_ERROR', `cannot fetch DAG bundle ${version} from the scheduler: ${(err as Error).message}`, { cause: err });
    }
    const files = manifest.files.map((f) => ({ path: f.path, hash: f.fileHash, rel: assertRelative(f.path, version) }));
    const actual = bundleVersionOf(files);
    if (actual !== version) throw new UpdraftError('WORKER_ERROR', `manifest fetched for DAG bundle ${version} has version ${actual}; refusing to run it`);
    const tmp = join(this.folder, `.tmp-${version.slice(0, 12)}-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(tmp, { mode: 0o755 });
      await this.writeFiles(version, tmp, files);
      await this.linkDependencies(tmp, files, log);
      await chmod(tmp, 0o755);
      try {
        await rename(tmp, dir);
      } catch (err) {
        // Another process of this host materialized it first: theirs is the same version.
        if (!existsSync(dir)) throw err;
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return dir;
  }

  private async linkDependencies(root: string, files: Array<{ path: string; hash: string }>, log: (line: string) => void): Promise<void> {
    if (!files.some((f) => f.path === 'package-lock.json')) return;
    let pkg: Parameters<typeof BundleDeps.keyOf>[1];
    try {
      pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as typeof pkg;
    } catch (err) {
      throw new UpdraftError('WORKER_ERROR', `dependency install failed: the bundle's package.json is missing or not JSON: ${(err as Error).message}`, { cause: err });
    }
    const key = BundleDeps.keyOf(files, pkg);
    if (key === null) return;
    const modules = await this.deps.ensure(root, key, log);
    await symlink(modules, join(root, 'node_modules'), 'dir');
  }

  /** Fetches the contents (each distinct hash once, in batches the scheduler sizes), checks and writes them. */
  private async writeFiles(version: string, root: string, files: Array<{ hash: string; rel: string }>): Promise<void> {
    const byHash = new Map<string, string[]>();
    for (const f of files) {
      if (!HEX64.test(f.hash)) throw new UpdraftError('WORKER_ERROR', `DAG bundle ${version}: file ${f.rel} has no valid hash`);
      byHash.set(f.hash, [...(byHash.get(f.hash) ?? []), f.rel]);
    }
    let left = [...byHash.keys()];
    while (left.length > 0) {
      let res: proto.FetchBundleResponse;
      try {
        res = await this.fetch({ version, fileHashes: left });
      } catch (err) {
        throw new UpdraftError('WORKER_ERROR', `cannot fetch files of DAG bundle ${version} from the scheduler: ${(err as Error).message}`, { cause: err });
      }
      if (res.contents.length === 0) throw new UpdraftError('WORKER_ERROR', `the scheduler sent no file of DAG bundle ${version} when asked for ${left.length}`);
      const got = new Set<string>();
      for (const c of res.contents) {
        const paths = byHash.get(c.fileHash);
        if (paths === undefined) throw new UpdraftError('WORKER_ERROR', `the scheduler sent file hash ${c.fileHash}, which DAG bundle ${version} does not name`);
        const actual = createHash('sha256').update(c.content).digest('hex');
        if (actual !== c.fileHash) {
          throw new UpdraftError('WORKER_ERROR', `file ${paths[0]} of DAG bundle ${version} has content hash ${actual}, not ${c.fileHash}; refusing to run it`);
        }
        for (const rel of paths) {
          const file = join(root, rel);
          await mkdir(dirname(file), { recursive: true, mode: 0o755 });
          await writeFile(file, c.content, { mode: 0o644 });
        }
        got.add(c.fileHash);
      }
      left = left.filter((h) => !got.has(h));
    }
    // Whatever the umask, run-as users can read the version.
    const dirs = new Set(files.flatMap((f) => {
      const out: string[] = [];
      for (let d = dirname(join(root, f.rel)); d.startsWith(root + sep); d = dirname(d)) out.push(d);
      return out;
    }));
    await Promise.all([...dirs].map((d) => chmod(d, 0o755)));
    await Promise.all(files.map((f) => chmod(join(root, f.rel), 0o644)));
  }

  /**
   * Removes the versions beyond the `keep` most recently used, never one in use here, then the
   * dependency installs that no version folder left (nor one being materialized) links.
   */
  collect(): Promise<void> {
    this.collecting = this.collecting.then(async () => {
      const names = (await readdir(this.folder).catch(() => [] as string[])).filter((n) => HEX64.test(n));
      const aged = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(this.folder, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
      aged.sort((a, b) => b.t - a.t);
      for (const { n } of aged.slice(this.keep)) {
        if (this.inUse.has(n) || this.pending.has(n)) continue;
        this.found.delete(n);
        await rm(join(this.folder, n), { recursive: true, force: true }).catch(() => undefined);
      }
      // Versions (and `.tmp-` folders of versions being materialized, by any process of this host) name the installs they use.
      const used = new Set<string>();
      for (const n of await readdir(this.folder).catch(() => [] as string[])) {
        const target = await readlink(join(this.folder, n, 'node_modules')).catch(() => undefined);
        const key = target === undefined ? null : this.deps.keyOfLink(target);
        if (key !== null) used.add(key);
      }
      await this.deps.collect(used);
    }).catch(() => undefined);
    return this.collecting;
  }
}
