/**
 * The admission gate: every ready task instance is queued through here, so pools, max_active_tasks
 * and max_active_tis_per_dag hold (core's admissionSql decides in one statement). Requests that
 * arrive while a statement runs are merged into the next one (Batcher): one statement at a time,
 * so two statements never hand out the same free slot (one leading scheduler queues). Task
 * instances released from waiting (a task ended, a pool grew) are published here; those of a
 * request are returned to it, which publishes them.
 *
 * While none waits (the gate knows from each statement whether some task instance still waits;
 * unknown at start: assumed yes), a release costs nothing and ready tasks that all fit are queued
 * by a cheap statement; the full admission (priority order, reasons) runs only when places are
 * scarce.
 *
 * A place freed in a pool that still holds a backlog of queued instances (work the workers have
 * at hand) is not handed out at once: such releases are gathered for up to DEFER_MS (or until the
 * backlog runs low) and admitted by one statement. No worker waits for it, and under contention
 * one admission then serves many task ends instead of one.
 *
 * A statement looks at the first 64 waiting instances of each released pool or DAG, by priority.
 * When those all wait for their DAG's max_active_tasks (or their task's max_active_tis_per_dag) and
 * places are left, the statement says the pool (DAG) is starved, and another round passes over the
 * DAGs (tasks) at their limit, so that one DAG's long backlog never keeps the rest of its pool
 * waiting (Airflow's starved pools, DAGs and tasks). A round that found nothing is not asked again
 * until instances newly wait there or the set at their limit changes: a single DAG's backlog costs
 * one extra round, not one per task end.
 */
import { admissionSql, deferredSql, externalWaitsSql, type Logger, type QueuedAttempt, type Queryable, type RunKey } from '@updraft/core';
import type { SerializedTask } from '@updraft/sdk';
import type { AttemptPublisher } from './attempt-publisher.js';
import { Batcher } from './batching.js';
import { taskStart, type TaskStart, type TaskStartSpec } from './task-start.js';

/** Slots or places freed: the pools and DAGs whose waiting instances may now go. 'all': every pool. */
export type Freed = { pools: readonly string[]; dags: readonly string[] } | 'all';

/** What the gate needs to know of a ready task (from the run's serialized DAG). */
export type ReadyTaskSpec = Pick<SerializedTask, 'taskId' | 'pool' | 'poolSlots' | 'maxActiveTisPerDag' | 'maxActiveTisPerDagrun'> & TaskStartSpec;

interface Request {
  ready: admissionSql.ReadyTask[];
  /** Null when some task has instances per map index or a per-task limit (only the full admission decides). */
  simple: admissionSql.SimpleReadyTask[] | null;
  freed: Freed | null;
  /** Instances were made to wait outside the gate before this request (see release()). */
  nowWaiting?: boolean;
}

/** Rounds of one batch at most (a round that leaves places free while instances wait asks for another). */
const MAX_ROUNDS = 50;
/** A release is deferred while each of its pools holds at least this many queued instances. */
const DEFER_BACKLOG = 16;
/** Longest a deferred release waits. */
const DEFER_MS = 100;
const keyOf = (t: { dagId: string; runId: string; taskId: string }): string => `${t.dagId}\u0000${t.runId}\u0000${t.taskId}`;
const exclusionKey = (e: admissionSql.Exclusions): string =>
  JSON.stringify([[...e.dags].sort(), e.tasks.map(([d, t]) => `${d}\u0000${t}`).sort(), (e.runTasks ?? []).map((k) => k.join('\u0000')).sort()]);

export class Admission {
  private readonly gate: Batcher<Request, QueuedAttempt[]>;
  /** Whether some task instance may be waiting for a place (state scheduled). */
  private waiting = true;
  /** Per pool: queued (not yet running) instances after the last statement that looked at it, less task ends since. */
  private readonly backlog = new Map<string, number>();
  /** Releases gathered while their pools hold a backlog, and the timer that sends them. */
  private deferred: { pools: Set<string>; dags: Set<string> } | null = null;
  private deferTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Task ends being recorded and followed up (whileFinishing). */
  private finishing = 0;
  /** A sweep (the tick's release of every pool) came while some were: it goes with the next place a task end frees. */
  private sweepHeld = false;
  /**
   * Starved pools and DAGs ("pool\0P", "dag\0D") that a round passing over the named DAGs and tasks
   * found nothing more to queue in, with those exclusions: not asked again while the same ones are
   * at their limit, until instances are newly made to wait there.
   */
  private readonly starvedChecked = new Map<string, string>();

