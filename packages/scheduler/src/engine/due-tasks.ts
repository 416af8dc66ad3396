/**
 * Task instances whose time came, looked at when the retry timer fires and on every tick:
 * - retries and sensor pokes that are due: to scheduled and through the admission gate, or, when
 *   no worker made the try that failed (a trigger task, a wait for another DAG), back to none and
 *   through their run's evaluation, which sends each where its kind goes;
 * - deferred waits whose time came end success (with the task's onSuccess callbacks and alerts),
 *   and their runs go on;
 * - waits for other DAGs' tasks: timeouts, and states set outside the scheduler.
 * Then the timer is armed for the earliest one left.
 */
import { deferredSql, taskInstancesSql, type TaskInstanceState } from '@updraft/core';
import type pg from 'pg';
import type { Admission } from './admission.js';
import type { DagCache } from './dag-cache.js';
import { withEndEffects } from './end-effects.js';
import type { RunEvaluator, RunRef } from './evaluator.js';
import type { ExternalWaits } from './external-waits.js';

export interface DueTasksDeps {
  pool: pg.Pool;
  /** Rows per statement (the engine's retryBatchSize). */
  batchSize: number;
  admission: Admission;
  dags: DagCache;
  evaluator: () => RunEvaluator;
  externalWaits: () => ExternalWaits;
  /** A run whose evaluation failed: the engine logs it and evaluates it again on its tick. */
  onEvaluationFailed: (run: RunRef, err: unknown) => void;
  /** The next one is due in `ms`. */
  armIn: (ms: number) => void;
  /** Ends recorded callback requests or alerts. */
  onEffects: (callbacks: boolean, alerts: boolean) => void;
}

export class DueTasks {
  constructor(private readonly d: DueTasksDeps) {}

  async run(): Promise<void> {
    for (;;) {
      const due = await taskInstancesSql.scheduleDueRetries(this.d.pool, this.d.batchSize);
      const waiting = due.filter((r) => !r.evaluate);
      if (waiting.length > 0) {
        await this.d.admission.release({ pools: [...new Set(waiting.map((r) => r.pool))], dags: [...new Set(waiting.map((r) => r.dagId))] }, true);
      }
      for (const run of new Map(due.filter((r) => r.evaluate).map((r) => [r.dagRunId, r])).values()) await this.evaluate(run, 'all');
      if (due.length < this.d.batchSize) break;
    }
    for (;;) {
      // Decided by a read (most passes find none: no transaction), ended by one statement that
      // records the tasks' onSuccess callbacks and alerts with each success it makes.
      const due = await deferredSql.dueDeferred(this.d.pool, this.d.batchSize);
      if (due.length === 0) break;
      const { ends, callbacks, alerts } = await withEndEffects(this.d.dags, due);
      const woken = await deferredSql.endDueDeferred(this.d.pool, ends);
      if (woken.length > 0 && (callbacks || alerts)) this.d.onEffects(callbacks, alerts);
      const runs = new Map<string, { run: RunRef; changed: Map<string, TaskInstanceState> }>();
      for (const w of woken) {
        const entry = runs.get(w.dagRunId) ?? { run: { dagRunId: w.dagRunId, dagId: w.dagId, runId: w.runId, dagHash: w.dagHash }, changed: new Map() };
        entry.changed.set(w.taskId, 'success');
        runs.set(w.dagRunId, entry);
      }
      for (const { run, changed } of runs.values()) await this.evaluate(run, changed);
      if (due.length < this.d.batchSize) break;
    }
    await this.d.externalWaits().resolveAll();
    const ms = await taskInstancesSql.msUntilNextRetry(this.d.pool);
    if (ms !== null) this.d.armIn(ms);
  }

  private evaluate(run: RunRef, changed: ReadonlyMap<string, TaskInstanceState> | 'all'): Promise<unknown> {
    return this.d.evaluator().evaluate(run, changed).catch((err: unknown) => this.d.onEvaluationFailed(run, err));
  }
}
