/**
 * The scheduling engine: creates DAG runs, decides which task instances may run, queues them in
 * the database and publishes them, and serves the WorkerService calls (claim, report, ...).
 *
 * Event-driven: a reported result queues and publishes ready downstream tasks before the call
 * returns. Timers exist only for new schedule intervals (tick), retries that come due (a timer
 * set to the earliest next_retry_at) and repair/supervision (tick).
 */
import {
  assetsSql,
  dagRunsSql,
  gridSql,
  isUpdraftError,
  messageOf,
  taskLogPathParts,
  UpdraftError,
  type AttemptRef,
} from '@updraft/core';
import type {
  AttemptOutcome,
  BundleAnswer,
  BundleRequest,
  ClaimedTask,
  ClaimRequest,
  ConnectionAnswer,
  DagFile,
  HeartbeatAnswer,
  Registered,
  ReportAnswer,
  ResultReport,
  TaskScopedRead,
  VariableAnswer,
  WorkerFacingEngine,
  WorkerHeartbeat,
  WorkerRegistration,
  XComAnswer,
  XComRead,
  XComWrite,
} from '../worker-facing.js';
import { AlertSender } from '../alerts/sender.js';
import { Admission } from './admission.js';
import { AttemptPublisher } from './attempt-publisher.js';
import { Attempts } from './attempts.js';
import { CallbackRunner } from './callbacks.js';
import { ChangeAnnouncer } from './change-announcer.js';
import { DagCache } from './dag-cache.js';
import { ExternalWaits } from './external-waits.js';
import { DagRuns, type CreatedDagRun, type TriggerDagRunRequest } from './dag-runs.js';
import { RunEvaluator, type RunRef } from './evaluator.js';
import { KeyedLock } from './keyed-lock.js';
import { defaultLogPath, resolveEngineOptions, type ResolvedEngineOptions, type SchedulerEngineOptions } from './options.js';
import { RunCache } from './run-cache.js';
import { RunLimits } from './run-limits.js';
import { DueTasks } from './due-tasks.js';
import { DueTimer } from './due-timer.js';
import { LoopTimings } from './loop-timings.js';
import { TaskSecrets } from './task-secrets.js';
import { TaskXCom } from './task-xcom.js';
import { SchedulerTasks } from './scheduler-tasks.js';
import { WorkerCalls } from './worker-calls.js';

const PROGRAMMING_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError];

/** Errors that are not UpdraftErrors come from the database driver: the caller may retry (UNAVAILABLE). */
function asUpdraftError(err: unknown, what: string): unknown {
  if (isUpdraftError(err) || PROGRAMMING_ERRORS.some((E) => err instanceof E)) return err;
  return new UpdraftError('DB_ERROR', `${what}: database error: ${messageOf(err)}`, { cause: err });
}

export class SchedulerEngine implements WorkerFacingEngine {
  private readonly o: ResolvedEngineOptions;
  private readonly dags: DagCache;
  private readonly runs: RunCache;
  private readonly publisher: AttemptPublisher;
  private readonly admission: Admission;
  private readonly evaluator: RunEvaluator;
  private readonly externalWaits: ExternalWaits;
  /** d.triggerDagRun and d.latestOnly tasks, run by the scheduler. */
  private readonly schedulerTasks: SchedulerTasks;
  private readonly dagRuns: DagRuns;
  /** deadline, dagrunTimeout and maxConsecutiveFailedDagRuns. */
  private readonly runLimits: RunLimits;
  private readonly attempts: Attempts;
  private readonly workers: WorkerCalls;
  private readonly secrets: TaskSecrets;
  private readonly xcom: TaskXCom;
  private readonly retryTimer: DueTimer;
  private readonly dueTasks: DueTasks;
  /** Fires when the next DAG comes due before the next tick would look (a tick can be up to its interval late). */
  private readonly dueRunsTimer: DueTimer;
  private readonly callbacks: CallbackRunner;
  private readonly alerts: AlertSender;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Runs whose evaluation failed after a task ended, and runs flagged by a clear or mark; re-evaluated by tick(). */
  private readonly dirty = new Map<string, RunRef>();
  private tickTimer: NodeJS.Timeout | undefined;
  private readonly loopTimings: LoopTimings;
  /** Tells live pages about claims and finishes, coalesced. */
  private readonly changes: ChangeAnnouncer;
  private statisticsRefreshedAt = 0;
  private ticking: Promise<void> | undefined;
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';

