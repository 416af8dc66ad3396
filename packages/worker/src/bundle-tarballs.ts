/**
 * `file:` tarballs of a bundle checked against the integrity package-lock.json pins for them,
 * before `npm ci`. npm itself would install the content its cache holds under that integrity
 * (the tarball the lockfile was made from) when the host installed it before, and fail with
 * EINTEGRITY on a host that did not: a tarball replaced without regenerating the lockfile would
 * run different code on different workers. Named here as the error it is instead.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
}

interface Lockfile {
  packages?: Record<string, LockEntry>;
  /** Lockfile v1. */
  dependencies?: Record<string, LockEntry>;
}

/** A local tarball the lockfile pins: where it is (relative to the bundle root) and its sha512 integrity. */
interface PinnedTarball {
  name: string;
  path: string;
  sha512: string;
}

function localTarball(spec: string | undefined): string | null {
  if (spec === undefined || !spec.startsWith('file:') || !/\.(tgz|tar\.gz|tar)$/.test(spec)) return null;
  const path = normalize(spec.slice('file:'.length));
  return isAbsolute(path) || path === '..' || path.startsWith(`..${sep}`) ? null : path;
}

function pinned(lock: Lockfile): PinnedTarball[] {
  const out: PinnedTarball[] = [];
  const entries: Array<[string, LockEntry]> = [
    ...Object.entries(lock.packages ?? {}).map(([k, e]): [string, LockEntry] => [k.replace(/^.*node_modules\//, ''), e]),
    ...Object.entries(lock.dependencies ?? {}).map(([k, e]): [string, LockEntry] => [k, { ...e, resolved: e.resolved ?? e.version }]),
  ];
  for (const [name, e] of entries) {
    const path = localTarball(e.resolved);
    const sha512 = e.integrity?.split(/\s+/).find((i) => i.startsWith('sha512-'))?.slice('sha512-'.length);
    if (path !== null && sha512 !== undefined) out.push({ name, path, sha512 });
  }
  return out;
}

/**
 * The first `file:` tarball under `root` whose content differs from the integrity package-lock.json
 * pins for it, as a message naming the package and the file; null when all match (or none is pinned).
 */
export async function mismatchedTarball(root: string): Promise<string | null> {
  let lock: Lockfile;
  try {
    lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as Lockfile;
  } catch {
    return null; // npm ci names an unreadable lockfile itself
  }
  for (const t of pinned(lock)) {
    const file = join(root, t.path);
    if (!existsSync(file)) continue; // npm ci names a missing file
    const actual = createHash('sha512').update(await readFile(file)).digest('base64');
    if (actual !== t.sha512) {
      return `package '${t.name}': the tarball ${t.path} is not the one package-lock.json was made with (integrity sha512-${actual}, the lockfile pins sha512-${t.sha512}); run npm install in the DAGs folder to update package-lock.json`;
    }
  }
  return null;
}
