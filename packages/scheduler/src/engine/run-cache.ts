/**
 * What the engine needs to know about a DAG run to claim, render and evaluate its tasks, cached
 * per run while it is active (bounded; a miss costs one read).
 */
import { assetsSql, dagRunsSql, type Queryable } from '@updraft/core';

export type RunContext = Omit<dagRunsSql.DagRunRow, 'state'>;

export class RunCache {
  private readonly runs = new Map<string, RunContext>();
  /**
   * prev_*_success of each run, read once per run (the first claim asks; the others share it).
   * Keyed by the run's row id: a run deleted and created again with the same run id asks again.
   */
  private readonly previous = new Map<string, Promise<dagRunsSql.PreviousSuccessfulRun | null>>();
  /** The triggering asset events of each asset-triggered run, read once per run (keyed as `previous`). */
  private readonly triggering = new Map<string, Promise<Record<string, assetsSql.TriggeringAssetEvent[]>>>();

  constructor(private readonly db: Queryable, private readonly maxRuns = 10_000) {}

  private static key(dagId: string, runId: string): string {
    return `${dagId}\u0000${runId}`;
  }

  put(run: RunContext): void {
    const key = RunCache.key(run.dagId, run.runId);
    if (!this.runs.has(key) && this.runs.size >= this.maxRuns) this.runs.delete(this.runs.keys().next().value!);
    this.runs.set(key, run);
  }

  peek(dagId: string, runId: string): RunContext | undefined {
    return this.runs.get(RunCache.key(dagId, runId));
  }

  /**
   * The run, from the cache or the database; null when it does not exist. With `dagRunId`, a cached
   * run of that id that is another row (deleted, then created again with the same run id) is read
   * again: its logical date, conf and DAG version are the new run's.
   */
  async get(dagId: string, runId: string, dagRunId?: string): Promise<RunContext | null> {
    const hit = this.peek(dagId, runId);
    if (hit !== undefined && (dagRunId === undefined || hit.dagRunId === dagRunId)) return hit;
    if (hit !== undefined) this.forget(dagId, runId);
    const row = await dagRunsSql.findDagRun(this.db, dagId, runId);
    if (row === null) return null;
    this.put(row);
    return row;
  }

  /** The latest successful run of the DAG before this one (by logical date), or null; cached per run. */
  previousSuccess(run: Pick<RunContext, 'dagRunId' | 'dagId' | 'logicalDate'>): Promise<dagRunsSql.PreviousSuccessfulRun | null> {
    const key = run.dagRunId;
    let hit = this.previous.get(key);
    if (hit === undefined) {
      if (this.previous.size >= this.maxRuns) this.previous.delete(this.previous.keys().next().value!);
      hit = dagRunsSql.previousSuccessfulRuns(this.db, [{ dagId: run.dagId, logicalDate: run.logicalDate }]).then((r) => r[0] ?? null);
      hit.catch(() => this.previous.delete(key));
      this.previous.set(key, hit);
    }
    return hit;
  }

  /**
   * The asset events that triggered an asset-triggered run, by asset URI. Cached per run (the
   * events a run consumed never change).
   */
  triggeringAssetEvents(run: Pick<RunContext, 'dagRunId'>): Promise<Record<string, assetsSql.TriggeringAssetEvent[]>> {
    const key = run.dagRunId;
    let hit = this.triggering.get(key);
    if (hit === undefined) {
      if (this.triggering.size >= this.maxRuns) this.triggering.delete(this.triggering.keys().next().value!);
      hit = assetsSql.triggeringAssetEvents(this.db, key);
      hit.catch(() => this.triggering.delete(key));
      this.triggering.set(key, hit);
    }
    return hit;
  }

  /** Drops the run's entry when it is another row than `dagRunId` (a run deleted and created again). */
  forgetOther(dagId: string, runId: string, dagRunId: string): void {
    const hit = this.peek(dagId, runId);
    if (hit !== undefined && hit.dagRunId !== dagRunId) this.forget(dagId, runId);
  }

  forget(dagId: string, runId: string): void {
    const key = RunCache.key(dagId, runId);
    const hit = this.runs.get(key);
    this.runs.delete(key);
    if (hit !== undefined) {
      this.previous.delete(hit.dagRunId);
      this.triggering.delete(hit.dagRunId);
    }
  }
}
