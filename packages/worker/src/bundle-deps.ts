/**
 * The npm dependencies of a DAG bundle that has a package-lock.json: installed with `npm ci`
 * (the worker's own npm settings and environment: registry, proxy, .npmrc) once per dependency
 * key into `<folder>/<key>/node_modules`, never into the worker's own node_modules. The key
 * hashes package.json, the lockfile and the content of every local file a `file:` dependency
 * points at (the files of a folder, or a tarball), so a bundle version that changes none of them
 * reuses the install, and a replaced tarball (same name, same lockfile) gets a new one. An install goes into a temporary
 * folder renamed into place when complete: concurrent installs of one key (two tasks, two
 * workers on a host) waste work at worst, never see half a tree. Installs no kept bundle version
 * links are removed (collect), but never one installed or reused in the last `keepRecentMs`: a
 * version being materialized (by this or another process of the host) may not link it yet.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join, normalize, resolve } from 'node:path';
import { UpdraftError } from '@updraft/core';
import { mismatchedTarball } from './bundle-tarballs.js';

/** One manifest entry (path relative to the bundle root, content hash). */
export interface DepsManifestEntry {
  path: string;
  hash: string;
}

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * `file:` dependencies of package.json (npm ci installs all three kinds): name -> the folder or
 * tarball they point at, relative to the bundle root.
 */
function fileDependencies(pkg: PackageJson): Map<string, string> {
  const out = new Map<string, string>();
  for (const deps of [pkg.devDependencies, pkg.optionalDependencies, pkg.dependencies]) {
    for (const [name, spec] of Object.entries(deps ?? {})) {
      if (typeof spec === 'string' && spec.startsWith('file:')) out.set(name, normalize(spec.slice('file:'.length)).replace(/\/+$/, ''));
    }
  }
  return out;
}

function failure(message: string, cause?: unknown): UpdraftError {
  return new UpdraftError('WORKER_ERROR', `dependency install failed: ${message}`, cause === undefined ? undefined : { cause });
}

/** The lines of npm's output that say what went wrong (`npm error ...`, without the log-file notes). */
function npmErrorOf(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter((l) => /^npm (error|ERR!)/.test(l))
    .map((l) => l.replace(/^npm (error|ERR!)\s*/, ''))
    .filter((l) => l !== '' && !/complete log of this run|A complete log|^\s*$/.test(l));
  return lines.slice(0, 6).join('; ') || output.trim().split('\n').slice(-3).join('; ');
}

export interface BundleDepsOptions {
  /** `<worker.dag_cache_folder>/deps`. */
  folder: string;
  /** The npm command (program and leading arguments). Default: npm of the Node.js running the worker, else `npm` on PATH. */
  npm?: readonly string[];
  /** collect() keeps installs made or reused in the last this many ms, linked or not. Default 600 000 (10 minutes). */
  keepRecentMs?: number;
}

const KEY = /^[0-9a-f]{64}$/;

/** npm as the Node.js running this process ships it (a worker started with a bare PATH still finds it). */
function defaultNpm(): readonly string[] {
  const cli = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  return existsSync(cli) ? [process.execPath, cli] : ['npm'];
}

export class BundleDeps {
  readonly folder: string;
  private readonly npm: readonly string[];
  private readonly pending = new Map<string, Promise<string>>();
  private readonly keepRecentMs: number;
  /** Installs collect() is removing: an ensure() of one of them waits, then installs anew. */
  private readonly removing = new Map<string, Promise<void>>();

  constructor(opts: BundleDepsOptions) {
    this.folder = resolve(opts.folder);
    this.npm = opts.npm ?? defaultNpm();
    this.keepRecentMs = opts.keepRecentMs ?? 600_000;
  }

  /** The key of an install from the target of a version's `node_modules` link, or null for another target. */
  keyOfLink(target: string): string | null {
    const key = basename(dirname(target));
    return resolve(dirname(dirname(target))) === this.folder && KEY.test(key) ? key : null;
  }

  /**
   * Removes the installs whose key is not in `used` (the keys linked by the bundle versions on this
   * host), never one being installed here or installed in the last keepRecentMs. Returns the keys removed.
   */
  async collect(used: ReadonlySet<string>, now = Date.now()): Promise<string[]> {
    const removed: string[] = [];
    for (const key of (await readdir(this.folder).catch(() => [] as string[])).filter((n) => KEY.test(n))) {
      if (used.has(key) || this.pending.has(key)) continue;
      const installed = (await stat(join(this.folder, key)).catch(() => undefined))?.mtimeMs;
      // Checked again after the await: an ensure() started meanwhile keeps it.
      if (installed === undefined || now - installed < this.keepRecentMs || this.pending.has(key)) continue;
      const removal = rm(join(this.folder, key), { recursive: true, force: true });
      this.removing.set(key, removal.catch(() => undefined));
      try {
        await removal;
      } finally {
        this.removing.delete(key);
      }
      removed.push(key);
    }
    return removed;
  }