  constructor(options: SchedulerEngineOptions) {
    this.o = resolveEngineOptions(options);
    const { pool: db, logger } = this.o;
    this.dags = new DagCache(db, logger);
    this.runs = new RunCache(db);
    this.changes = new ChangeAnnouncer((dagIds) => gridSql.notifyTaskInstanceChanges(db, dagIds), logger);
    this.publisher = new AttemptPublisher(db, this.o.publisher, logger, this.o.publishWindow, this.o.publishBacklogStallMs);
    this.admission = new Admission(db, this.publisher, logger, (ms, external) => {
      if (external) this.externalWaits.created();
      this.retryTimer.armIn(ms);
    }, (run, tasks) => this.schedulerTasks.run(run, tasks));
    this.schedulerTasks = new SchedulerTasks({
      pool: this.o.pool, dags: this.dags, runs: this.runs, clock: this.o.clock, logger, secrets: this.o.secrets,
      onWaits: (ms) => { this.externalWaits.created(); this.retryTimer.armIn(ms); },
      onRetryScheduled: (ms) => this.retryTimer.armIn(ms), onEffects: (callbacks, alerts) => this.wakeEffects(callbacks, alerts),
      evaluate: (run, changed) => this.background('evaluate after tasks the scheduler ended',
        () => this.evaluator.evaluate(run, changed).catch((err: unknown) => evaluationFailed(run, err))),
    });
    const evaluationFailed = (run: RunRef, err: unknown): void => {
      logger.error({ err, dagId: run.dagId, runId: run.runId }, 'evaluating a run failed; the next tick retries');
      this.dirty.set(run.dagRunId, run);
    };
    this.externalWaits = new ExternalWaits({
      pool: db, dags: this.dags, evaluator: () => this.evaluator, logger, onEvaluationFailed: evaluationFailed,
      onRetryScheduled: (ms) => this.retryTimer.armIn(ms), onEffects: (callbacks, alerts) => this.wakeEffects(callbacks, alerts),
    });
    this.callbacks = new CallbackRunner(db, this.o.callbacks, logger);
    this.alerts = new AlertSender(db, this.o.secrets, this.o.alerts, logger);
    this.evaluator = new RunEvaluator(db, this.dags, this.publisher, this.admission, (run, state) => {
      logger.info({ dagId: run.dagId, runId: run.runId, state }, 'DAG run finished');
      this.runs.forget(run.dagId, run.runId);
      // Task failures of the run waiting for their group window go out now.
      this.alerts.runEnded();
      // A slot under max_active_runs opened: start queued runs / create due ones, off the hot path.
      this.background('schedule after run end', () => this.dagRuns.scheduleDag(run.dagId));
      if (state === 'failed') this.background('pause after failed runs', () => this.runLimits.afterRunFailed(run.dagId));
    }, this.o.maxMapLength, () => this.callbacks.wake(), () => this.alerts.wake(),
    (dagId) => this.background('resolve waits for other DAGs', () => this.externalWaits.evaluated(dagId)));
    this.dagRuns = new DagRuns({
      db, dags: this.dags, runs: this.runs, evaluator: this.evaluator, locks: new KeyedLock(), logger,
      clock: this.o.clock, maxRunsPerDagPerTick: this.o.maxRunsPerDagPerTick,
      bigRunTasks: 1000, onBigRun: (n) => this.refreshStatistics(n),
    });
    this.runLimits = new RunLimits({
      db, logger, wakeCallbacks: () => this.callbacks.wake(), wakeAlerts: () => this.alerts.wake(), startRuns: (dagId) => this.dagRuns.startRuns(dagId),
    });
    this.secrets = new TaskSecrets(db, this.o.secrets);
    this.xcom = new TaskXCom(db, this.dags, this.runs, this.o.maxXcomSize);
    this.attempts = new Attempts({
      db, dags: this.dags, runs: this.runs, evaluator: this.evaluator, admission: this.admission, secrets: this.secrets, xcom: this.xcom, logger, logPath: this.o.logPath,
      // The finish statement writes a chain successor's log path itself: it knows the default's shape.
      logPathParts: this.o.logPath === defaultLogPath ? taskLogPathParts : undefined,
      maxMapLength: this.o.maxMapLength,
      onRetryScheduled: (ms) => this.retryTimer.armIn(ms),
      onCallbackRequested: () => this.callbacks.wake(),
      onAlertRequested: () => this.alerts.wake(),
      onAssetsUpdated: (dagIds) => {
        for (const dagId of dagIds) this.background('create an asset-triggered run', () => this.dagRuns.createAssetRun(dagId));
      },
      onEvaluationFailed: evaluationFailed,
      publish: (attempts) => this.publisher.publishTaken(attempts),
      backlog: {
        has: (key) => this.publisher.hasWaiting(key),
        take: (key, accept) => this.publisher.takeWaiting(key, accept),
        claimed: (key) => this.publisher.claimed(key),
      },
      announce: (dagIds) => this.changes.changed(dagIds),
    });
    this.workers = new WorkerCalls(db, this.o.heartbeatIntervalMs);
    this.loopTimings = new LoopTimings({ db: this.o.pool, logger: this.o.logger, flushIntervalMs: this.o.loopTimingsIntervalMs });
    this.retryTimer = new DueTimer(() => this.background('queue due retries', () => this.dueTasks.run()));
    this.dueTasks = new DueTasks({
      pool: this.o.pool, batchSize: this.o.retryBatchSize, admission: this.admission, dags: this.dags, evaluator: () => this.evaluator,
      externalWaits: () => this.externalWaits, onEvaluationFailed: evaluationFailed, armIn: (ms) => this.retryTimer.armIn(ms),
      onEffects: (callbacks, alerts) => this.wakeEffects(callbacks, alerts),
    });
    this.dueRunsTimer = new DueTimer(() => this.background('create due runs', () => this.dagRuns.scheduleDueDags()));
  }

