/**
 * Readiness evaluation of one DAG run: reads the states it needs, plans with the trigger rules,
 * applies the plan with compare-and-set statements, publishes what it queued, and finishes the run
 * when nothing is left. Called when a run starts (all tasks) and when a task ends (its downstream
 * only: the hot path costs one read, one write and the publishes).
 */
import {
  finishDagRunIfDone,
  markNotRun,
  planReadiness,
  queueTasks,
  taskStates,
  type Queryable,
  type ReadinessPlan,
  type TaskInstanceState,
} from '@updraft/core';
import type { AttemptPublisher } from './attempt-publisher.js';
import type { CompiledDag, DagCache } from './dag-cache.js';

export interface RunRef {
  dagRunId: string;
  dagId: string;
  runId: string;
  dagHash: string | null;
}

export interface EvaluationResult {
  queued: number;
  /** The run's final state when this evaluation finished it. */
  finished: 'success' | 'failed' | null;
}

export class RunEvaluator {
  constructor(
    private readonly db: Queryable,
    private readonly dags: DagCache,
    private readonly publisher: AttemptPublisher,
  ) {}

  /**
   * `changed`: tasks that just reached a finished state (their downstream is looked at), or 'all'
   * to look at every task of the run.
   */
  async evaluate(run: RunRef, changed: readonly string[] | 'all'): Promise<EvaluationResult> {
    const compiled = await this.dags.forRun(run.dagId, run.dagHash);
    const plan = changed === 'all' ? await this.planAll(run, compiled) : await this.planDownstream(run, compiled, changed);
    const [, , , queued] = await Promise.all([
      markNotRun(this.db, run.dagRunId, plan.remove, 'removed'),
      markNotRun(this.db, run.dagRunId, plan.upstreamFailed, 'upstream_failed'),
      markNotRun(this.db, run.dagRunId, plan.skip, 'skipped'),
      queueTasks(this.db, run.dagRunId, plan.queue),
    ]);
    await this.publisher.publish(queued);
    // Something was queued (by us or a concurrent evaluation): the run goes on.
    if (plan.queue.length > 0) return { queued: queued.length, finished: null };
    return { queued: 0, finished: await finishDagRunIfDone(this.db, run.dagRunId) };
  }

  private async planAll(run: RunRef, compiled: CompiledDag): Promise<ReadinessPlan> {
    const states = await taskStates(this.db, run.dagRunId, null);
    return planReadiness({ tasks: compiled.tasks, states, candidates: compiled.tasks.keys(), complete: true });
  }

  private async planDownstream(run: RunRef, compiled: CompiledDag, changed: readonly string[]): Promise<ReadinessPlan> {
    const candidates = new Set<string>();
    for (const t of changed) for (const d of compiled.tasks.get(t)?.downstream ?? []) candidates.add(d);
    if (candidates.size === 0) return { queue: [], skip: [], upstreamFailed: [], remove: [], needsAllStates: false };
    const needed = new Set(candidates);
    for (const c of candidates) for (const u of compiled.tasks.get(c)?.upstream ?? []) needed.add(u);
    const states: Map<string, TaskInstanceState> = await taskStates(this.db, run.dagRunId, [...needed]);
    const plan = planReadiness({ tasks: compiled.tasks, states, candidates, complete: false });
    // A skip or failure cascades beyond what was read: read everything (not the hot path).
    return plan.needsAllStates ? this.planAll(run, compiled) : plan;
  }
}