  /** The dependency key of a bundle, or null when it has no package-lock.json at its root. */
  static keyOf(manifest: readonly DepsManifestEntry[], pkg: PackageJson): string | null {
    if (!manifest.some((f) => f.path === 'package-lock.json') || !manifest.some((f) => f.path === 'package.json')) return null;
    // A target is a folder (its files are under `target/`) or a file (a tarball: its own entry).
    const targets = [...fileDependencies(pkg).values()];
    const h = createHash('sha256');
    for (const f of manifest) {
      if (f.path === 'package.json' || f.path === 'package-lock.json' || targets.some((t) => f.path === t || f.path.startsWith(`${t}/`))) h.update(`${f.path}\0${f.hash}\n`);
    }
    return h.digest('hex');
  }

  /**
   * The node_modules folder of the bundle at `bundleDir` (materialized, with package.json and
   * package-lock.json), installing it when needed; `log` hears npm's output line by line.
   * Errors: WORKER_ERROR "dependency install failed: ..." naming the package when npm or the
   * check after it does.
   */
  async ensure(bundleDir: string, key: string, log: (line: string) => void): Promise<string> {
    let p = this.pending.get(key);
    if (!p) {
      p = this.install(bundleDir, key, log).finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  private async install(bundleDir: string, key: string, log: (line: string) => void): Promise<string> {
    await this.removing.get(key);
    const target = join(this.folder, key);
    const modules = join(target, 'node_modules');
    if (existsSync(modules)) {
      // Its mtime says when it was last used: collect() leaves a recently used install alone until it is linked.
      const now = new Date();
      await utimes(target, now, now).catch(() => undefined);
      return modules;
    }
    await mkdir(this.folder, { recursive: true });
    const pkg = JSON.parse(await readFile(join(bundleDir, 'package.json'), 'utf8')) as PackageJson;
    const tmp = join(this.folder, `.tmp-${key.slice(0, 12)}-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(tmp, { recursive: true });
      await cp(join(bundleDir, 'package.json'), join(tmp, 'package.json'));
      await cp(join(bundleDir, 'package-lock.json'), join(tmp, 'package-lock.json'));
      // file: dependencies (folders, tarballs) live in the bundle: copied along, so npm's links point inside the install.
      for (const target of fileDependencies(pkg).values()) {
        if (existsSync(join(bundleDir, target))) await cp(join(bundleDir, target), join(tmp, target), { recursive: true });
      }
      const mismatch = await mismatchedTarball(tmp);
      if (mismatch !== null) throw failure(mismatch);
      log(`installing the bundle's dependencies: npm ci (package-lock.json, key ${key.slice(0, 12)})`);
      await this.runNpm(tmp, log);
      this.checkInstalled(tmp, pkg);
      await writeFile(join(tmp, '.installed'), `${new Date().toISOString()}\n`);
      try {
        await rename(tmp, target);
      } catch (err) {
        if (!existsSync(modules)) throw err;
      }
      log('dependencies installed');
      return modules;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  private runNpm(cwd: string, log: (line: string) => void): Promise<void> {
    return new Promise<void>((resolveRun, reject) => {
      const [program, ...args] = this.npm;
      const child = spawn(program!, [...args, 'ci', '--no-audit', '--no-fund', '--no-update-notifier'], { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const hear = (chunk: Buffer): void => {
        const text = chunk.toString('utf8');
        output += text;
        if (output.length > 256 * 1024) output = output.slice(-128 * 1024);
        for (const line of text.split('\n')) if (line.trim() !== '') log(`npm: ${line}`);
      };
      child.stdout.on('data', hear);
      child.stderr.on('data', hear);
      child.on('error', (err) => reject(failure(`cannot run npm (${this.npm.join(' ')}): ${err.message}`, err)));
      child.on('close', (code, signal) => {
        if (code === 0) resolveRun();
        else reject(failure(`npm ci exited with ${signal ?? `code ${code}`}: ${npmErrorOf(output)}`));
      });
    });
  }

  /** npm ci may leave a `file:` dependency as a link to nothing: every dependency must resolve. */
  private checkInstalled(dir: string, pkg: PackageJson): void {
    const files = fileDependencies(pkg);
    for (const [name, spec] of Object.entries(pkg.dependencies ?? {})) {
      if (existsSync(join(dir, 'node_modules', name, 'package.json'))) continue;
      const folder = files.get(name);
      throw failure(folder !== undefined
        ? `package '${name}' (${spec}): ${folder} is not in the bundle (or is no package)`
        : `package '${name}' (${spec}) is not in node_modules after npm ci`);
    }
  }
}
