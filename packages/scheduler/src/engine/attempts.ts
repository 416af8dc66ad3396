/**
 * The attempt lifecycle as workers drive it: claim (queued -> running, returns the rendered spec)
 * and finish (running -> success | up_for_retry | failed). Finishing evaluates the run's
 * downstream at once, in the same call: the event-driven hot path.
 */
import {
  attemptsSql,
  buildRunnableTask,
  alertsSql,
  callbacksSql,
  handoffsSql,
  controlDecision,
  isUpdraftError,
  keyText,
  messageOf,
  renderedFieldsOf,
  pokeInputOf,
  retryInputOf,
  taskInstancesSql,
  tryDetailsSql,
  taskTemplatesOf,
  UpdraftError,
  type AttemptRef,
  type Queryable,
  type QueuedAttempt,
  type TaskInstanceKey, type TaskInstanceState, type Logger } from '@updraft/core';
import { traceMark } from '@updraft/core/trace-marks';
import type { TriggerRule } from '@updraft/sdk';
import type { AttemptOutcome, ClaimedTask, ClaimRequest, HandoffOffer, ReportAnswer } from '../worker-facing.js';
import { taskMessageOf } from './attempt-publisher.js';
import type { Admission, Freed } from './admission.js';
import { Batcher } from './batching.js';
import type { CompiledDag, DagCache } from './dag-cache.js';
import type { HoldFilter, RunEvaluator, RunRef } from './evaluator.js';
import type { AttemptName } from './options.js';
import type { RunCache, RunContext } from './run-cache.js';
import { MappedItems, mappingSourceProblem } from './mapped-items.js';
import type { TaskSecrets } from './task-secrets.js';
import { xcomSizeProblem, type TaskXCom } from './task-xcom.js';

export interface AttemptsDeps {
  db: Queryable;
  dags: DagCache;
  runs: RunCache;
  evaluator: RunEvaluator;
  /** A task that ends frees its pool slots and its place under the DAG's limits. */
  admission: Admission;
  /** conn.* / var.* of the templates a claimed task renders. */
  secrets: TaskSecrets;
  /** XCom values the templates read, and core.max_xcom_size. */
  xcom: TaskXCom;
  /** core.max_map_length: a task mapped over may return at most this many elements. */
  maxMapLength: number;
  logger: Logger;
  logPath: (a: AttemptName) => string;
  /** logPath without the try number (prefix + number + suffix), when it has that shape: a finish statement may then claim a chain's next task. */
  logPathParts?: (key: TaskInstanceKey) => { prefix: string; suffix: string };
  /** A retry was scheduled `ms` from now (database clock). */
  onRetryScheduled: (ms: number) => void;
  /** Evaluating a run failed after a task ended: the caller re-evaluates it later. */
  onEvaluationFailed: (run: RunRef, err: unknown) => void;
  /** A callback request was recorded: run it soon. */
  onCallbackRequested: () => void;
  /** Alert outbox rows were recorded: send them soon. */
  onAlertRequested: () => void;
  /** Asset events were queued for these DAGs (scheduled on the assets): their runs may be due. */
  onAssetsUpdated: (dagIds: string[]) => void;
  /** Publishes queued attempts (a held one that could not be handed off). */
  publish: (attempts: readonly QueuedAttempt[]) => Promise<number>;
  /** Queued instances of wide runs not published yet (see publish-backlog.ts): the next one of a run, to hand off or publish. */
  backlog: {
    /** Whether instances of this run wait there. */
    has: (key: TaskInstanceKey) => boolean;
    take: (key: TaskInstanceKey, accept: HoldFilter) => QueuedAttempt | null;
    /** A published task instance of this run was claimed: publish the next waiting one. */
    claimed: (key: TaskInstanceKey) => Promise<void>;
  };
  /** Task instances of these DAGs were claimed or ended (committed): tell live pages (claims and finishes send no notification of their own). */
  announce: (dagIds: readonly string[]) => void;
}

/** The DAGs of the inputs whose write took effect (a non-null output). */
const dagsWritten = (inputs: ReadonlyArray<{ dagId: string }>, outputs: ReadonlyArray<unknown>): string[] =>
  inputs.filter((_, i) => outputs[i] !== null && outputs[i] !== undefined).map((x) => x.dagId);

/** A handoff offer with the worker that made it. */
export type WorkerOffer = HandoffOffer & { workerId: string };

