/**
 * The limits a DAG puts on its runs, enforced by the scheduler (the statements are core's):
 * - deadline: a run not ended by its deadline fires onDeadlineMiss once (deadlinesSql), on every
 *   periodic pass;
 * - dagrunTimeout: a run still running that long after it started fails (runTimeoutsSql), on every
 *   periodic pass;
 * - maxConsecutiveFailedDagRuns: when a run of a DAG failed, the DAG is paused if its latest
 *   that-many runs all failed (autoPauseSql).
 */
import { autoPauseSql, deadlinesSql, runTimeoutsSql, type Logger, type Queryable } from '@updraft/core';

export interface RunLimitsDeps {
  db: Queryable;
  logger: Logger;
  /** Callback requests / alert outbox rows were written: run them soon. */
  wakeCallbacks: () => void;
  wakeAlerts: () => void;
  /** A run of this DAG ended: queued runs waiting for its place start. */
  startRuns: (dagId: string) => Promise<unknown>;
}

export class RunLimits {
  constructor(private readonly d: RunLimitsDeps) {}

  /** Runs past their DAG's deadline fire onDeadlineMiss once (callback process, alert outbox). */
  async fireMissedDeadlines(): Promise<void> {
    const missed = await deadlinesSql.fireMissedDeadlines(this.d.db);
    for (const r of missed.runs) this.d.logger.warn({ dagId: r.dagId, runId: r.runId }, 'DAG run missed its deadline');
    if (missed.callbacks) this.d.wakeCallbacks();
    if (missed.alerts) this.d.wakeAlerts();
  }

  /** Fails the runs past their DAG's dagrunTimeout; their workers kill what still runs at their next heartbeat. */
  async timeOutRuns(): Promise<void> {
    const timedOut = await runTimeoutsSql.timeOutDagRuns(this.d.db);
    for (const r of timedOut.runs) {
      this.d.logger.warn({ dagId: r.dagId, runId: r.runId, dagrunTimeoutMs: r.timeoutMs, failedTasks: r.failedTasks, skippedTasks: r.skippedTasks },
        'DAG run timed out (dagrunTimeout): failed');
    }
    if (timedOut.callbacks) this.d.wakeCallbacks();
    if (timedOut.alerts) this.d.wakeAlerts();
    for (const dagId of new Set(timedOut.runs.map((r) => r.dagId))) {
      await this.afterRunFailed(dagId);
      await this.d.startRuns(dagId);
    }
  }

  /** A run of the DAG failed: pauses the DAG when its maxConsecutiveFailedDagRuns latest runs all failed. */
  async afterRunFailed(dagId: string): Promise<void> {
    const n = await autoPauseSql.pauseAfterFailedRuns(this.d.db, dagId);
    if (n !== null) this.d.logger.warn({ dagId, consecutiveFailedRuns: n }, `DAG paused: its last ${n} runs failed (maxConsecutiveFailedDagRuns)`);
  }
}
