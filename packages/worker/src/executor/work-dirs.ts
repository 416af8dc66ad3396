/**
 * Fresh working directories for tasks: every task gets its own empty directory, owned by its
 * run-as user (as Airflow's BashOperator runs in a temporary directory).
 *
 * Creating and removing directories is slow on some disks (a journaled mkdir or rmdir can take a
 * millisecond and holds the parent directory's lock), so neither sits on the task hot path: a few
 * directories per identity are made ahead of time, and a task's directory is dealt with after its
 * result. A directory the task left empty (and private: mode 0700, its owner unchanged) is kept
 * for a later task of the same identity: reading it costs less than removing and making it again.
 * Any other is removed. They live in one folder per worker process,
 * `<root>/updraft-work-<pid>-<random>`, removed on close; folders left by processes that died
 * (kill -9) are removed when the next one starts.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { identityKey, type TaskIdentity } from '../identity.js';
import { SharedTimer } from '../shared-timer.js';
import type { Logger } from '@updraft/core';

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Directories kept ready per identity. */
const SPARES = 4;
/** At most this many idle directories per identity (more are removed). */
const MAX_IDLE = 32;
/** How long after its mtime a directory found empty has an mtime any later change moves (see keepIfEmpty). */
const SETTLED_NS = 2_000_000_000n;

export class WorkDirs {
  private readonly base: string;
  private baseReady: Promise<void> | undefined;
  private seq = 0;
  private readonly spares = new Map<string, Array<Promise<string>>>();
  private readonly removals = new Set<Promise<void>>();
  /** Directories found empty, with their mtime then (nanoseconds), when that mtime can be trusted. */
  private readonly emptyAt = new Map<string, bigint>();
  /** Releases waiting for their turn (see release). */
  private readonly releasing = new SharedTimer<() => void>(0, (go) => go());
  private closed = false;

  constructor(
    private readonly root: string,
    private readonly logger: Logger,
  ) {
    this.base = join(root, `updraft-work-${process.pid}-${randomBytes(3).toString('hex')}`);
  }

  /** Removes work folders of worker processes that no longer exist. */
  private async removeLeftovers(): Promise<void> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    for (const name of names) {
      const pid = Number(/^updraft-work-(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
      if (!pid || pid === process.pid || processExists(pid)) continue;
      await rm(join(this.root, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** An empty directory for one task run as `identity`. */
  async take(identity: TaskIdentity): Promise<string> {
    const list = this.sparesOf(identity);
    const next = list.shift() ?? this.make(identity);
    while (list.length < SPARES) {
      const spare = this.make(identity);
      spare.catch(() => undefined); // reported when taken
      list.push(spare);
    }
    return next;
  }

  /**
   * Keeps a task's directory for a later task if it is empty, else removes it. Neither the task's
   * result nor its report waits for it: the checks run on the next turn of the timers, after the
   * report left (reading the directory costs five system calls, on the path from one task's end
   * to the next one's start otherwise).
   */
  release(dir: string, identity: TaskIdentity): void {
    const p = new Promise<void>((resolve) => this.releasing.add(resolve))
      .then(() => this.keepIfEmpty(dir, identity))
      .then((kept) => {
        // rmdir first: most tasks leave their directory empty, and rm -r costs many more syscalls.
        if (!kept) return rmdir(dir).catch(() => rm(dir, { recursive: true, force: true }));
      })
      .catch((err: unknown) => this.logger.warn({ err, dir }, 'could not remove a task working directory'))
      .finally(() => this.removals.delete(p));
    this.removals.add(p);
  }

  /**
   * Puts `dir` back in its identity's spares when it is empty, private and still owned as made.
   * The checks are synchronous: on a local disk they cost microseconds, less than the thread
   * pool hand-offs of their asynchronous forms.
   *
   * Emptiness is read from the directory's mtime when it can be trusted: a directory found empty
   * more than two seconds after its mtime (coarse file systems included) gets a later mtime from
   * any entry made in it since, so the same mtime still means empty and the listing (five system
   * calls) is skipped.
   * (A task that sets its directory's mtime back by hand passes what it left to the next task of
   * the same user, who could read it anyway.)
   */
  private async keepIfEmpty(dir: string, identity: TaskIdentity): Promise<boolean> {
    const trusted = this.emptyAt.get(dir);
    this.emptyAt.delete(dir);
    if (this.closed || this.sparesOf(identity).length >= MAX_IDLE) return false;
    try {
      const st = lstatSync(dir, { bigint: true });
      if (!st.isDirectory() || (Number(st.mode) & 0o7777) !== 0o700 || Number(st.uid) !== identity.uid || (identity.switches && Number(st.gid) !== identity.gid)) return false;
      if (st.mtimeNs !== trusted) {
        if (readdirSync(dir).length > 0) return false;
        if (BigInt(Date.now()) * 1_000_000n - st.mtimeNs > SETTLED_NS) this.emptyAt.set(dir, st.mtimeNs);
      } else {
        this.emptyAt.set(dir, trusted);
      }
    } catch {
      return false;
    }
    const list = this.sparesOf(identity);
    if (this.closed || list.length >= MAX_IDLE) return false;
    // Last: the spares made ahead of time are taken first, so consecutive tasks get different directories.
    list.push(Promise.resolve(dir));
    return true;
  }

  private sparesOf(identity: TaskIdentity): Array<Promise<string>> {
    const key = identityKey(identity);
    let list = this.spares.get(key);
    if (!list) this.spares.set(key, (list = []));
    return list;
  }

  /** Resolves when every released directory is removed or kept. */
  async settled(): Promise<void> {
    while (this.removals.size > 0) await Promise.all(this.removals);
  }

  /** Removes the spares and the folder (after the last task). */
  async close(): Promise<void> {
    this.closed = true;
    const spares = [...this.spares.values()].flat();
    this.spares.clear();
    await Promise.allSettled(spares);
    await this.settled();
    await rm(this.base, { recursive: true, force: true }).catch(() => undefined);
  }

  private async make(identity: TaskIdentity): Promise<string> {
    // Traversable (not listable) by run-as users, whatever the worker's umask.
    this.baseReady ??= mkdir(this.base, { recursive: true }).then(() => {
      void this.removeLeftovers().catch((err: unknown) => this.logger.debug({ err }, 'leftover work folders not removed'));
      return chmod(this.base, 0o711);
    });
    try {
      await this.baseReady;
    } catch (err) {
      this.baseReady = undefined;
      throw err;
    }
    const dir = join(this.base, `task-${++this.seq}`);
    await mkdir(dir, { mode: 0o700 });
    if (identity.switches) await chown(dir, identity.uid, identity.gid);
    return dir;
  }
}
