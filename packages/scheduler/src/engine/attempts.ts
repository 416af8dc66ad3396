/**
 * The attempt lifecycle as workers drive it: claim (queued -> running, returns the rendered spec)
 * and finish (running -> success | up_for_retry | failed). Finishing evaluates the run's
 * downstream at once, in the same call: the event-driven hot path.
 */
import {
  attemptsSql,
  buildRunnableTask,
  controlDecision,
  isUpdraftError,
  keyText,
  messageOf,
  retryDelayMs,
  taskInstancesSql,
  taskTemplatesOf,
  UpdraftError,
  type AttemptRef,
  type Queryable,
  type TaskInstanceKey, type TaskInstanceState, type Logger } from '@updraft/core';
import type { AttemptOutcome, ClaimedTask, ClaimRequest } from '../worker-facing.js';
import { Batcher } from './batching.js';
import type { DagCache } from './dag-cache.js';
import type { RunEvaluator, RunRef } from './evaluator.js';
import type { AttemptName } from './options.js';
import type { RunCache, RunContext } from './run-cache.js';
import type { TaskSecrets } from './task-secrets.js';
import { xcomSizeProblem, type TaskXCom } from './task-xcom.js';

export interface AttemptsDeps {
  db: Queryable;
  dags: DagCache;
  runs: RunCache;
  evaluator: RunEvaluator;
  /** conn.* / var.* of the templates a claimed task renders. */
  secrets: TaskSecrets;
  /** XCom values the templates read, and core.max_xcom_size. */
  xcom: TaskXCom;
  logger: Logger;
  logPath: (a: AttemptName) => string;
  /** A retry was scheduled `ms` from now (database clock). */
  onRetryScheduled: (ms: number) => void;
  /** Evaluating a run failed after a task ended: the caller re-evaluates it later. */
  onEvaluationFailed: (run: RunRef, err: unknown) => void;
}

export class Attempts {
  /** Concurrent claims and results are written in bulk (one statement per batch). */
  private readonly claims: Batcher<attemptsSql.ClaimInput, attemptsSql.ClaimedAttempt | null>;
  private readonly finishes: Batcher<attemptsSql.FinishInput, attemptsSql.FinishedAttempt | null>;

  constructor(private readonly d: AttemptsDeps) {
    this.claims = new Batcher((inputs) => attemptsSql.claimAttempts(d.db, inputs));
    this.finishes = new Batcher((inputs) => attemptsSql.finishAttempts(d.db, inputs));
  }

  async claim(req: ClaimRequest): Promise<ClaimedTask> {
    const key = req.attempt;
    const logPath = this.d.logPath(key);
    const claimed = await this.claims.submit({ ...key, workerId: req.workerId, hostname: req.hostname, logPath });
    if (claimed === null) throw await this.refusal(key, key.tryNumber, key.attemptToken, 'claim');
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
      const secrets = await this.d.secrets.forTemplates(task);
      const xcom = await this.d.xcom.forTemplates(key, taskTemplatesOf(task), `DAG '${key.dagId}' task '${key.taskId}'`);
      const previousSuccess = await this.d.runs.previousSuccess(run);
      const runnable = buildRunnableTask({ dag: compiled.dag, taskId: key.taskId, run: { ...run, previousSuccess }, mapIndex: key.mapIndex,
        tryNumber: key.tryNumber, maxTries: claimed.maxTries, secrets, xcom, maxXcomSize: this.d.xcom.maxBytes }, task);
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
    let outcome = this.withinXComSize(reported);
    const run = await this.d.runs.get(ref.dagId, ref.runId);
    if (run === null) throw new UpdraftError('TASK_NOT_FOUND', `task instance ${keyText(ref)} not found: no such DAG run`);
    const compiled = this.d.dags.cached(run.dagHash) ?? await this.d.dags.forRun(ref.dagId, run.dagHash);
    const task = compiled.tasks.get(ref.taskId);
    // A branch's (or short-circuit's) success carries what it skips; a choice that is not valid fails it.
    let skipTaskIds: string[] = [];
    if (outcome.success && task?.control !== undefined) {
      const decision = controlDecision(task, compiled.tasks, outcome.returnValueJson, compiled.dag.taskGroups);
      if ('error' in decision) outcome = { ...outcome, success: false, error: decision.error };
      else skipTaskIds = decision.skip;
    }
    const finished = await this.finishes.submit({
      ...ref, ...outcome, retryDelayMs: task === undefined ? 0 : retryDelayMs(task, ref.tryNumber), skipTaskIds,
    });
    if (finished === null) throw await this.refusal(ref, ref.tryNumber, ref.attemptToken, 'report');
    if (finished.state === 'up_for_retry') {
      this.d.onRetryScheduled(finished.retryInMs ?? 0);
      return finished.state;
    }
    const runRef: RunRef = { dagRunId: finished.dagRunId, dagId: ref.dagId, runId: ref.runId, dagHash: run.dagHash };
    try {
      const changed = new Map<string, TaskInstanceState>([[ref.taskId, finished.state]]);
      if (finished.state === 'success') for (const id of skipTaskIds) changed.set(id, 'skipped');
      await this.d.evaluator.evaluate(runRef, changed);
    } catch (err) {
      // The result is stored; only the follow-up failed. Never refuse the report for that.
      this.d.onEvaluationFailed(runRef, err);
    }
    return finished.state;
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

export const isRefusal = (err: unknown): boolean => isUpdraftError(err, 'STALE_ATTEMPT') || isUpdraftError(err, 'TASK_NOT_FOUND');
