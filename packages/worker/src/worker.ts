/**
 * The worker's lifecycle: start (checks, register, heartbeat, pull loop), drain and stop.
 *
 * Shutdown (stop(), SIGTERM/SIGINT via the CLI, or a drain asked by the scheduler):
 *  1. stop pulling; messages fetched but not yet claimed are nak'ed for other workers;
 *  2. running tasks may finish (stop(): within shutdownGracePeriodMs; drain: no limit);
 *  3. tasks still running then are killed and REPORTED FAILED (reason: worker shutdown), then acked.
 *     They are not nak'ed: the claim already moved the row to running for this token, so a
 *     redelivered message would be refused at claim and the task would hang until zombie
 *     detection. Reporting failed hands the try back at once; the retry policy decides what next;
 *  4. heartbeats stop, the worker deregisters, runner processes and the client are closed.
 * Task logs are closed before a result is reported, so nothing is left half-written.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import {
  createWorkerServiceClient,
  GrpcStatus,
  isRetryableRpcError,
  isUpdraftRpcError,
  UpdraftError,
  type proto,
  type Delivery,
  type QueueConsumer,
  type WorkerServiceRpcClient,
  type WorkerWake,
  sleep,
} from '@updraft/core';
import type { Attempt, AttemptDeps } from './attempt.js';
import { Controls } from './controls.js';
import { DagFileCache } from './dag-cache.js';
import type { WorkerEvent } from './events.js';
import { TaskExecutor } from './executor/executor.js';
import { RunnerPool } from './executor/runner-pool.js';
import { Heartbeat } from './heartbeat.js';
import { LogShipping } from './logs/shipping.js';
import { RemoteLogUploader } from './logs/remote-upload.js';
import { assertCanReadAs, assertCanSwitchTo, formatUmask, parseUmask, resolveIdentity, type TaskIdentity } from './identity.js';
import { checkLogFolder, startLogRetention } from './log-folder.js';
import { resolveWorkerOptions, type ResolvedWorkerOptions, type WorkerOptions } from './options.js';
import { ProcessUsage } from './process-usage.js';
import { PullLoop } from './pull-loop.js';
import { runSlot } from './slot.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export type WorkerState = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

export interface WorkerStatus {
  state: WorkerState;
  workerId: string;
  workerName: string;
  running: number;
  freeSlots: number;
  processed: number;
}

export class Worker {
  readonly options: ResolvedWorkerOptions;
  private state: WorkerState = 'new';
  private id = '';
  private processed = 0;
  private readonly attempts = new Set<Attempt>();
  private readonly abandon = new AbortController();
  private client: WorkerServiceRpcClient | undefined;
  private pool: RunnerPool | undefined;
  private executor: TaskExecutor | undefined;
  private logShipping: LogShipping | undefined;
  private remoteLogs: RemoteLogUploader | undefined;
  private stopRetention: (() => void) | undefined;
  private loop: PullLoop | undefined;
  private heartbeat: Heartbeat | undefined;
  private identity: TaskIdentity | undefined;
  private umask = 0o022;
  private heartbeatIntervalMs: number;
  private shutdown: Promise<void> | undefined;
  private stopRequested = false;
  private startAborted = false;
  private forceTimer: NodeJS.Timeout | undefined;
  private readonly stoppedSignal: Promise<void>;
  private markStopped: () => void = () => undefined;
  /** Heartbeat answers applied: kills, drain, and the monitor's live controls (queues pulled from now, ...). */
  private readonly controls: Controls;
  private readonly usage = new ProcessUsage();
  private wakeOff: (() => void) | undefined;

  constructor(options: WorkerOptions) {
    this.options = resolveWorkerOptions(options);
    this.heartbeatIntervalMs = this.options.heartbeatIntervalMs;
    this.controls = new Controls({
      isRunning: () => this.state === 'running',
      loop: () => this.loop,
      attempts: () => this.attempts,
      drain: (reason) => void this.drain(reason),
      consumerFor: (queues) => this.consumerFor(queues),
      beatNow: () => this.heartbeat?.now(),
      logger: this.options.logger,
    }, this.options.queues);
    this.stoppedSignal = new Promise((resolve) => (this.markStopped = resolve));
  }

  get workerId(): string {
    return this.id;
  }

  /** Resolves when the worker has stopped (after stop() or a drain). */
  get stopped(): Promise<void> {
    return this.stoppedSignal;
  }

  status(): WorkerStatus {
    return {
      state: this.state,
      workerId: this.id,
      workerName: this.options.workerName,
      running: this.attempts.size,
      freeSlots: this.loop?.freeSlots ?? 0,
      processed: this.processed,
    };
  }

  /** Checks the setup, registers with the scheduler and starts pulling. Refuses (WORKER_ERROR) with what to fix. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new UpdraftError('WORKER_ERROR', `worker ${this.options.workerName} was already started`);
    this.state = 'starting';
    const o = this.options;
    try {
      this.umask = parseUmask(o.umask);
      this.identity = resolveIdentity({ runAsUser: o.runAsUser, runAsGroup: o.runAsGroup });
      assertCanSwitchTo(this.identity);
      await checkLogFolder(o.logFolder);
      if (o.logStream) this.logShipping = LogShipping.start({ ...o.logStream, logger: o.logger });
      if (o.remoteLogs) this.remoteLogs = new RemoteLogUploader(o.remoteLogs, o.logger);
      this.client = o.client ?? createWorkerServiceClient({ address: o.schedulerAddress!, token: o.token!, tls: o.tls });
      const client = this.client;
      const dagCache = new DagFileCache({
        folder: o.dagCacheFolder,
        fetch: (fileHash) => client.fetchDagFile({ fileHash }),
        fetchBundle: (req) => client.fetchBundle(req),
        keepBundles: o.bundleCacheKeep,
      });
      await dagCache.init();
      assertCanReadAs(this.identity, dagCache.markerFile, 'worker.dag_cache_folder');
      this.pool = new RunnerPool({ maxIdle: o.concurrency, logger: o.logger, ...o.runners });
      const executor = (this.executor = new TaskExecutor({
        pool: this.pool,
        umask: this.umask,
        identity: this.identity,
        killGraceMs: o.killGraceMs,
        workerName: o.workerName,
        workRoot: o.workRoot,
        refuseRootTasks: !o.allowRootTasks,
        logger: o.logger,
      }));
      // Heartbeats begin as soon as the scheduler knows this worker, not after the runner prewarm:
      // a prewarm that takes longer than the heartbeat timeout (loaded host, many slots) would
      // otherwise get the worker marked offline before it took its first task.
      const registered = this.register().then(() => {
        if (this.state !== 'starting' || this.startAborted) return;
        this.heartbeat = new Heartbeat({
          intervalMs: this.heartbeatIntervalMs,
          // A short deadline: a scheduler that went silent (link cut) is left for the next address
          // within a few heartbeats, well inside the new leader's reconnect grace.
          beat: async () => {
            const req = this.heartbeatRequest();
            try {
              return await client.heartbeat(req, { timeoutMs: Math.max(3000, 3 * this.heartbeatIntervalMs) });
            } catch (err) {
              this.controls.unsent(req.acknowledgedControls);
              throw err;
            }
          },
          onResponse: (res) => this.controls.apply(res),
          onError: (err) => this.onHeartbeatError(err),
          logger: o.logger,
        });
        this.heartbeat.start();
        this.listenForWake();
      });
      // A runner that cannot start (run-as user cannot read the code, ...) stops the worker here.
      await Promise.all([this.pool.prewarm(this.identity), registered]);
      if (this.stopRequested) throw new UpdraftError('WORKER_ERROR', `worker ${o.workerName} was stopped while starting`);
      const consumer = await this.consumerFor(this.controls.queues);
      this.loop = this.createLoop(consumer, executor, dagCache);
      this.state = 'running';
      this.loop.start();
      this.stopRetention = startLogRetention({ folder: o.logFolder, retentionDays: o.logRetentionDays, logger: o.logger });
      o.logger.info(
        { worker: o.workerName, workerId: this.id, queues: o.queues, concurrency: o.concurrency, umask: formatUmask(this.umask), uid: this.identity.uid, gid: this.identity.gid },
        'worker started',
      );
      if (this.identity.uid === 0 && !o.allowRootTasks) {
        // Said at start, not only in each failed task's log: a quickstart run as root (a container, say) would otherwise fail every task.
        o.logger.warn(
          { worker: o.workerName, uid: 0 },
          'this worker runs tasks as root and worker.allow_root_tasks is false: every task without a runAsUser of its own will fail. ' +
            'Set worker.run_as_user to an unprivileged user, or worker.allow_root_tasks = true',
        );
      }
    } catch (err) {
      // A registration that completes after this point starts no heartbeat.
      this.startAborted = true;
      if (this.heartbeat !== undefined) await this.heartbeat.stop();
      this.wakeOff?.();
      await this.pool?.close();
      await this.executor?.close();
      await this.remoteLogs?.close(0);
      await this.logShipping?.close(0);
      if (!o.client) this.client?.close();
      this.state = 'stopped';
      this.markStopped();
      throw err;
    }
  }

  /** Graceful stop: running tasks get shutdownGracePeriodMs, then are killed and reported failed. */
  stop(): Promise<void> {
    this.stopRequested = true;
    if (this.state === 'new') {
      this.state = 'stopped';
      this.markStopped();
      return Promise.resolve();
    }
    const done = this.beginShutdown('stop requested');
    this.forceTimer ??= setTimeout(() => this.forceKill(), this.options.shutdownGracePeriodMs);
    return done;
  }

  /** Stop taking work, let running tasks finish however long they take, deregister, stop. */
  drain(reason = 'drain requested'): Promise<void> {
    this.stopRequested = true;
    return this.beginShutdown(reason);
  }

  private consumerFor(queues: string[]): Promise<QueueConsumer> {
    const q = this.options.queue;
    return typeof q === 'function' ? q(queues) : q.consumer(queues);
  }

  private createLoop(consumer: QueueConsumer, executor: TaskExecutor, dagCache: DagFileCache): PullLoop {
    const o = this.options;
    // One set of dependencies for every attempt (they hold nothing per attempt).
    const deps: AttemptDeps = {
      client: this.client!,
      executor,
      dagCache,
      logFolder: o.logFolder,
      ...(this.logShipping ? { logShipping: this.logShipping } : {}),
      ...(this.remoteLogs ? { remoteLogs: this.remoteLogs } : {}),
      hostname: o.hostname,
      workerId: () => this.id,
      queueOverrides: o.queueOverrides,
      workingIntervalMs: o.workingIntervalMs,
      claimRetryDelayMs: o.claimRetryDelayMs,
      reportRetryInitialMs: o.reportRetryInitialMs,
      reportRetryMaxMs: o.reportRetryMaxMs,
      abandon: this.abandon.signal,
      logger: o.logger,
      emit: (event: WorkerEvent): void => o.onEvent?.(event),
      handoffOffer: () => this.handoffOffer(),
    };
    const slots = { attempts: this.attempts, processed: () => void (this.processed += 1) };
    return new PullLoop({
      consumer,
      concurrency: o.concurrency,
      fetchExpiresMs: o.fetchExpiresMs,
      fetchErrorDelayMs: 1000,
      logger: o.logger,
      handle: (first: Delivery) => runSlot(first, deps, slots),
    });
  }

  /**
   * The slot a finishing attempt frees is offered for a downstream task while the worker takes new
   * tasks: running (not stopping), not paused, not over a concurrency shrunk meanwhile.
   */
  private handoffOffer(): proto.HandoffOffer | undefined {
    const loop = this.loop;
    if (this.state !== 'running' || loop === undefined || loop.paused || loop.inFlight > loop.concurrency) return undefined;
    return { queues: [...this.controls.queues], hostname: this.options.hostname };
  }

  private registerRequest(): proto.RegisterWorkerRequest {
    const o = this.options;
    return {
      workerName: o.workerName,
      hostname: o.hostname,
      queues: this.controls.queues,
      concurrency: o.concurrency,
      version: VERSION,
      umask: formatUmask(this.umask),
      uid: this.identity!.uid,
      gid: this.identity!.gid,
      pid: process.pid,
    };
  }

  /** Registers, retrying while the scheduler is unreachable; a refusal is a start error. */
  private async register(): Promise<void> {
    for (let delay = 200; ; delay = Math.min(delay * 2, 5000)) {
      try {
        const res = await this.client!.registerWorker(this.registerRequest());
        this.id = res.workerId;
        if (res.heartbeatIntervalMs > 0) this.heartbeatIntervalMs = Math.min(this.heartbeatIntervalMs, res.heartbeatIntervalMs);
        this.options.onEvent?.({ type: 'registered', workerId: this.id, workerName: this.options.workerName });
        return;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (this.stopRequested) {
          throw new UpdraftError('WORKER_ERROR', `worker ${this.options.workerName} was stopped before it could register: ${message}`, { cause: err });
        }
        if (!isRetryableRpcError(err)) {
          const hint = isUpdraftRpcError(err, GrpcStatus.UNAUTHENTICATED) ? ' Fix: security.worker_token must match the scheduler\'s.' : '';
          throw new UpdraftError('WORKER_ERROR', `the scheduler refused to register worker ${this.options.workerName}: ${message}.${hint}`, { cause: err });
        }
        this.options.logger.warn({ err: message, retryInMs: delay }, 'scheduler not reachable: retrying registration');
        await sleep(delay);
      }
    }
  }

  private heartbeatRequest(): proto.HeartbeatRequest {
    const [load1 = 0, load5 = 0, load15 = 0] = loadavg();
    return {
      workerId: this.id,
      running: [...this.attempts].filter((a) => a.claimed).map((a) => a.running()),
      freeSlots: this.loop?.freeSlots ?? 0,
      load1,
      load5,
      load15,
      processed: this.processed,
      concurrency: this.loop?.concurrency ?? this.options.concurrency,
      queues: this.controls.queues,
      ...this.usage.sample(),
      paused: this.loop?.paused ?? false,
      acknowledgedControls: this.controls.takeAcks(),
    };
  }

  /** Wake-ups for this incarnation (a new registration has a new id): heartbeat at once. */
  private listenForWake(): void {
    const wake = this.options.wake ?? (typeof this.options.queue === 'object' && 'onWake' in this.options.queue ? this.options.queue as unknown as WorkerWake : undefined);
    this.wakeOff?.();
    this.wakeOff = undefined;
    if (!wake || !this.id) return;
    try {
      this.wakeOff = wake.onWake(this.id, () => this.heartbeat?.now());
    } catch (err) {
      this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'cannot listen for remote-control wake-ups; controls apply at the next heartbeat');
    }
  }

  private async onHeartbeatError(err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    if ((isUpdraftRpcError(err, GrpcStatus.UNAUTHENTICATED) || isUpdraftRpcError(err, GrpcStatus.PERMISSION_DENIED)) && this.state === 'running') {
      // Revoked (or replaced) credential: nothing this worker runs can be reported any more, and the
      // scheduler fails its running tasks as zombies. Kill them now rather than let them run on.
      const reason = `the scheduler refused this worker's credential (${message})`;
      this.options.logger.error({ err: message }, 'the scheduler refused this worker\'s credential: killing running tasks and stopping');
      for (const attempt of this.attempts) attempt.kill(reason);
      void this.stop();
      return;
    }
    if (isUpdraftRpcError(err, GrpcStatus.NOT_FOUND) && (this.state === 'running' || this.state === 'starting')) {
      this.options.logger.warn({ err: message }, 'the scheduler does not know this worker: registering again');
      const res = await this.client!.registerWorker(this.registerRequest());
      this.id = res.workerId;
      this.listenForWake();
      return;
    }
    this.options.logger.warn({ err: message }, 'heartbeat failed');
  }

  private beginShutdown(reason: string): Promise<void> {
    this.shutdown ??= this.runShutdown(reason);
    return this.shutdown;
  }

  private async runShutdown(reason: string): Promise<void> {
    const o = this.options;
    // A start in progress notices stopRequested and ends in 'stopped' (registration retries stop).
    if (this.state === 'starting') await this.stoppedOrRunning();
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    o.onEvent?.({ type: 'draining', reason });
    o.logger.info({ reason, running: this.attempts.size }, 'worker stopping: no new tasks, waiting for running ones');
    await this.loop?.stop();
    await this.loop?.idle();
    clearTimeout(this.forceTimer);
    this.stopRetention?.();
    await this.heartbeat?.stop();
    this.wakeOff?.();
    try {
      await this.client?.deregisterWorker({ workerId: this.id }, { timeoutMs: 5000 });
    } catch (err) {
      o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'deregistration failed (the scheduler will mark this worker offline)');
    }
    await this.pool?.close();
    await this.executor?.close();
    await this.remoteLogs?.close(o.logShipTimeoutMs);
    await this.logShipping?.close(o.logShipTimeoutMs);
    if (!o.client) this.client?.close();
    this.state = 'stopped';
    o.onEvent?.({ type: 'stopped' });
    o.logger.info({ processed: this.processed }, 'worker stopped');
    this.markStopped();
  }

  private async stoppedOrRunning(): Promise<void> {
    while (this.state === 'starting') await Promise.race([this.stoppedSignal, sleep(50)]);
  }

  /** The grace period is over: kill what still runs; reports get reportGraceMs more, then are abandoned. */
  private forceKill(): void {
    const o = this.options;
    const grace = `${Math.round(o.shutdownGracePeriodMs / 1000)} s`;
    for (const attempt of this.attempts) {
      attempt.kill(`worker ${o.workerName} shut down and the task did not finish within the shutdown grace period of ${grace}`);
    }
    setTimeout(() => this.abandon.abort(), o.killGraceMs + o.reportGraceMs).unref();
  }
}
