/**
 * DAG files cached by content hash: `<folder>/<sha256>/<fileloc>`, fetched from the scheduler
 * (FetchDagFile) the first time a task of that version runs. A task always runs against the exact
 * version its claim names: the hash is part of the path, and content is verified before use.
 *
 * DAG files import '@updraft/sdk' (and maybe other packages): the cache folder gets a
 * `node_modules` symlink to the worker's own node_modules and a `package.json` marking files as
 * ES modules, so a cache outside the repository resolves imports like the DAGs folder does.
 *
 * A task whose run recorded a DAG bundle version runs its DAG file from inside that version
 * (`<folder>/bundles/<version>/<fileloc>`, see bundle-cache.ts), so its relative imports resolve.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UpdraftError, type proto } from '@updraft/core';
import { BUNDLE_RECHECK_MS, BundleCache, type BundleCacheOptions } from './bundle-cache.js';

export interface DagFileCacheOptions {
  /** Cache folder (config `worker.dag_cache_folder`). */
  folder: string;
  /** Fetches a file by hash (the scheduler's FetchDagFile). */
  fetch: (fileHash: string) => Promise<proto.FetchDagFileResponse>;
  /** node_modules the cached files resolve imports from. Default: the worker's own. */
  nodeModules?: string;
  /** Fetches bundle versions (the scheduler's FetchBundle). Default: none (bundle versions are ignored, the DAG file runs alone). */
  fetchBundle?: BundleCacheOptions['fetch'];
  /** Bundle versions kept besides those in use (worker.bundle_cache_keep). Default 5. */
  keepBundles?: number;
}

/** A DAG file ready to import, and the end of its use. */
export interface OpenedDagFile {
  path: string;
  release: () => void;
}

export function sha256Hex(content: Uint8Array | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The node_modules directory holding @updraft/sdk, found upwards from this file. */
export function findWorkerNodeModules(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(join(candidate, '@updraft', 'sdk'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function assertHash(hash: string): string {
  if (!/^[0-9a-f]{64}$/.test(hash)) {
    throw new UpdraftError('INVALID_ARGUMENT', `DAG file hash ${JSON.stringify(hash)} is not a sha256 hex digest`);
  }
  return hash;
}

function assertFileloc(fileloc: string): string {
  const rel = normalize(fileloc);
  if (fileloc === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) {
    throw new UpdraftError('INVALID_ARGUMENT', `DAG fileloc ${JSON.stringify(fileloc)} is not a relative path inside the DAGs folder`);
  }
  return rel;
}

export class DagFileCache {
  readonly folder: string;
  private readonly fetchFile: DagFileCacheOptions['fetch'];
  private readonly nodeModules: string | undefined;
  /** Files verified (or written) by this process, and fetches in flight, by path. */
  private readonly ready = new Map<string, Promise<string>>();
  private initialized: Promise<void> | undefined;
  private readonly bundles: BundleCache | undefined;
  /** Files of bundle versions found on disk, and when (looked for again after BUNDLE_RECHECK_MS). */
  private readonly foundFiles = new Map<string, number>();

  constructor(opts: DagFileCacheOptions) {
    this.folder = resolve(opts.folder);
    this.fetchFile = opts.fetch;
    this.nodeModules = opts.nodeModules ?? findWorkerNodeModules();
    this.bundles = opts.fetchBundle && new BundleCache({ folder: join(this.folder, 'bundles'), fetch: opts.fetchBundle, keep: opts.keepBundles });
  }

  /**
   * The file to import for `ref`: inside its bundle version when the ref names one (held until
   * release(), so garbage collection leaves it alone), else the file cached by hash.
   */
  async open(ref: Pick<proto.DagFileRef, 'fileloc' | 'fileHash'> & { bundleVersion?: string }, log?: (line: string) => void): Promise<OpenedDagFile> {
    if (!ref.bundleVersion || this.bundles === undefined) return { path: await this.path(ref), release: () => undefined };
    const fileloc = assertFileloc(ref.fileloc);
    await this.init();
    const bundle = await this.bundles.acquire(ref.bundleVersion, log);
    const path = join(bundle.dir, fileloc);
    const foundAt = this.foundFiles.get(path);
    if (foundAt !== undefined && Date.now() - foundAt < BUNDLE_RECHECK_MS) return { path, release: bundle.release };
    if (!existsSync(path)) {
      bundle.release();
      throw new UpdraftError('WORKER_ERROR', `DAG bundle ${ref.bundleVersion} has no file ${ref.fileloc}`);
    }
    if (this.foundFiles.size >= 4096) this.foundFiles.clear();
    this.foundFiles.set(path, Date.now());
    return { path, release: bundle.release };
  }

  /**
   * Removes cached bundle versions beyond worker.bundle_cache_keep and the dependency installs none
   * of the rest uses (done after each use of a version too; this waits for it).
   */
  async collectBundles(): Promise<void> {
    await this.bundles?.collect();
  }

  /** The cache's package.json: a file every task process must be able to read. */
  get markerFile(): string {
    return join(this.folder, 'package.json');
  }

  /** Creates the folder, its package.json and node_modules link (idempotent). */
  init(): Promise<void> {
    this.initialized ??= this.prepare().catch((err: unknown) => {
      this.initialized = undefined;
      throw new UpdraftError(
        'WORKER_ERROR',
        `cannot prepare the DAG cache folder ${this.folder} (worker.dag_cache_folder): ${(err as Error).message}`,
        { cause: err },
      );
    });
    return this.initialized;
  }

  private async prepare(): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    await chmod(this.folder, 0o755);
    const pkg = this.markerFile;
    if (!existsSync(pkg)) await writeFile(pkg, '{ "type": "module", "private": true }\n', { mode: 0o644 });
    const link = join(this.folder, 'node_modules');
    if (this.nodeModules && !existsSync(link)) {
      await symlink(this.nodeModules, link, 'dir').catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
    }
  }

  /** mkdir -p with every level below the cache folder readable by run-as users, whatever the worker's umask. */
  private async mkdirReadable(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    for (let d = dir; d.startsWith(this.folder + sep); d = dirname(d)) await chmod(d, 0o755);
  }

  /** Absolute path of the cached file for `ref`, fetching and verifying it when needed. */
  path(ref: Pick<proto.DagFileRef, 'fileloc' | 'fileHash'>): Promise<string> {
    const hash = assertHash(ref.fileHash);
    const file = join(this.folder, hash, assertFileloc(ref.fileloc));
    let pending = this.ready.get(file);
    if (!pending) {
      pending = this.ensure(file, hash);
      this.ready.set(file, pending);
      pending.catch(() => this.ready.delete(file));
    }
    return pending;
  }

  private async ensure(file: string, hash: string): Promise<string> {
    await this.init();
    const existing = await readFile(file).catch(() => undefined);
    if (existing && sha256Hex(existing) === hash) return file;
    let res: proto.FetchDagFileResponse;
    try {
      res = await this.fetchFile(hash);
    } catch (err) {
      throw new UpdraftError('WORKER_ERROR', `cannot fetch DAG file ${hash} from the scheduler: ${(err as Error).message}`, { cause: err });
    }
    const actual = sha256Hex(res.content);
    if (actual !== hash) {
      throw new UpdraftError('WORKER_ERROR', `DAG file fetched for hash ${hash} has content hash ${actual}; refusing to run it`);
    }
    await this.mkdirReadable(dirname(file));
    // Write then rename: a concurrent reader sees the old file or the whole new one.
    const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await writeFile(tmp, res.content, { mode: 0o644 });
    await chmod(tmp, 0o644);
    await rename(tmp, file);
    return file;
  }
}