/** Trigger rules that can decide before all upstream instances ended. */
const EARLY_RULES: ReadonlySet<TriggerRule> = new Set(['one_success', 'one_done', 'one_failed', 'always']);

export class Attempts {
  /** Concurrent claims and results are written in bulk (one statement per batch). */
  private readonly claims: Batcher<attemptsSql.ClaimInput, attemptsSql.ClaimedAttempt | null>;
  private readonly finishes: Batcher<attemptsSql.FinishInput, attemptsSql.FinishedAttempt | null>;
  /** What each claimed try rendered, for people to read (written in bulk, off the claim's path). */
  private readonly rendered: Batcher<AttemptRef & { fields: object | null; renderedMapIndex?: string }, undefined>;
  /** Whether a mapped task has another instance unfinished, asked by concurrent reports together. */
  private readonly unfinishedMapped: Batcher<taskInstancesSql.MappedTaskRef, boolean>;
  /** The items of mapped instances claimed. */
  private readonly items: MappedItems;
  /** Ready tasks handed to reporting workers (chain fast path) since start. */
  handedOff = 0;

  constructor(private readonly d: AttemptsDeps) {
    this.claims = new Batcher(async (inputs) => {
      const claimed = await attemptsSql.claimAttempts(d.db, inputs);
      d.announce(dagsWritten(inputs, claimed));
      return claimed;
    });
    this.finishes = new Batcher(async (inputs) => {
      for (const x of inputs) traceMark('scheduler.statement', x);
      const finished = await attemptsSql.finishAttempts(d.db, inputs);
      for (const x of inputs) traceMark('scheduler.statement-done', x);
      d.announce(dagsWritten(inputs, finished));
      return finished;
    });
    d.evaluator.finishesSettleFirst(() => this.finishes.settled());
    this.unfinishedMapped = new Batcher((inputs) => taskInstancesSql.mappedUnfinished(d.db, inputs));
    this.items = new MappedItems(d.db);
    this.rendered = new Batcher(async (inputs) => {
      await tryDetailsSql.recordRenderedFields(d.db, inputs);
      return inputs.map(() => undefined);
    });
  }

  /** A worker's claim of a message it fetched (`handedOff`: an attempt claimed for a reporting worker instead). */
  async claim(req: ClaimRequest, handedOff = false): Promise<ClaimedTask> {
    const key = req.attempt;
    const logPath = this.d.logPath(key);
    const claimed = await this.claims.submit({ ...key, workerId: req.workerId, hostname: req.hostname, logPath });
    if (claimed === null) throw await this.refusal(key, key.tryNumber, key.attemptToken, 'claim');
    // A published task of a run with a backlog is taken: the next waiting one goes out in its place.
    if (!handedOff) void this.d.backlog.claimed(key);
    return this.claimedTask(key, claimed, logPath, true);
  }