  constructor(
    private readonly db: Queryable,
    private readonly publisher: AttemptPublisher,
    private readonly logger: Logger,
    /**
     * Deferred waits were set: the earliest is due (or times out) in this many ms (the engine's
     * timer wakes them); `external`: they wait for other DAGs' tasks.
     */
    private readonly onDeferred: (ms: number, external: boolean) => void = () => undefined,
    /** Ready tasks the scheduler ends itself, `d.triggerDagRun` and `d.latestOnly` (scheduler-tasks.ts). */
    private readonly onSchedulerTasks: (run: RunKey, tasks: readonly ReadyTaskSpec[]) => Promise<void> = () => Promise.resolve(),
  ) {
    this.gate = new Batcher((requests) => this.write(requests));
  }

  /**
   * Runs a task end: its finish statement frees its places, and the admission that follows its
   * evaluation hands them out, the tasks the end made ready competing with the waiting ones.
   * Meanwhile a sweep does not run on its own (it would hand the freed place to a waiting instance
   * before the ready ones are known): it joins that admission, or runs when the end is done.
   */
  async whileFinishing<T>(work: () => Promise<T>): Promise<T> {
    this.finishing += 1;
    try {
      return await work();
    } finally {
      this.finishing -= 1;
      if (this.sweepHeld) {
        this.sweepHeld = false;
        void this.release('all');
      }
    }
  }

  /**
   * The tick's release of every pool: places freed outside task ends (a pool grew, an instance was
   * cleared). Held while a task end is under way (see whileFinishing). Never throws (logs).
   */
  sweep(): Promise<void> {
    if (this.finishing > 0) {
      this.sweepHeld = true;
      return Promise.resolve();
    }
    return this.release('all');
  }

  /** A task end's freed places, with the sweep held for them. */
  private withSweep(freed: Freed | null): Freed | null {
    if (freed === null || !this.sweepHeld) return freed;
    this.sweepHeld = false;
    return 'all';
  }

  /** Whether task instances may be waiting for a place. */
  get mayWait(): boolean {
    return this.waiting;
  }

  /**
   * Queues what fits of these ready tasks of `run` (every waiting map index) and records why the
   * rest waits. Returns the attempts queued for them; the caller publishes those. `freed`: places
   * the end that made them ready freed, released by the same statement, so that the ready tasks
   * and the waiting ones compete for them in one order (priority, then logical date); without
   * ready tasks, a release.
   */
  admit(run: RunKey, all: readonly ReadyTaskSpec[], given: Freed | null = null): Promise<QueuedAttempt[]> {
    const freed = this.withSweep(given);
    // Trigger, latest-only and empty tasks and deferred sensors never reach a worker nor take a place (task-start.ts).
    if (all.some((t) => taskStart(t) !== 'worker')) {
      const by = (start: TaskStart) => all.filter((t) => taskStart(t) === start);
      const [own, waits] = [by('scheduler'), by('deferred')];
      return Promise.all([
        own.length > 0 ? this.onSchedulerTasks(run, own) : undefined,
        waits.length > 0 ? this.deferWaits(run, waits) : undefined,
        this.admit(run, by('worker'), freed),
      ]).then(([, , queued]) => queued);
    }
    const tasks = all;
    if (tasks.length === 0) return freed === null ? Promise.resolve([]) : this.release(freed).then(() => []);
    const ready = tasks.map((t) => ({ dagId: run.dagId, runId: run.runId, taskId: t.taskId }));
    const simple = tasks.every((t) => t.expand === undefined && t.maxActiveTisPerDag === undefined && t.maxActiveTisPerDagrun === undefined)
      ? tasks.map((t) => ({ dagId: run.dagId, runId: run.runId, taskId: t.taskId, pool: t.pool, poolSlots: t.poolSlots ?? 1 }))
      : null;
    return this.gate.submit({ ready, simple, freed });
  }

