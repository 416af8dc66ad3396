/**
 * Tasks the scheduler ends itself (they run no code, so no worker takes them); the admission gate
 * hands ready ones here instead of queueing them:
 * - `d.triggerDagRun`: core's runTriggerTasks creates the runs and ends or defers the tasks in one
 *   transaction; the triggered runs start through the NOTIFY it sends; a wait for completion arms
 *   the timer of its timeout (the wait itself is resolved as sensors.externalTask's are); a
 *   failure with tries left arms the retry timer (the retry comes back here through the run's evaluation);
 * - `d.latestOnly`: core's runLatestOnlyTasks ends them and skips their direct downstream tasks
 *   in a run that is not the latest;
 * - `d.empty` (task-start.ts's endsAsNoOp): core's endEmptyTasks marks them success.
 * The run is then evaluated again with the tasks that ended.
 */
import { endEmptyTasks, runLatestOnlyTasks, runTriggerTasks, type Logger, type RunKey, type SecretsContext, type TaskInstanceState } from '@updraft/core';
import type { SerializedTask } from '@updraft/sdk';
import type pg from 'pg';
import type { DagCache } from './dag-cache.js';
import type { RunRef } from './evaluator.js';
import type { RunCache } from './run-cache.js';
import { endsAsNoOp } from './task-start.js';

export interface SchedulerTasksDeps {
  pool: pg.Pool;
  dags: DagCache;
  runs: RunCache;
  clock: () => Date;
  logger: Logger;
  /** Where trigger tasks' `{{ var.* }}` templates are read. */
  secrets: SecretsContext;
  /** Waits for triggered runs were created; the earliest times out in `ms`. */
  onWaits: (ms: number) => void;
  /** Tasks failed with tries left: the earliest retry is due in `ms`. */
  onRetryScheduled: (ms: number) => void;
  /** Ends recorded callback requests or alerts. */
  onEffects: (callbacks: boolean, alerts: boolean) => void;
  /** Evaluates the run again with these tasks ended (off the caller's path: it is evaluating that run). */
  evaluate: (run: RunRef, changed: ReadonlyMap<string, TaskInstanceState>) => void;
}

export class SchedulerTasks {
  constructor(private readonly d: SchedulerTasksDeps) {}

  /** Does what these ready tasks of `run` do. Throws on database errors: the tasks stay ready. */
  async run(run: RunKey, tasks: readonly Pick<SerializedTask, 'taskId'>[]): Promise<void> {
    const context = await this.d.runs.get(run.dagId, run.runId, run.dagRunId);
    if (context === null) return;
    const compiled = await this.d.dags.forRun(run.dagId, context.dagHash);
    const ready = tasks.map((t) => compiled.tasks.get(t.taskId)).filter((t): t is SerializedTask => t !== undefined);
    const changed = new Map<string, TaskInstanceState>();
    let dagHash = context.dagHash;
    const triggers = ready.filter((t) => t.triggerDagRun !== undefined);
    if (triggers.length > 0) {
      const result = await runTriggerTasks(this.d.pool, { run, dag: compiled.dag, tasks: triggers, clock: this.d.clock, secrets: this.d.secrets });
      for (const o of result.outcomes) {
        this.d.logger.info({ dagId: run.dagId, runId: run.runId, taskId: o.taskId, state: o.state, triggered: o.triggered, error: o.error ?? undefined },
          o.triggered === null ? 'trigger task did not trigger a run' : 'trigger task triggered a DAG run');
        if (o.state !== 'deferred' && o.state !== 'up_for_retry') changed.set(o.taskId, o.state);
      }
      if (result.waitTimeoutMs !== null) this.d.onWaits(result.waitTimeoutMs);
      if (result.retryInMs !== null) this.d.onRetryScheduled(result.retryInMs);
      dagHash = result.dagHash ?? dagHash;
    }
    const latestOnly = ready.filter((t) => t.latestOnly === true);
    if (latestOnly.length > 0) {
      const result = await runLatestOnlyTasks(this.d.pool, { run, dag: compiled.dag, tasks: latestOnly, now: this.d.clock() });
      for (const o of result.outcomes) {
        this.d.logger.info({ dagId: run.dagId, runId: run.runId, taskId: o.taskId, latest: o.latest, skipped: o.skipped }, `latest only: ${o.reason}`);
        changed.set(o.taskId, 'success');
        for (const t of o.skipped) changed.set(t, 'skipped');
      }
      dagHash = result.dagHash ?? dagHash;
    }
    const empties = ready.filter(endsAsNoOp);
    if (empties.length > 0) {
      for (const taskId of await endEmptyTasks(this.d.pool, run, empties)) changed.set(taskId, 'success');
    }
    // Their ends recorded the callbacks and alerts their definitions have (the ends of a deferral record none yet: no harm in waking).
    const callbacks = ready.some((t) => (t.callbacks?.length ?? 0) > 0);
    const alerts = ready.some((t) => Object.keys(t.alerts ?? {}).length > 0);
    if (callbacks || alerts) this.d.onEffects(callbacks, alerts);
    if (changed.size > 0) this.d.evaluate({ ...run, dagHash }, changed);
  }
}