  /**
   * Repairs what a previous process may have left (publishes every queued attempt again with its
   * token, re-evaluates running runs), runs one tick, and starts the timers.
   */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new UpdraftError('INVALID_ARGUMENT', `scheduler engine cannot start: it is ${this.state}`);
    this.state = 'running';
    const republished = await this.track(this.publisher.republishQueued());
    for (const run of await this.track(dagRunsSql.runningDagRuns(this.o.pool))) this.dirty.set(run.dagRunId, run);
    this.o.logger.info({ republished, runningRuns: this.dirty.size }, 'scheduler engine starting');
    await this.tick();
    this.scheduleTick();
    // Alerts a previous scheduler left (pending, or sending under a lease that runs out).
    this.alerts.wake();
  }

  /** Runs the callbacks and sends the alerts that ends outside a worker's report requested. */
  private wakeEffects(callbacks: boolean, alerts: boolean): void {
    if (callbacks) this.callbacks.wake();
    if (alerts) this.alerts.wake();
  }

  /** Sends due alerts soon (rows recorded by another process: LISTEN updraft_alerts). */
  wakeAlerts(): void {
    if (this.state === 'running') this.alerts.wake();
  }

  /** Stops the timers and waits for work in flight (calls, tick, background follow-ups). */
  async stop(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'stopping') return;
    this.state = 'stopping';
    clearTimeout(this.tickTimer);
    this.retryTimer.clear();
    this.dueRunsTimer.clear();
    this.admission.close();
    while (this.inFlight.size > 0 || this.ticking !== undefined) {
      await Promise.allSettled([...this.inFlight, this.ticking]);
    }
    await this.callbacks.stop();
    await this.alerts.stop();
    await this.changes.close();
    this.state = 'stopped';
  }

  /**
   * One pass of the periodic work: plan new/changed DAGs, create due scheduled runs, start queued
   * runs, queue due retries, retry failed publishes, re-evaluate runs (evaluation failed, or cleared), run
   * the supervisors. Concurrent calls share one pass. Errors are logged per step.
   */
  tick(): Promise<void> {
    this.ticking ??= this.runTick().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /** Creates a manual DAG run (run_type manual, run_id `manual__<iso>` unless given). */
  triggerDagRun(req: TriggerDagRunRequest): Promise<CreatedDagRun> {
    return this.call('triggerDagRun', () => this.dagRuns.trigger(req));
  }

  /** Creates backfill runs for the intervals starting in [from, to] that have no run yet. */
  backfill(dagId: string, from: Date, to: Date, conf?: Record<string, unknown>): Promise<CreatedDagRun[]> {
    return this.call('backfill', () => this.dagRuns.backfill(dagId, from, to, conf));
  }

  // --- WorkerFacingEngine ---

  registerWorker(req: WorkerRegistration): Promise<Registered> {
    return this.call('RegisterWorker', () => this.workers.register(req));
  }

  heartbeat(req: WorkerHeartbeat): Promise<HeartbeatAnswer> {
    return this.call('Heartbeat', () => this.workers.heartbeat(req));
  }

  claimTask(req: ClaimRequest): Promise<ClaimedTask> {
    return this.call('ClaimTask', () => this.attempts.claim(req));
  }

  reportTaskResult(req: ResultReport): Promise<ReportAnswer> {
    return this.call('ReportTaskResult', () => this.attempts.finishReported(req.attempt, req.outcome, req.handoff === undefined ? null : { ...req.handoff, workerId: req.workerId }));
  }

  deregisterWorker(workerId: string): Promise<void> {
    return this.call('DeregisterWorker', () => this.workers.deregister(workerId));
  }

  fetchDagFile(fileHash: string): Promise<DagFile> {
    return this.call('FetchDagFile', () => this.workers.fetchDagFile(fileHash));
  }

  fetchBundle(req: BundleRequest): Promise<BundleAnswer> {
    return this.call('FetchBundle', () => this.workers.fetchBundle(req));
  }

  getConnection(req: TaskScopedRead): Promise<ConnectionAnswer> {
    return this.call('GetConnection', () => this.secrets.connection(req));
  }

  getVariable(req: TaskScopedRead): Promise<VariableAnswer> {
    return this.call('GetVariable', () => this.secrets.variable(req));
  }

  getXCom(req: XComRead): Promise<XComAnswer> {
    return this.call('GetXCom', () => this.xcom.get(req));
  }

  pushXCom(req: XComWrite): Promise<void> {
    return this.call('PushXCom', () => this.xcom.push(req));
  }

  // --- hooks for supervision ---

  /**
   * Ends a running attempt as if its worker had reported `outcome` (e.g. a zombie: success false),
   * with the same retry policy and downstream follow-up. STALE_ATTEMPT when it is not running.
   */
  endAttempt(ref: AttemptRef, outcome: AttemptOutcome): Promise<string> {
    return this.call('endAttempt', () => this.attempts.finish(ref, outcome));
  }

  /**
   * Looks at every task of a running run again (e.g. after a person cleared task instances in it):
   * queues what became ready, finishes the run when nothing is left. RUN_NOT_FOUND when unknown.
   */
  evaluateRun(dagId: string, runId: string): Promise<void> {
    return this.call('evaluateRun', async () => {
      const run = await dagRunsSql.findDagRun(this.o.pool, dagId, runId);
      if (run === null) throw new UpdraftError('RUN_NOT_FOUND', `DAG '${dagId}' has no run '${runId}'`);
      if (run.state !== 'running') return;
      this.runs.put(run);
      await this.evaluator.evaluate(run, 'all');
    });
  }

  /** Numbers for the monitor and tests. */
  stats(): { inFlight: number; unpublished: number; backlogged: number; runsToReevaluate: number; handedOff: number } {
    return { inFlight: this.inFlight.size, unpublished: this.publisher.pending, backlogged: this.publisher.backlogged, runsToReevaluate: this.dirty.size, handedOff: this.attempts.handedOff };
  }

  // --- internals ---

  private async runTick(): Promise<void> {
    const tickStart = performance.now();
    const step = async (name: string, fn: () => Promise<unknown>): Promise<void> => {
      const start = performance.now();
      try {
        await this.track(fn());
      } catch (err) {
        this.o.logger.error({ err, step: name }, 'scheduler tick step failed');
      }
      this.loopTimings.observe(name, performance.now() - start);
    };
    await step('plan changed DAGs', () => this.dagRuns.syncChangedDags());
    await step('create due runs', async () => {
      await this.dagRuns.scheduleDueDags();
      // Armed by the tick only (never by its own firing), so a clock that stands still cannot make it
      // spin; a DAG already due was just handled (or is blocked by max_active_runs until a run ends).
      const inMs = await this.dagRuns.msUntilNextDue();
      if (inMs > 0 && inMs < this.o.tickIntervalMs) this.dueRunsTimer.armIn(inMs);
    });
    await step('start queued runs', async () => {
      for (const dagId of await dagRunsSql.dagsWithQueuedRuns(this.o.pool)) await this.dagRuns.startRuns(dagId);
    });
    await step('queue due retries', () => this.dueTasks.run());
    await step('fire missed deadlines', () => this.runLimits.fireMissedDeadlines());
    await step('time out long runs', () => this.runLimits.timeOutRuns());
    // Asset events posted through the API (or whose run could not be created at once).
    await step('create asset-triggered runs', async () => {
      for (const dagId of await assetsSql.dagsWithQueuedAssetEvents(this.o.pool)) await this.dagRuns.createAssetRun(dagId);
    });
    // Places freed outside the report path (a pool grew, a task was cleared: both notify, which
    // runs a tick) go to waiting task instances here; nothing is read while none waits.
    await step('release waiting task instances', () => this.admission.sweep());
    await step('repair publishes', () => this.publisher.repair());
    await step('re-evaluate runs', () => this.reevaluate());
    // Requests a previous scheduler left (or that arrived while a drain was ending) run now.
    this.callbacks.wake();
    const now = this.o.clock();
    for (const s of this.o.supervisors) await step(s.name, () => s.run(now));
    this.loopTimings.observe('tick', performance.now() - tickStart);
    await this.loopTimings.flushIfDue();
  }

  private scheduleTick(): void {
    if (this.state !== 'running') return;
    this.tickTimer = setTimeout(() => {
      void this.tick().finally(() => this.scheduleTick());
    }, this.o.tickIntervalMs);
    this.tickTimer.unref();
  }

  /**
   * Evaluates whole the runs whose evaluation failed and the running runs in which a person cleared
   * or marked task instances (flagged in their row: their NOTIFY only brings this tick sooner).
   */
  private async reevaluate(): Promise<void> {
    for (const run of await dagRunsSql.takeRunsToEvaluate(this.o.pool)) this.dirty.set(run.dagRunId, run);
    for (const [id, run] of [...this.dirty]) {
      await this.evaluator.evaluate(run, 'all');
      this.dirty.delete(id);
    }
  }

  /** ANALYZE after a big run appeared (at most once a minute), unless the tables are much bigger; see analyzeTaskTablesIfOutgrown. */
  private refreshStatistics(newRows: number): void {
    if (Date.now() - this.statisticsRefreshedAt < 60_000) return;
    this.statisticsRefreshedAt = Date.now();
    this.background('refresh planner statistics', async () => {
      const analyzed = await dagRunsSql.analyzeTaskTablesIfOutgrown(this.o.pool, newRows);
      this.o.logger.debug({ newRows, analyzed }, 'planner statistics after a big run');
    });
  }

  /** Runs a public call: refused once stopping, tracked for stop(), driver errors as DB_ERROR. */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.state === 'stopping' || this.state === 'stopped') {
      throw new UpdraftError('RPC_ERROR', `${what}: the scheduler is shutting down; retry against the next one`);
    }
    try {
      return await this.track(fn());
    } catch (err) {
      throw asUpdraftError(err, what);
    }
  }

  /** Follow-up work that must not delay the caller; tracked for stop(), errors logged. */
  private background(what: string, fn: () => Promise<unknown>): void {
    if (this.state === 'stopping' || this.state === 'stopped') return;
    void this.track(fn()).catch((err: unknown) => this.o.logger.error({ err, what }, 'background work failed'));
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    void p.then(() => this.inFlight.delete(p), () => this.inFlight.delete(p));
    return p;
  }
}
