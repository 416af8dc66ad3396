/**
 * The scheduler loop's timings, step by step and whole (`tick`), kept as cumulative histograms
 * since this engine started and written to the database (scheduler_loop) at most every
 * `flushIntervalMs`, so the monitor can serve them on /metrics. Writing is best effort: a failed
 * write is logged and retried with the next flush.
 */
import { hostname } from 'node:os';
import { schedulerLoopSql, type Logger, type Queryable } from '@updraft/core';

const BOUNDS_MS = schedulerLoopSql.SCHEDULER_LOOP_BUCKETS_S.map((s) => s * 1000);

export class LoopTimings {
  private readonly steps = new Map<string, schedulerLoopSql.LoopStepTimings>();
  private readonly startedAt = new Date();
  private lastFlush = 0;
  private dirty = false;

  constructor(private readonly o: { db: Queryable; logger: Logger; flushIntervalMs: number }) {}

  observe(step: string, ms: number): void {
    let s = this.steps.get(step);
    if (s === undefined) this.steps.set(step, (s = { step, runs: 0, totalMs: 0, lastMs: 0, buckets: BOUNDS_MS.map(() => 0) }));
    s.runs += 1;
    s.totalMs += ms;
    s.lastMs = ms;
    for (let i = 0; i < BOUNDS_MS.length; i++) if (ms <= BOUNDS_MS[i]!) s.buckets[i]! += 1;
    this.dirty = true;
  }

  /** Writes the counts when the last write is older than the flush interval. */
  async flushIfDue(now = Date.now()): Promise<void> {
    if (!this.dirty || now - this.lastFlush < this.o.flushIntervalMs) return;
    this.lastFlush = now;
    this.dirty = false;
    try {
      await schedulerLoopSql.recordLoopTimings(this.o.db, hostname(), this.startedAt, [...this.steps.values()]);
    } catch (err) {
      this.dirty = true;
      this.o.logger.warn({ err }, 'could not record the scheduler loop timings (the monitor shows older ones)');
    }
  }
}
