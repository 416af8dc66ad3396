/**
 * `d.triggerDagRun` tasks: the admission gate hands ready ones here instead of queueing them (they
 * run no code, so no worker takes them). Core's runTriggerTasks creates the runs and ends or
 * defers the tasks in one transaction; the triggered runs start through the NOTIFY it sends; the
 * triggering run is then evaluated with the tasks that ended, and a wait for completion arms the
 * timer of its timeout (the wait itself is resolved as sensors.externalTask's are).
 */
import { runTriggerTasks, type Logger, type RunKey, type TaskInstanceState } from '@updraft/core';
import type { SerializedTask } from '@updraft/sdk';
import type pg from 'pg';
import type { DagCache } from './dag-cache.js';
import type { RunRef } from './evaluator.js';
import type { RunCache } from './run-cache.js';

export interface TriggerTasksDeps {
  pool: pg.Pool;
  dags: DagCache;
  runs: RunCache;
  clock: () => Date;
  logger: Logger;
  /** Waits for triggered runs were created; the earliest times out in `ms`. */
  onWaits: (ms: number) => void;
  /** Evaluates the run again with these tasks ended (off the caller's path: it is evaluating that run). */
  evaluate: (run: RunRef, changed: ReadonlyMap<string, TaskInstanceState>) => void;
}

export class TriggerTasks {
  constructor(private readonly d: TriggerTasksDeps) {}

  /** Triggers the runs of these ready tasks of `run` (their `triggerDagRun` set). Throws on database errors: the tasks stay ready. */
  async trigger(run: RunKey, tasks: readonly Pick<SerializedTask, 'taskId' | 'triggerDagRun'>[]): Promise<void> {
    const context = await this.d.runs.get(run.dagId, run.runId);
    if (context === null) return;
    const compiled = await this.d.dags.forRun(run.dagId, context.dagHash);
    const ready = tasks.map((t) => compiled.tasks.get(t.taskId)).filter((t): t is SerializedTask => t?.triggerDagRun !== undefined);
    const result = await runTriggerTasks(this.d.pool, { run, dag: compiled.dag, tasks: ready, clock: this.d.clock });
    const changed = new Map<string, TaskInstanceState>();
    for (const o of result.outcomes) {
      this.d.logger.info({ dagId: run.dagId, runId: run.runId, taskId: o.taskId, state: o.state, triggered: o.triggered, error: o.error ?? undefined },
        o.triggered === null ? 'trigger task did not trigger a run' : 'trigger task triggered a DAG run');
      if (o.state !== 'deferred') changed.set(o.taskId, o.state);
    }
    if (result.waitTimeoutMs !== null) this.d.onWaits(result.waitTimeoutMs);
    if (changed.size > 0) this.d.evaluate({ ...run, dagHash: result.dagHash ?? context.dagHash }, changed);
  }
}
