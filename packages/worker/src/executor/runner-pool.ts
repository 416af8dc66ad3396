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
 */
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { identityKey, type TaskIdentity } from '../identity.js';
import { silentLogger, type Logger } from '@updraft/core';
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

export class RunnerPool {
  private readonly spares: number;
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
  private closed = false;

  constructor(opts: RunnerPoolOptions = {}) {
    this.spares = opts.spares ?? 1;
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
    const key = identityKey(identity);
    const reusable = this.idle.findLastIndex((r) => r.identityKey === key && r.boundModule === modulePath && r.isAlive);
    if (reusable !== -1) return this.idle.splice(reusable, 1)[0]!;
    const spares = this.spareRunners.get(key) ?? [];
    const runner = spares.shift() ?? this.startRunner(identity);
    this.topUpSpares(identity);
    try {
      await runner.ready;
    } catch (err) {
      this.all.delete(runner);
      throw err;
    }
    return runner;
  }

  /** Gives a runner back after its task: kept for its DAG file when safe, retired otherwise. */
  release(runner: RunnerProcess): void {
    const reuse = !this.closed && runner.isAlive && !runner.dirty && !runner.busy && runner.tasksRun < this.maxTasksPerRunner;
    if (!reuse) {
      this.retire(runner);
      return;
    }
    this.idle.push(runner);
    while (this.idle.length > this.maxIdle) this.retire(this.idle.shift()!);
  }

  /** Kills every runner (running tasks included). */
  async close(): Promise<void> {
    this.closed = true;
    const runners = [...this.all];
    this.all.clear();
    this.idle = [];
    this.spareRunners.clear();
    await Promise.all(runners.map((r) => r.kill(1000)));
  }

  private retire(runner: RunnerProcess): void {
    this.all.delete(runner);
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
    });
    this.all.add(runner);
    runner.ready.catch((err: unknown) => this.logger.warn({ err, uid: identity.uid }, 'a runner process failed to start'));
    // Forget runners that die on their own (crash, OOM kill, a stray exit while idle).
    void runner.whenExited.then(() => this.forget(runner));
    return runner;
  }

  private forget(runner: RunnerProcess): void {
    this.all.delete(runner);
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