  /**
   * What a claimed attempt runs. `first`: the claim was just made (onExecute callbacks and alerts
   * are requested, the rendered fields recorded); false when a lost answer is given again.
   */
  private async claimedTask(key: AttemptRef, claimed: attemptsSql.ClaimedAttempt, logPath: string, first: boolean): Promise<ClaimedTask> {
    const run: RunContext = {
      dagRunId: claimed.dagRunId, dagId: key.dagId, runId: key.runId, runType: claimed.runType as RunContext['runType'],
      logicalDate: claimed.logicalDate, dataIntervalStart: claimed.dataIntervalStart ?? claimed.logicalDate,
      dataIntervalEnd: claimed.dataIntervalEnd ?? claimed.logicalDate, conf: claimed.conf, dagHash: claimed.dagHash,
    };
    this.d.runs.put(run);
    try {
      const compiled = this.d.dags.cached(run.dagHash) ?? await this.d.dags.forRun(key.dagId, run.dagHash);
      const task = compiled.tasks.get(key.taskId);
      if (task === undefined) throw new UpdraftError('TASK_NOT_FOUND', `task '${key.taskId}' is no longer in DAG '${key.dagId}'`);
      const callback = task.callbacks?.includes('onExecute') === true;
      const alerts = alertsSql.alertRequestsOf(task.alerts, ['onExecute']);
      if (first && (callback || alerts.length > 0)) {
        await callbacksSql.requestTaskCallback(this.d.db, { ...key, event: 'onExecute' }, { callback, alerts });
        if (callback) this.d.onCallbackRequested();
        if (alerts.length > 0) this.d.onAlertRequested();
      }
      const secrets = await this.d.secrets.forTemplates(task);
      const xcom = await this.d.xcom.forTemplates(key, taskTemplatesOf(task), `DAG '${key.dagId}' task '${key.taskId}'`);
      const previousSuccess = await this.d.runs.previousSuccess(run);
      const triggeringAssetEvents = run.runType === 'asset_triggered' ? await this.d.runs.triggeringAssetEvents(run) : null;
      const itemJson = await this.items.itemOf(compiled, task, key);
      const runnable = buildRunnableTask({ dag: compiled.dag, taskId: key.taskId, run: { ...run, previousSuccess, triggeringAssetEvents }, mapIndex: key.mapIndex,
        tryNumber: key.tryNumber, maxTries: claimed.maxTries, secrets, xcom, maxXcomSize: this.d.xcom.maxBytes, itemJson, bundleVersion: claimed.bundleVersion }, task);
      const fields = renderedFieldsOf(runnable);
      const { renderedMapIndex } = runnable;
      if (first && (fields !== null || renderedMapIndex !== undefined)) {
        // Not awaited: the worker need not wait for a record that is only for people to read.
        this.rendered.submit({ ...key, fields, ...(renderedMapIndex === undefined ? {} : { renderedMapIndex }) }).catch((err: unknown) => this.d.logger.warn({ err, task: keyText(key), tryNumber: key.tryNumber }, 'could not record the rendered fields of a try'));
      }
      return { ...runnable, logPath };
    } catch (err) {
      // The attempt is ours and cannot start: end it as a failed try so it retries or fails visibly.
      const message = messageOf(err);
      this.d.logger.warn({ err, task: keyText(key), tryNumber: key.tryNumber }, 'claimed attempt cannot start');
      await this.finish(key, { success: false, exitCode: -1, error: `could not start: ${message}`, durationMs: 0, returnValueJson: null });
      throw new UpdraftError('STALE_ATTEMPT', `attempt ${keyText(key)} try ${key.tryNumber} failed before it started: ${message}`, { cause: err });
    }
  }

  /**
   * Ends a running attempt with `outcome` (compare-and-set on try and token), then at once queues
   * and publishes the downstream tasks that became ready. Also the hook for supervision (zombies).
   */
  async finish(ref: AttemptRef, reported: AttemptOutcome): Promise<attemptsSql.FinishedAttempt['state']> {
    return (await this.end(ref, reported, null)).state;
  }

  /**
   * A worker's report: `finish`, and with an offer, the chain fast path: one ready downstream task
   * of the offered queues is not published but claimed here for the reporting worker (the same
   * compare-and-set as its ClaimTask would be) and returned with what to run. The database still
   * decides: a claim refused leaves nothing to run; a claim that fails otherwise publishes the task.
   * A chain's next task may even be claimed by the finish statement itself (FinishInput.chainClaim).
   */
  async finishReported(ref: AttemptRef, reported: AttemptOutcome, offer: WorkerOffer | null): Promise<ReportAnswer> {
    let ended: Awaited<ReturnType<Attempts['end']>>;
    try {
      ended = await this.end(ref, reported, offer);
    } catch (err) {
      const replay = reported.success && isUpdraftError(err, 'STALE_ATTEMPT') ? await this.replayedSuccess(ref, offer) : null;
      if (replay === null) throw err;
      return replay;
    }
    const { state, held, chained } = ended;
    if (chained !== null) {
      try {
        const claim = await this.claimedTask(chained.attempt, chained.claimed, chained.logPath, true);
        this.handedOff += 1;
        return { state, handoff: { message: taskMessageOf(chained.attempt), claim } };
      } catch (err) {
        // It could not start and ended as a failed try (claimedTask); anything else leaves it to zombie detection.
        if (!isRefusal(err)) this.d.logger.warn({ err, task: keyText(chained.attempt), tryNumber: chained.attempt.tryNumber }, 'handing off a chained task failed');
        return { state, handoff: null };
      }
    }
    if (held === null || offer === null) return { state, handoff: null };
    try {
      const claim = await this.claim({ attempt: held, workerId: offer.workerId, hostname: offer.hostname }, true);
      this.handedOff += 1;
      return { state, handoff: { message: taskMessageOf(held), claim } };
    } catch (err) {
      if (!isRefusal(err)) {
        this.d.logger.warn({ err, task: keyText(held), tryNumber: held.tryNumber }, 'handing off a ready task failed: published instead');
        await this.d.publish([held]);
      }
      return { state, handoff: null };
    }
  }