  /**
   * Places were freed (or `nowWaiting`: instances were just made to wait outside the gate, e.g.
   * retries that came due): queues and publishes waiting instances that fit now. Never throws (logs).
   */
  async release(given: Freed, nowWaiting = false): Promise<void> {
    // Instances newly waiting (retries come due) are no task end: a held sweep waits for one.
    const freed = nowWaiting ? given : this.withSweep(given)!;
    if (nowWaiting) this.waiting = true;
    if (!this.waiting || this.closed) return;
    if (!nowWaiting && freed !== 'all' && freed.pools.length > 0 && freed.pools.every((p) => (this.backlog.get(p) ?? 0) > DEFER_BACKLOG)) {
      // A queued instance of each pool takes the worker place this end left: the backlog shrinks by one.
      for (const p of freed.pools) this.backlog.set(p, this.backlog.get(p)! - 1);
      this.defer(freed);
      return;
    }
    await this.submitRelease(this.withDeferred(freed), nowWaiting);
  }

  private async deferWaits(run: RunKey, tasks: readonly ReadyTaskSpec[]): Promise<void> {
    const timed: deferredSql.DeferredWaitInput[] = [];
    const external: externalWaitsSql.ExternalWaitInput[] = [];
    for (const t of tasks) {
      const w = t.sensor!.waitUntil!;
      if ('externalTask' in w) {
        const e = w.externalTask;
        external.push({
          taskId: t.taskId, extDagId: e.dagId, extTaskId: e.taskId, logicalDate: e.logicalDate, deltaMs: e.deltaMs,
          allowedStates: e.allowedStates, failedStates: e.failedStates, softFail: t.sensor!.softFail, timeoutMs: t.sensor!.timeoutMs,
        });
      } else {
        timed.push({ taskId: t.taskId, deltaMs: 'deltaMs' in w ? w.deltaMs : null, at: 'at' in w ? new Date(w.at) : null });
      }
    }
    const [ms, timeoutMs] = await Promise.all([deferredSql.deferTasks(this.db, run, timed), externalWaitsSql.deferExternalWaits(this.db, run, external)]);
    if (ms !== null) this.onDeferred(ms, false);
    if (timeoutMs !== null) this.onDeferred(timeoutMs, true);
  }

  /** Drops releases not yet sent (the engine stops; a new leader releases every pool when it starts). */
  close(): void {
    this.closed = true;
    clearTimeout(this.deferTimer);
    this.deferred = null;
  }

  private defer(freed: { pools: readonly string[]; dags: readonly string[] }): void {
    this.deferred ??= { pools: new Set(), dags: new Set() };
    for (const p of freed.pools) this.deferred.pools.add(p);
    for (const d of freed.dags) this.deferred.dags.add(d);
    if (this.deferTimer !== undefined) return;
    this.deferTimer = setTimeout(() => {
      this.deferTimer = undefined;
      const gathered = this.withDeferred(null);
      if (gathered !== null) void this.submitRelease(gathered);
    }, DEFER_MS);
    this.deferTimer.unref();
  }

  /** `freed` with the deferred releases merged in (which are then no longer pending). */
  private withDeferred(freed: Freed | null): Freed | null {
    const d = this.deferred;
    if (d === null) return freed;
    this.deferred = null;
    clearTimeout(this.deferTimer);
    this.deferTimer = undefined;
    if (freed === 'all') return 'all';
    return { pools: [...new Set([...d.pools, ...(freed?.pools ?? [])])], dags: [...new Set([...d.dags, ...(freed?.dags ?? [])])] };
  }

  private async submitRelease(freed: Freed | null, nowWaiting = false): Promise<void> {
    if (freed === null) return;
    try {
      await this.gate.submit({ ready: [], simple: [], freed, nowWaiting });
    } catch (err) {
      this.logger.error({ err }, 'releasing waiting task instances failed; the next tick retries');
    }
  }

