/**
 * Prefork pool of runner processes for function tasks, like Celery's prefork pool.
 *
 * - Spares: warm runners (tsx and SDK loaded) wait per identity (uid:gid), so a task never pays
 *   for a process start on the hot path; a taken spare is replaced at once in the background.
 * - Reuse: after a task a runner goes back to the pool bound to the DAG file it imported and only
 *   ever runs tasks of that same file version again (the module is then already loaded). It is
 *   retired instead when the task left work behind in it (timers, sockets, child processes), when
 *   it was killed, or after `maxTasksPerRunner` tasks. Each task still gets its own environment,
 *   working directory and umask (set by the runner before the task's code runs).
 * - Few starts: a process start costs about half a second of CPU, far more than a short task. When
 *   all runners of a DAG file are busy and that file's tasks usually take less than half of
 *   `reuseWaitMs` (as runners measure them, the import left out), a task waits up to `reuseWaitMs`
 *   for one to come back before it takes a spare. While that time is not known yet and a runner
 *   is importing the file, a task waits for the import to end and then up to `reuseWaitMs`: a new
 *   runner would need a start and the same import, so the wait is never longer than the start it
 *   saves. At most `maxStarting` runners start at once per identity: past that, a task waits for
 *   whichever comes first, a runner of its file coming back or a started one. A burst of short
 *   tasks then shares a few runners instead of starting one per task; tasks that keep their
 *   runners long get new ones as fast as the CPUs can start them.
 */
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { identityKey, type TaskIdentity } from '../identity.js';
import { silentLogger, UpdraftError, type Logger } from '@updraft/core';
import { baseTaskEnv } from '../task-env.js';
import { RunnerProcess } from './runner-process.js';

export interface RunnerPoolOptions {
  /** Warm unbound runners kept per identity in use. Default 1. */
  spares?: number;
  /** Idle runners (bound to a DAG file) kept for reuse; the least recently used go first. Default 8. */
  maxIdle?: number;
  /**
   * Tasks one runner runs before it is replaced (bounds leaks; a replacement costs a process start,
   * so keep it high); 1 = a fresh process for every task. Default 10 000.
   */
  maxTasksPerRunner?: number;
  /** Longest wait for a busy runner of the task's DAG file before it takes a spare (see above); 0 = never. Default 200 ms. */
  reuseWaitMs?: number;
  /** Runners of one identity starting at once (more wait, see above). Default: the number of CPUs. */
  maxStarting?: number;
  /** How long a runner may take to start. Default 30 000 ms. */
  startTimeoutMs?: number;
  /** SDK module preloaded by runners. Default: `@updraft/sdk` as this package resolves it. */
  sdkPath?: string;
  logger?: Logger;
}

function defaultSdkPath(): string {
  try {
    return createRequire(import.meta.url).resolve('@updraft/sdk');
  } catch {
    return '';
  }
}

/**
 * A task waiting for a runner. `anyRunner`: also takes a runner that just started (and then it
 * has no timer); otherwise only a runner of its DAG file coming back, until its timer fires
 * (`afterImport`: armed with reuseWaitMs once no runner of the file is importing it).
 * Resolved with undefined: go and start one.
 */
interface Waiter {
  key: string;
  modulePath: string;
  anyRunner: boolean;
  afterImport: boolean;
  resolve: (runner: RunnerProcess | undefined) => void;
  timer?: NodeJS.Timeout;
}

export class RunnerPool {
  private readonly spares: number;
  private readonly reuseWaitMs: number;
  private readonly maxStarting: number;
  private readonly maxIdle: number;
  private readonly maxTasksPerRunner: number;
  private readonly startTimeoutMs: number;
  private readonly sdkPath: string;
  private readonly logger: Logger;
  /** Unbound warm runners per identity key. */
  private readonly spareRunners = new Map<string, RunnerProcess[]>();
  /** Idle bound runners, least recently used first. */
  private idle: RunnerProcess[] = [];
  private readonly all = new Set<RunnerProcess>();
  /** Runners handed out by acquire() and not released yet. */
  private readonly leased = new Set<RunnerProcess>();
  /** How long tasks of a DAG file usually take in a warm runner (moving average, ms). */
  private readonly usualRunMs = new Map<string, number>();
  /** Runners not ready yet. */
  private readonly starting = new Set<RunnerProcess>();
  /** Tasks waiting for a runner, first come first served. */
  private waiters: Waiter[] = [];
  private closed = false;

  constructor(opts: RunnerPoolOptions = {}) {
    this.spares = opts.spares ?? 1;
    this.reuseWaitMs = opts.reuseWaitMs ?? 200;
    this.maxStarting = Math.max(1, opts.maxStarting ?? availableParallelism());
    this.maxIdle = opts.maxIdle ?? 8;
    this.maxTasksPerRunner = opts.maxTasksPerRunner ?? 10_000;
    this.startTimeoutMs = opts.startTimeoutMs ?? 30_000;
    this.sdkPath = opts.sdkPath ?? defaultSdkPath();
    this.logger = opts.logger ?? silentLogger;
  }