  /**
   * A success reported again (its answer was lost): the same answer, with the task that answer
   * handed off when there is one; null when the try did not end as this success.
   */
  private async replayedSuccess(ref: AttemptRef, offer: WorkerOffer | null): Promise<ReportAnswer | null> {
    const run = await this.d.runs.get(ref.dagId, ref.runId);
    const compiled = run === null ? undefined : this.d.dags.cached(run.dagHash) ?? await this.d.dags.forRun(ref.dagId, run.dagHash);
    const downstream = compiled?.tasks.get(ref.taskId)?.downstream ?? [];
    const replay = await handoffsSql.replayedSuccess(this.d.db, ref, offer?.workerId ?? null, downstream);
    if (replay === null) return null;
    const h = replay.handedOff;
    this.d.logger.info({ task: keyText(ref), tryNumber: ref.tryNumber, handedOff: h === null ? null : keyText(h.attempt) }, 'a success was reported again: its answer is given again');
    if (h === null) return { state: 'success', handoff: null };
    const claim = await this.claimedTask(h.attempt, h.claimed, this.d.logPath(h.attempt), false);
    return { state: 'success', handoff: { message: taskMessageOf(h.attempt), claim } };
  }

  /** Records a try's end and follows it up; meanwhile the tick's release of every pool waits for it (Admission.whileFinishing). */
  private end(ref: AttemptRef, reported: AttemptOutcome, offer: WorkerOffer | null): Promise<Ended> {
    return this.d.admission.whileFinishing(() => this.recordEnd(ref, reported, offer));
  }