  /**
   * The round that looks past the DAGs and tasks at their limit in the starved pools and DAGs not
   * already checked with those exclusions; null when there is none to ask.
   */
  private starvedRound(starved: admissionSql.Starved | null): admissionSql.AdmissionInput | null {
    if (starved === null) return null;
    const exclusion = exclusionKey(starved.exclude);
    const pools = starved.pools.filter((p) => this.starvedChecked.get(`pool\0${p}`) !== exclusion);
    const dags = starved.dags.filter((d) => this.starvedChecked.get(`dag\0${d}`) !== exclusion);
    if (pools.length === 0 && dags.length === 0) return null;
    return { ready: [], releasePools: pools, releaseDags: dags, releaseAll: false, exclude: starved.exclude };
  }

  /** After a round with exclusions: the pools and DAGs it queued nothing in are checked with them. */
  private noteStarvedRound(input: admissionSql.AdmissionInput, queued: readonly QueuedAttempt[]): void {
    const exclusion = exclusionKey(input.exclude!);
    const dagsQueued = new Set(queued.map((a) => a.dagId));
    // A queued attempt does not name its pool: any attempt queued leaves the pools unchecked.
    if (queued.length === 0) {
      for (const p of input.releasePools) this.starvedChecked.set(`pool\0${p}`, exclusion);
    }
    for (const d of input.releaseDags) {
      if (!dagsQueued.has(d)) this.starvedChecked.set(`dag\0${d}`, exclusion);
    }
  }

  private async write(requests: Request[]): Promise<QueuedAttempt[][]> {
    // A statement that ran while these instances were made to wait (its snapshot older than them)
    // may have said that none waits: they still do, and this batch is the one that releases them.
    if (requests.some((r) => r.nowWaiting === true)) {
      this.waiting = true;
      this.starvedChecked.clear();
    }
    const pools = new Set<string>();
    const dags = new Set<string>();
    let all = false;
    const ready: admissionSql.ReadyTask[] = [];
    const owner = new Map<string, number>();
    requests.forEach((r, i) => {
      for (const t of r.ready) {
        ready.push(t);
        owner.set(keyOf(t), i);
      }
      // A release is only worth its reads when some instance waits.
      if (r.freed === null || !this.waiting) return;
      if (r.freed === 'all') all = true;
      else {
        for (const p of r.freed.pools) pools.add(p);
        for (const d of r.freed.dags) dags.add(d);
      }
    });
    const out: QueuedAttempt[][] = requests.map(() => []);
    const released: QueuedAttempt[] = [];
    if (ready.length === 0 && !all && pools.size === 0 && dags.size === 0) return out;
    // Nothing waits: when every candidate fits, all are queued by the cheap statement.
    if (!this.waiting && requests.every((r) => r.simple !== null)) {
      const queued = await admissionSql.admitIfAllFit(this.db, requests.flatMap((r) => r.simple!));
      if (queued !== null) {
        for (const a of queued) out[owner.get(keyOf(a))!]!.push(a);
        return out;
      }
    }
    let input: admissionSql.AdmissionInput = { ready, releasePools: [...pools], releaseDags: [...dags], releaseAll: all };
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const result = await admissionSql.admitTaskInstances(this.db, input);
      this.waiting = result.waiting;
      for (const [pool, queued] of Object.entries(result.backlog)) this.backlog.set(pool, queued);
      for (const [pool, dagId] of result.newlyHeld) {
        this.starvedChecked.delete(`pool\0${pool}`);
        this.starvedChecked.delete(`dag\0${dagId}`);
      }
      for (const a of result.queued) {
        const i = owner.get(keyOf(a));
        if (i === undefined) released.push(a);
        else out[i]!.push(a);
      }
      if (input.exclude !== undefined) this.noteStarvedRound(input, result.queued);
      const next = this.starvedRound(result.starved);
      if (next !== null && result.waiting) {
        input = next;
        continue;
      }
      if (!result.more || !result.waiting) break;
      // Places are left and instances wait that this round did not look at: look at every pool.
      input = { ready: [], releasePools: [], releaseDags: [], releaseAll: true };
    }
    if (released.length > 0) {
      this.logger.debug({ released: released.length }, 'waiting task instances released');
      await this.publisher.publish(released);
    }
    return out;
  }
}
