import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UpdraftError } from '../errors.js';

/** Extensions of DAG files. */
export const DAG_FILE_EXTENSIONS: readonly string[] = ['.ts', '.mts', '.js', '.mjs'];

function isDagFileName(name: string): boolean {
  return DAG_FILE_EXTENSIONS.includes(extname(name)) && !name.endsWith('.d.ts') && !name.endsWith('.d.mts');
}

function skipName(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/**
 * Absolute paths of the files under `root` whose name `accept` takes, sorted: dotfiles,
 * dot-directories and node_modules are skipped; symlinks are followed, each real directory once.
 */
export async function walkFiles(root: string, accept: (name: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  const visited = new Set<string>([await realpath(root)]);
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        if (skipName(entry.name)) return;
        const full = join(dir, entry.name);
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          const target = await stat(full).catch(() => undefined);
          if (target === undefined) return; // dangling link
          isDir = target.isDirectory();
          isFile = target.isFile();
          if (isDir) {
            const real = await realpath(full);
            if (visited.has(real)) return;
            visited.add(real);
          }
        }
        if (isDir) await walk(full);
        else if (isFile && accept(entry.name)) found.push(full);
      }),
    );
  };
  await walk(root);
  return found.sort();
}

/**
 * Absolute paths of the DAG files under `folder` (`**\/*.{ts,mts,js,mjs}`, not .d.ts), sorted;
 * dotfiles, dot-directories and node_modules are skipped; symlinks are followed once.
 * A missing folder is an error (never "no DAGs": that would deactivate every DAG).
 */
export async function listDagFiles(dagsFolder: string): Promise<string[]> {
  const folder = resolve(dagsFolder);
  let root: string;
  try {
    root = await realpath(folder);
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch (err) {
    throw new UpdraftError('INVALID_ARGUMENT', `DAGs folder ${dagsFolder} is not a readable directory (core.dags_folder)`, {
      cause: err,
    });
  }
  return walkFiles(root, isDagFileName);
}

export interface DagFileContent {
  path: string;
  /** Relative to the DAGs folder, with '/' separators. */
  fileloc: string;
  fileHash: string;
  source: Buffer;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Reads a DAG file (absolute path) and hashes it; `dagsFolder` gives its fileloc. */
export async function readDagFile(path: string, dagsFolder: string): Promise<DagFileContent> {
  const source = await readFile(path);
  return { path, fileloc: relative(resolve(dagsFolder), path).split(sep).join('/'), fileHash: sha256Hex(source), source };
}

/** `path` relative to `cwd` when it lies inside it, else absolute: how files are named in messages. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