  /** Number of runner processes alive (busy, idle and spare). */
  get size(): number {
    return this.all.size;
  }

  /** Starts the spares of `identity` and waits until one is ready (a start check for the worker). */
  async prewarm(identity: TaskIdentity): Promise<void> {
    this.topUpSpares(identity);
    const first = this.spareRunners.get(identityKey(identity))?.[0];
    if (first) await first.ready;
    else await this.startRunner(identity).ready.then(() => undefined);
  }

  /** A ready runner for a task of `modulePath` run as `identity`. */
  async acquire(identity: TaskIdentity, modulePath: string): Promise<RunnerProcess> {
    // Bound and leased (by find, when handed out), while it may still be starting: tasks of the
    // same file that come meanwhile wait for it to import the file rather than start their own.
    const runner = await this.find(identity, modulePath);
    this.topUpSpares(identity);
    try {
      await runner.ready;
    } catch (err) {
      this.all.delete(runner);
      this.leased.delete(runner);
      this.armAfterImport(runner.identityKey, modulePath);
      throw err;
    }
    return runner;
  }

  /**
   * Leases `runner` to a task of `modulePath` at the moment it is handed out, in the same tick:
   * a task that looks for a runner before the first one's await resumes must see it leased (and
   * wait for it) rather than take a spare and start a process it does not need.
   */
  private lease(runner: RunnerProcess, modulePath: string): RunnerProcess {
    runner.boundModule = modulePath;
    this.leased.add(runner);
    return runner;
  }

  private async find(identity: TaskIdentity, modulePath: string): Promise<RunnerProcess> {
    const key = identityKey(identity);
    const reusable = this.idle.findLastIndex((r) => r.identityKey === key && r.boundModule === modulePath && r.isAlive);
    if (reusable !== -1) return this.lease(this.idle.splice(reusable, 1)[0]!, modulePath);
    const usual = this.usualRunMs.get(modulePath);
    if (this.reuseWaitMs > 0 && this.hasLeasedRunner(key, modulePath)) {
      let back: RunnerProcess | undefined;
      if (usual === undefined && this.isImporting(key, modulePath)) back = await this.waitForRunner(key, modulePath, 'afterImport');
      else if (usual !== undefined && 2 * usual <= this.reuseWaitMs) back = await this.waitForRunner(key, modulePath, this.reuseWaitMs);
      if (back !== undefined) return back;
    }
    const spares = this.spareRunners.get(key) ?? [];
    const ready = spares.findIndex((r) => !this.starting.has(r));
    if (ready !== -1) return this.lease(spares.splice(ready, 1)[0]!, modulePath);
    if (this.startingOf(key) >= this.maxStarting) {
      const handed = await this.waitForRunner(key, modulePath, undefined);
      if (handed !== undefined) return handed;
    }
    // close() sends away the tasks still waiting: a runner started now would never be killed.
    if (this.closed) throw new UpdraftError('WORKER_ERROR', 'the runner pool is closed (the worker is stopping)');
    return this.lease(spares.shift() ?? this.startRunner(identity), modulePath);
  }

  /** Gives a runner back after its task: kept for its DAG file when safe, retired otherwise. */
  release(runner: RunnerProcess): void {
    // How long the task took in the runner, as the runner measured it: without the import of the
    // DAG file (a warm runner does not pay it again) and without this process's event-loop delays.
    const took = runner.lastRunMs;
    if (took !== undefined && runner.boundModule !== undefined) {
      const usual = this.usualRunMs.get(runner.boundModule);
      if (usual === undefined && this.usualRunMs.size >= 1000) this.usualRunMs.clear(); // one entry per DAG file version
      this.usualRunMs.set(runner.boundModule, usual === undefined ? took : 0.8 * usual + 0.2 * took);
    }
    this.leased.delete(runner);
    if (runner.boundModule !== undefined) this.armAfterImport(runner.identityKey, runner.boundModule);
    const reuse = !this.closed && runner.isAlive && !runner.dirty && !runner.busy && runner.tasksRun < this.maxTasksPerRunner;
    if (!reuse) {
      this.retire(runner);
      return;
    }
    const waiter = this.takeWaiter((w) => w.key === runner.identityKey && w.modulePath === runner.boundModule);
    if (waiter !== undefined) {
      waiter.resolve(this.lease(runner, waiter.modulePath));
      return;
    }
    this.idle.push(runner);
    while (this.idle.length > this.maxIdle) this.retire(this.idle.shift()!);
  }

