/**
 * The DAGs folder as a bundle: every file under it (DAG files, the local modules they import at
 * any depth, data files, an optional package.json and lockfile), except node_modules and
 * dot-files/dot-folders. Its version is the sha256 over the sorted (path, file hash) list, so the
 * same content gives the same version on every host, and any change gives a new one.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { UpdraftError } from '../errors.js';
import { walkFiles } from './discover.js';

/** Default bundle size limit (core.dags_bundle_max_bytes): 50 MiB. */
export const DEFAULT_BUNDLE_MAX_BYTES = 50 * 1024 * 1024;

export interface BundleManifestEntry {
  /** Relative to the bundle root, '/' separators. */
  path: string;
  /** sha256 of the content, hex. */
  hash: string;
  size: number;
}

export interface BundleFile extends BundleManifestEntry {
  /** Absolute path on this host. */
  absPath: string;
  content: Buffer;
}

export interface Bundle {
  version: string;
  /** Sorted by path. */
  files: BundleFile[];
  totalBytes: number;
}

/** The version of a manifest: sha256 over "path\0hash\n" lines in path order. */
export function bundleVersionOf(entries: readonly Pick<BundleManifestEntry, 'path' | 'hash'>[]): string {
  const h = createHash('sha256');
  for (const e of [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) h.update(`${e.path}\0${e.hash}\n`);
  return h.digest('hex');
}

/** Absolute paths of every bundle file under `folder` (symlinks followed once), sorted. */
export async function listBundleFiles(folder: string): Promise<string[]> {
  return walkFiles(resolve(folder), () => true);
}

/**
 * Reads and hashes the bundle of `folder`. A bundle larger than `maxBytes` is an error naming the
 * limit, the size and the largest files (so a stray data file is easy to find).
 */
export async function readBundle(folder: string, maxBytes: number = DEFAULT_BUNDLE_MAX_BYTES): Promise<Bundle> {
  const base = resolve(folder);
  const paths = await listBundleFiles(base);
  const sizes = await Promise.all(paths.map(async (p) => (await stat(p)).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total > maxBytes) {
    const largest = paths.map((p, i) => ({ p, size: sizes[i]! })).sort((a, b) => b.size - a.size).slice(0, 3)
      .map((f) => `${relative(base, f.p).split(sep).join('/')} (${f.size} bytes)`);
    throw new UpdraftError('INVALID_ARGUMENT',
      `DAG bundle ${folder} holds ${total} bytes, more than core.dags_bundle_max_bytes (${maxBytes}); largest files: ${largest.join(', ')}. ` +
      'Move data files out of the DAGs folder (or into a dot-folder or node_modules, which are not part of the bundle), or raise the limit');
  }
  const files = await Promise.all(paths.map(async (absPath): Promise<BundleFile> => {
    const content = await readFile(absPath);
    return { absPath, path: relative(base, absPath).split(sep).join('/'), hash: createHash('sha256').update(content).digest('hex'), size: content.length, content };
  }));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { version: bundleVersionOf(files), files, totalBytes: files.reduce((n, f) => n + f.size, 0) };
}