  private async recordEnd(ref: AttemptRef, reported: AttemptOutcome, offer: WorkerOffer | null): Promise<Ended> {
    let hold: HoldFilter | undefined = offer === null || offer.queues.length === 0 ? undefined : (a: QueuedAttempt): boolean => offer.queues.includes(a.queue);
    let outcome = this.withinXComSize(reported);
    const run = await this.d.runs.get(ref.dagId, ref.runId);
    if (run === null) throw new UpdraftError('TASK_NOT_FOUND', `task instance ${keyText(ref)} not found: no such DAG run`);
    const compiled = this.d.dags.cached(run.dagHash) ?? await this.d.dags.forRun(ref.dagId, run.dagHash);
    const task = compiled.tasks.get(ref.taskId);
    // A task mapped over must return an array within core.max_map_length (Airflow fails the task that pushed it).
    const mappedBy = compiled.mappingSources.get(ref.taskId);
    if (outcome.success && mappedBy !== undefined) {
      const problem = mappingSourceProblem(outcome.returnValueJson, mappedBy, this.d.maxMapLength);
      if (problem !== undefined) outcome = { ...outcome, success: false, error: problem, returnValueJson: null };
    }
    // A branch's (or short-circuit's) success carries what it skips; a choice that is not valid fails it.
    let skipTaskIds: string[] = [];
    // A poke's outcome from a task that is no sensor (or in poke mode) is a failure: nothing would wake it.
    if (outcome.kind === 'reschedule' && task?.sensor?.mode !== 'reschedule') {
      outcome = { success: false, exitCode: outcome.exitCode, error: 'asked to be rescheduled, but the task is no reschedule-mode sensor', durationMs: outcome.durationMs, returnValueJson: null };
    }
    if (outcome.success && task?.control !== undefined) {
      const decision = controlDecision(task, compiled.tasks, outcome.returnValueJson, compiled.dag.taskGroups);
      if ('error' in decision) outcome = { ...outcome, success: false, error: decision.error };
      else skipTaskIds = decision.skip;
    }
    const callbacks = (task?.callbacks ?? []).filter((e): e is 'onSuccess' | 'onRetry' | 'onFailure' => e !== 'onExecute');
    const alerts = alertsSql.alertRequestsOf(task?.alerts, ['onSuccess', 'onRetry', 'onFailure']);
    const sensor = outcome.kind === 'reschedule' ? task?.sensor : undefined;
    // A success whose only downstream is a wide join: the finish statement also says whether the join still waits.
    const joinOthers = outcome.success && outcome.kind === undefined && skipTaskIds.length === 0 && ref.mapIndex < 0
      ? this.d.evaluator.joinOthers(compiled, ref.taskId) : null;
    const chainClaim = hold === undefined || !outcome.success || outcome.kind !== undefined || skipTaskIds.length > 0 || ref.mapIndex >= 0
      ? undefined : this.chainClaim(ref, compiled, offer!);
    // Otherwise the slot goes to the next task instance of the run not published yet, if any: the
    // finish statement claims it too (then no task the evaluation queues is held for the worker).
    const next = hold === undefined || chainClaim !== undefined ? null : this.d.backlog.take(ref, hold);
    const backlogClaim = next === null ? undefined : { attempt: next, workerId: offer!.workerId, hostname: offer!.hostname, logPath: this.d.logPath(next) };
    if (next !== null) hold = undefined;
    let finished: attemptsSql.FinishedAttempt | null;
    try {
      finished = await this.finishes.submit({
        ...ref, ...outcome, skipTaskIds, callbacks, alerts, outlets: task?.outlets, aliasEvents: this.aliasEventsOf(ref, task, outcome),
        ...(task === undefined ? { retryDelayMs: 0 } : sensor !== undefined ? pokeInputOf(sensor, task.retries) : retryInputOf(task)),
        ...(sensor === undefined ? {} : { sensor: { timeoutMs: sensor.timeoutMs, softFail: sensor.softFail } }),
        ...(joinOthers === null ? {} : { joinOthers }),
        ...(chainClaim === undefined ? {} : { chainClaim }),
        ...(backlogClaim === undefined ? {} : { backlogClaim }),
      });
    } catch (err) {
      // Not handed off after all: out to the queue with it (the backlog no longer has it).
      if (next !== null) await this.d.publish([next]);
      throw err;
    }
    if (finished === null) {
      if (next !== null) await this.d.publish([next]);
      throw await this.refusal(ref, ref.tryNumber, ref.attemptToken, 'report');
    }
    const chained = finished.chainClaimed;
    // Claimed for the worker by the finish statement (null: it was no longer queued with its token; nothing to do).
    const taken = finished.backlogClaimed;
    // A source mapped over ended a try: a later try's array is read again.
    if (mappedBy !== undefined && ref.mapIndex < 0) this.items.forget(ref);
    if (callbacks.length > 0) this.d.onCallbackRequested();
    if (alerts.length > 0) this.d.onAlertRequested();
    // The slots it held are free: waiting task instances of its pool and DAG may go (no reads while
    // none waits). When the run is evaluated, with the tasks this end made ready (see AfterFinish.freed).
    const freed: Freed = task === undefined ? 'all' : { pools: [task.pool], dags: [ref.dagId] };
    const release = (): Promise<void> => this.d.admission.release(freed);
    if (finished.state === 'up_for_retry' || finished.state === 'up_for_reschedule') {
      this.d.onRetryScheduled(finished.retryInMs ?? 0);
      await release();
      return { state: finished.state, held: null, chained: taken };
    }
    // The success recorded its asset events in the same statement: DAGs scheduled on them may get a run.
    if (finished.assetQueuedDagIds.length > 0) this.d.onAssetsUpdated(finished.assetQueuedDagIds);
    const runRef: RunRef = { dagRunId: finished.dagRunId, dagId: ref.dagId, runId: ref.runId, dagHash: run.dagHash };
    // The finish statement queued (claimed) the only task this success made ready: nothing to plan.
    if (chained !== null) {
      this.d.evaluator.chainClaimed(runRef);
      await release();
      return { state: finished.state, held: null, chained };
    }
    // A mapped instance that succeeded while its siblings still run decides nothing downstream
    // (unless a downstream task waits for one success only): skip the evaluation. A sibling queued
    // or running at the finish is known from the finish statement; otherwise one more read asks.
    if (ref.mapIndex >= 0 && finished.state === 'success' && !(task?.downstream ?? []).some((d) => EARLY_RULES.has(compiled.tasks.get(d)?.triggerRule ?? 'all_success'))
      && (finished.siblingsGoOn || await this.unfinishedMapped.submit({ dagId: ref.dagId, runId: ref.runId, taskId: ref.taskId }))) {
      await release();
      return { state: finished.state, held: null, chained: taken };
    }
    let held: QueuedAttempt | null = null;
    try {
      const changed = new Map<string, TaskInstanceState>([[ref.taskId, finished.state]]);
      if (finished.state === 'success') for (const id of skipTaskIds) changed.set(id, 'skipped');
      const evaluated = await this.d.evaluator.evaluate(runRef, changed, { hold, runGoesOn: finished.runGoesOn, joinWaitsOn: finished.joinWaitsOn, freed });
      held = evaluated.held;
    } catch (err) {
      // The result is stored; only the follow-up failed. Never refuse the report for that.
      this.d.onEvaluationFailed(runRef, err);
      await release();
    }
    return { state: finished.state, held, chained: taken };
  }