  /** Kills every runner (running tasks included). */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve(undefined);
    }
    const runners = [...this.all];
    this.all.clear();
    this.idle = [];
    this.spareRunners.clear();
    await Promise.all(runners.map((r) => r.kill(1000)));
  }

  private hasLeasedRunner(key: string, modulePath: string): boolean {
    if (this.closed) return false;
    for (const r of this.leased) if (r.isAlive && r.identityKey === key && r.boundModule === modulePath) return true;
    return false;
  }

  /** A leased runner of the file is starting or importing it (its first task). */
  private isImporting(key: string, modulePath: string): boolean {
    for (const r of this.leased) {
      if (r.isAlive && r.identityKey === key && r.boundModule === modulePath && (r.tasksRun === 0 || r.importing)) return true;
    }
    return false;
  }

  /** Once no runner of the file is importing it, tasks that waited for the import wait reuseWaitMs more at most. */
  private armAfterImport(key: string, modulePath: string): void {
    if (this.isImporting(key, modulePath)) return;
    for (const w of this.waiters) {
      if (!w.afterImport || w.key !== key || w.modulePath !== modulePath) continue;
      w.afterImport = false;
      this.armTimer(w, this.reuseWaitMs);
    }
  }

  private armTimer(waiter: Waiter, ms: number): void {
    clearTimeout(waiter.timer);
    waiter.timer = setTimeout(() => {
      this.waiters = this.waiters.filter((w) => w !== waiter);
      waiter.resolve(undefined);
    }, ms);
  }

  private startingOf(key: string): number {
    let n = 0;
    for (const r of this.starting) if (r.identityKey === key) n++;
    return n;
  }

  /**
   * Waits for a runner of `modulePath` coming back for up to `timeoutMs`, or until its import ended
   * and reuseWaitMs more (at most startTimeoutMs in all), or without a timer for any runner (see Waiter).
   */
  private waitForRunner(key: string, modulePath: string, timeoutMs: number | 'afterImport' | undefined): Promise<RunnerProcess | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const afterImport = timeoutMs === 'afterImport';
      const waiter: Waiter = { key, modulePath, anyRunner: timeoutMs === undefined, afterImport, resolve };
      if (timeoutMs !== undefined) this.armTimer(waiter, afterImport ? this.startTimeoutMs : timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private takeWaiter(match: (w: Waiter) => boolean): Waiter | undefined {
    const at = this.waiters.findIndex(match);
    if (at === -1) return undefined;
    const [waiter] = this.waiters.splice(at, 1);
    clearTimeout(waiter!.timer);
    return waiter;
  }

  /**
   * A start ended (ready or failed): a ready spare goes to a task waiting for any runner, and
   * with the start slot free, the next such task goes and starts one.
   */
  private startEnded(runner: RunnerProcess, ready: boolean): void {
    this.starting.delete(runner);
    const spares = this.spareRunners.get(runner.identityKey) ?? [];
    const at = spares.indexOf(runner);
    if (ready && at !== -1) {
      const waiter = this.takeWaiter((w) => w.anyRunner && w.key === runner.identityKey);
      if (waiter !== undefined) {
        spares.splice(at, 1);
        waiter.resolve(this.lease(runner, waiter.modulePath));
      }
    }
    if (this.startingOf(runner.identityKey) < this.maxStarting) this.takeWaiter((w) => w.anyRunner && w.key === runner.identityKey)?.resolve(undefined);
  }

  private retire(runner: RunnerProcess): void {
    this.all.delete(runner);
    this.leased.delete(runner);
    this.idle = this.idle.filter((r) => r !== runner);
    void runner.kill(1000);
  }

  private startRunner(identity: TaskIdentity): RunnerProcess {
    const runner = new RunnerProcess({
      identity,
      env: baseTaskEnv(identity),
      cwd: tmpdir(),
      sdkPath: this.sdkPath,
      startTimeoutMs: this.startTimeoutMs,
      logger: this.logger,
      onImportEnded: (r) => this.armAfterImport(r.identityKey, r.boundModule ?? ''),
    });
    this.all.add(runner);
    this.starting.add(runner);
    runner.ready.then(
      () => this.startEnded(runner, true),
      (err: unknown) => {
        this.logger.warn({ err, uid: identity.uid }, 'a runner process failed to start');
        this.startEnded(runner, false);
      },
    );
    // Forget runners that die on their own (crash, OOM kill, a stray exit while idle).
    void runner.whenExited.then(() => this.forget(runner));
    return runner;
  }

  private forget(runner: RunnerProcess): void {
    this.all.delete(runner);
    this.leased.delete(runner);
    if (runner.boundModule !== undefined) this.armAfterImport(runner.identityKey, runner.boundModule);
    this.starting.delete(runner);
    this.idle = this.idle.filter((r) => r !== runner);
    for (const list of this.spareRunners.values()) {
      const at = list.indexOf(runner);
      if (at !== -1) list.splice(at, 1);
    }
  }

  private topUpSpares(identity: TaskIdentity): void {
    if (this.closed || this.spares <= 0) return;
    const key = identityKey(identity);
    const list = this.spareRunners.get(key) ?? [];
    this.spareRunners.set(key, list);
    while (list.length < this.spares) list.push(this.startRunner(identity));
  }
}
