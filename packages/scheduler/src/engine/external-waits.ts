/**
 * sensors.externalTask, decided by the scheduler (a deferred wait): the sensor never reaches a
 * worker, which holds no database credentials, and a wait costs no poke per sensor. Waits are
 * resolved for a DAG whenever one of its runs was evaluated (a task ended, a run started or
 * finished: the event that can decide them), and all of them by the periodic pass (timeouts, and
 * states a person set through the API). While no wait exists, evaluations cost nothing here.
 */
import { externalWaitsSql, type Logger, type Queryable, type TaskInstanceState } from '@updraft/core';
import type { RunEvaluator, RunRef } from './evaluator.js';

export class ExternalWaits {
  /** Whether some wait may exist (unknown at start: assumed yes; the periodic pass learns it). */
  private mayExist = true;
  /** Waits created so far (a pass's "none left" does not hold against one created meanwhile). */
  private createdCount = 0;
  /** DAGs evaluated since the running resolution started. */
  private pending = new Set<string>();
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly evaluator: () => RunEvaluator,
    private readonly logger: Logger,
    /** A run whose evaluation failed: the engine evaluates it again on its tick. */
    private readonly onEvaluationFailed: (run: RunRef, err: unknown) => void,
  ) {}

  /** A wait was just created. */
  created(): void {
    this.createdCount++;
    this.mayExist = true;
  }

  /** A run of `dagId` was evaluated: resolves the waits on it soon (in the background, coalesced). */
  evaluated(dagId: string): Promise<void> {
    if (!this.mayExist) return Promise.resolve();
    this.pending.add(dagId);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Resolves every wait (timeouts included); learns whether any is left. */
  async resolveAll(): Promise<void> {
    await this.apply(await externalWaitsSql.resolveExternalWaits(this.db, null));
    const before = this.createdCount;
    const any = await externalWaitsSql.anyExternalWaits(this.db);
    if (this.createdCount === before) this.mayExist = any;
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const dagIds = [...this.pending];
      this.pending = new Set();
      try {
        await this.apply(await externalWaitsSql.resolveExternalWaits(this.db, dagIds));
      } catch (err) {
        this.logger.error({ err, dagIds }, 'resolving waits for other DAGs failed; the next tick retries');
      }
    }
  }

  /** The runs of the sensors that ended go on (their own evaluation may resolve further waits). */
  private async apply(resolved: externalWaitsSql.ResolvedWait[]): Promise<void> {
    const runs = new Map<string, { run: RunRef; changed: Map<string, TaskInstanceState> }>();
    for (const w of resolved) {
      const entry = runs.get(w.dagRunId) ?? { run: { dagRunId: w.dagRunId, dagId: w.dagId, runId: w.runId, dagHash: w.dagHash }, changed: new Map() };
      entry.changed.set(w.taskId, w.state);
      runs.set(w.dagRunId, entry);
    }
    for (const { run, changed } of runs.values()) {
      await this.evaluator().evaluate(run, changed).catch((err: unknown) => this.onEvaluationFailed(run, err));
    }
  }
}