  /**
   * The asset events a success added through aliases its task declares among its outlets (the
   * version of the DAG the try ran); one through another alias is dropped with a warning (the
   * runner refuses them, so only a worker that skipped that check sends one).
   */
  private aliasEventsOf(ref: AttemptRef, task: { outletAliases?: string[] } | undefined, outcome: AttemptOutcome): AttemptOutcome['aliasEvents'] {
    const events = outcome.success && outcome.kind === undefined ? outcome.aliasEvents : undefined;
    if (events === undefined || events.length === 0) return undefined;
    const declared = new Set(task?.outletAliases ?? []);
    const kept = events.filter((e) => declared.has(e.alias));
    if (kept.length < events.length) {
      const dropped = [...new Set(events.filter((e) => !declared.has(e.alias)).map((e) => e.alias))];
      this.d.logger.warn({ task: keyText(ref), tryNumber: ref.tryNumber, aliases: dropped }, 'asset events added through aliases the task does not declare among its outlets were dropped');
    }
    return kept.length === 0 ? undefined : kept;
  }

  /**
   * What a finish statement should claim for the offering worker after this success: the task's
   * chain successor (RunEvaluator.chainNext) when it runs on an offered queue, nothing waits for a
   * place (the gate's cheap path would queue it), and no instance of the run waits in the publish
   * backlog (which gets the slot first). Undefined otherwise.
   */
  private chainClaim(ref: AttemptRef, compiled: CompiledDag, offer: WorkerOffer): attemptsSql.ChainClaimInput | undefined {
    const parts = this.d.logPathParts;
    if (parts === undefined || this.d.admission.mayWait) return undefined;
    const next = this.d.evaluator.chainNext(compiled, ref.taskId);
    if (next === null || !offer.queues.includes(next.queue) || this.d.backlog.has(ref)) return undefined;
    const { prefix, suffix } = parts({ dagId: ref.dagId, runId: ref.runId, taskId: next.taskId, mapIndex: -1 });
    return { taskId: next.taskId, queue: next.queue, workerId: offer.workerId, hostname: offer.hostname, logPrefix: prefix, logSuffix: suffix };
  }

  /** A success whose return value is over core.max_xcom_size is a failure with the reason (nothing is stored). */
  private withinXComSize(o: AttemptOutcome): AttemptOutcome {
    const problem = o.success && o.returnValueJson !== null
      ? xcomSizeProblem(o.returnValueJson, this.d.xcom.maxBytes, "the task's return value") : undefined;
    return problem === undefined ? o : { ...o, success: false, exitCode: o.exitCode, error: `${problem}; it was not stored`, returnValueJson: null };
  }

  /** Why an attempt was refused: TASK_NOT_FOUND or STALE_ATTEMPT with the current attempt. */
  private async refusal(key: TaskInstanceKey, tryNumber: number, token: string, action: 'claim' | 'report'): Promise<UpdraftError> {
    const cur = await taskInstancesSql.currentAttempt(this.d.db, key);
    if (cur === null) return new UpdraftError('TASK_NOT_FOUND', `task instance ${keyText(key)} not found`);
    const sameToken = cur.attemptToken !== null && cur.attemptToken.toLowerCase() === token.toLowerCase();
    return new UpdraftError('STALE_ATTEMPT',
      `${action} refused for ${keyText(key)} try ${tryNumber}: the task instance is ${cur.state} on try ${cur.tryNumber}` +
      (cur.tryNumber === tryNumber && !sameToken ? ' with another attempt token' : ''));
  }
}

/**
 * How a finish ended: its state, a ready task kept back for the reporting worker, or one its
 * statement claimed for it (the chain's next task, or the run's next instance from the backlog).
 */
interface Ended {
  state: attemptsSql.FinishedAttempt['state'];
  held: QueuedAttempt | null;
  chained: attemptsSql.FinishedAttempt['chainClaimed'];
}

export const isRefusal = (err: unknown): boolean => isUpdraftError(err, 'STALE_ATTEMPT') || isUpdraftError(err, 'TASK_NOT_FOUND');
