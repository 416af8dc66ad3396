/**
 * sensors.externalTask, decided by the scheduler (a deferred wait): the sensor never reaches a
 * worker, which holds no database credentials, and a wait costs no poke per sensor. Waits are
 * resolved for a DAG whenever one of its runs was evaluated (a task ended, a run started or
 * finished: the event that can decide them), and all of them by the periodic pass (timeouts, and
 * states a person set through the API). While no wait exists, evaluations cost nothing here.
 */
import { externalWaitsSql, type Logger, type TaskInstanceState } from '@updraft/core';
import type pg from 'pg';
import type { DagCache } from './dag-cache.js';
import { withEndEffects } from './end-effects.js';
import type { RunEvaluator, RunRef } from './evaluator.js';

export interface ExternalWaitsDeps {
  pool: pg.Pool;
  dags: DagCache;
  evaluator: () => RunEvaluator;
  logger: Logger;
  /** A run whose evaluation failed: the engine evaluates it again on its tick. */
  onEvaluationFailed: (run: RunRef, err: unknown) => void;
  /** Sensors failed with tries left: the earliest retry is due in `ms`. */
  onRetryScheduled: (ms: number) => void;
  /** Ends recorded callback requests or alerts. */
  onEffects: (callbacks: boolean, alerts: boolean) => void;
}

export class ExternalWaits {
  /** Whether some wait may exist (unknown at start: assumed yes; the periodic pass learns it). */
  private mayExist = true;
  /** Waits created so far (a pass's "none left" does not hold against one created meanwhile). */
  private createdCount = 0;
  /** DAGs evaluated since the running resolution started. */
  private pending = new Set<string>();
  private running: Promise<void> | undefined;

  constructor(private readonly d: ExternalWaitsDeps) {}

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
    await this.resolve(null);
    const before = this.createdCount;
    const any = await externalWaitsSql.anyExternalWaits(this.d.pool);
    if (this.createdCount === before) this.mayExist = any;
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const dagIds = [...this.pending];
      this.pending = new Set();
      try {
        await this.resolve(dagIds);
      } catch (err) {
        this.d.logger.error({ err, dagIds }, 'resolving waits for other DAGs failed; the next tick retries');
      }
    }
  }

  /**
   * Decides the waits on `dagIds` (null: all) and ends those decided, with the callbacks, alerts
   * and retry delay their task's definition gives; then their runs go on. No transaction: the end
   * is a compare-and-set on the deferred try the decision saw, so a wait a concurrent resolution
   * (or a person) ended meanwhile is left alone, and its effects are written with the end itself.
   */
  private async resolve(dagIds: readonly string[] | null): Promise<void> {
    const decided = await externalWaitsSql.decideExternalWaits(this.d.pool, dagIds);
    if (decided.length === 0) return;
    const { ends, callbacks, alerts } = await withEndEffects(this.d.dags, decided);
    const ended = await externalWaitsSql.endExternalWaits(this.d.pool, ends);
    if (ended.length > 0 && (callbacks || alerts)) this.d.onEffects(callbacks, alerts);
    const retries = ended.filter((e) => e.retryInMs !== null).map((e) => e.retryInMs!);
    if (retries.length > 0) this.d.onRetryScheduled(Math.min(...retries));
    await this.apply(ended.filter((e) => e.state !== 'up_for_retry'));
  }

  /** The runs of the sensors that ended go on (their own evaluation may resolve further waits). */
  private async apply(ended: readonly externalWaitsSql.EndedWait[]): Promise<void> {
    const runs = new Map<string, { run: RunRef; changed: Map<string, TaskInstanceState> }>();
    for (const w of ended) {
      const entry = runs.get(w.dagRunId) ?? { run: { dagRunId: w.dagRunId, dagId: w.dagId, runId: w.runId, dagHash: w.dagHash }, changed: new Map() };
      entry.changed.set(w.taskId, w.state);
      runs.set(w.dagRunId, entry);
    }
    for (const { run, changed } of runs.values()) {
      await this.d.evaluator().evaluate(run, changed).catch((err: unknown) => this.d.onEvaluationFailed(run, err));
    }
  }
}
