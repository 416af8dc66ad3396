/**
 * DAG runs: scheduled runs from timetables, manual and backfill runs, and starting queued runs
 * within max_active_runs. dag.next_dagrun* only says WHEN to look; the authoritative next interval
 * is computed from the timetable and the latest automated run when the DAG comes due.
 */
import {
  assetsSql,
  checkManualRunRequest,
  dagRunsSql,
  dagsSql,
  dueRunsSql,
  intervalsBetween,
  nextDagRunInfo,
  planManualRun,
  runIdFor,
  runTakenError,
  taskInstancesOf,
  timetableParamsOf,
  UpdraftError,
  type DagRunInfo,
  type Logger,
  type ManualRunRequest,
  type Queryable,
} from '@updraft/core';
import { assetConditionMet } from '@updraft/sdk';
import type { CompiledDag, DagCache } from './dag-cache.js';
import type { RunEvaluator } from './evaluator.js';
import type { KeyedLock } from './keyed-lock.js';
import type { RunCache } from './run-cache.js';

/** dagId, conf (default {}), logicalDate (default now; data interval inferred), runId (default `manual__<iso>`). */
export type TriggerDagRunRequest = ManualRunRequest;

export interface CreatedDagRun {
  dagRunId: string;
  dagId: string;
  runId: string;
  runType: dagRunsSql.DagRunType;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  /** State right after creation: running when it could start at once, else queued. */
  state: 'queued' | 'running';
}

export interface DagRunsDeps {
  db: Queryable;
  dags: DagCache;
  runs: RunCache;
  evaluator: RunEvaluator;
  locks: KeyedLock;
  logger: Logger;
  clock: () => Date;
  maxRunsPerDagPerTick: number;
  /** A run with this many task instances or more makes the engine refresh planner statistics. */
  bigRunTasks: number;
  /** Called after creating a big run, with its number of task instances. */
  onBigRun: (taskInstances: number) => void;
}

/** Airflow's run ids (now in core, shared with `updraft dags trigger`). */
export { runIdFor };

export class DagRuns {
  /** Serialized DAG versions already planned (dag id -> hash). */
  private readonly planned = new Map<string, string>();
  private since = new Date(0);
  /** The scheduleDueDags call under way, and whether another was asked for meanwhile. */
  private dueCall: Promise<void> | undefined;
  private dueAgain = false;

  constructor(private readonly d: DagRunsDeps) {}

  /**
   * Plans DAGs whose serialized form is new or changed since the last call: stores their next
   * automated run in dag.next_dagrun*. Looks back a little to tolerate late commits.
   */
  async syncChangedDags(pageSize = 250): Promise<void> {
    const versions = await dagsSql.serializedDagsSince(this.d.db, new Date(this.since.getTime() - 10_000));
    const todo: typeof versions = [];
    for (const v of versions) {
      if (v.updatedAt > this.since) this.since = v.updatedAt;
      if (this.planned.get(v.dagId) !== v.dagHash) todo.push(v);
    }
    // A scheduler that starts (or takes over) plans every DAG: a page of them in three statements.
    for (let at = 0; at < todo.length; at += pageSize) {
      const page = todo.slice(at, at + pageSize);
      try {
        await this.d.locks.runAll(page.map((v) => v.dagId), () => this.planTogether(page.map((v) => v.dagId)));
        for (const v of page) this.planned.set(v.dagId, v.dagHash);
        continue;
      } catch (err) {
        this.d.logger.warn({ err, dags: page.length }, 'planning many DAGs together failed: one DAG at a time');
      }
      for (const v of page) {
        try {
          await this.d.locks.run(v.dagId, () => this.planTogether([v.dagId]));
          this.planned.set(v.dagId, v.dagHash);
        } catch (err) {
          this.d.logger.error({ err, dagId: v.dagId }, 'cannot plan the schedule of a DAG');
        }
      }
    }
  }

  /**
   * Creates the runs that are due for every due DAG, then starts what max_active_runs allows.
   * Many DAGs come due at the same instant (every `* * * * *` DAG at each minute): they are taken
   * page after page in this call, not one page per tick. First the runs of every due DAG are
   * created, a page of DAGs in a few statements (so every run exists soon after its due time),
   * then the runs are started `concurrency` DAGs at a time (each under its own DAG lock; a few
   * connections of the pool, the rest stay for the hot path). One call at a time: a call made
   * while one runs makes it look once more at its end.
   */
  scheduleDueDags(limit = 250, concurrency = 4): Promise<void> {
    if (this.dueCall !== undefined) {
      this.dueAgain = true;
      return this.dueCall;
    }
    const call = (async () => {
      do {
        this.dueAgain = false;
        await this.scheduleDueDagsNow(limit, concurrency);
      } while (this.dueAgain);
    })().finally(() => {
      this.dueCall = undefined;
    });
    this.dueCall = call;
    return call;
  }

  /** Milliseconds until the next DAG comes due (Infinity: none; 0 or less: one is due now). */
  async msUntilNextDue(): Promise<number> {
    const at = await dueRunsSql.nextDueAt(this.d.db);
    return at === null ? Infinity : at.getTime() - this.d.clock().getTime();
  }

  private async scheduleDueDagsNow(limit: number, concurrency: number): Promise<void> {
    const seen = new Set<string>();
    const toStart: string[] = [];
    for (;;) {
      const due = await dagsSql.dueDagIds(this.d.db, this.d.clock(), limit);
      // A DAG that failed stays due: never retried within the same call.
      const todo = due.filter((id) => !seen.has(id));
      for (const id of todo) seen.add(id);
      await this.createDueRunsOf(todo, concurrency);
      toStart.push(...todo);
      if (due.length < limit || todo.length === 0) break;
    }
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < toStart.length) {
        const dagId = toStart[next++]!;
        try {
          await this.startRuns(dagId);
        } catch (err) {
          this.d.logger.error({ err, dagId }, 'cannot start the scheduled runs of a DAG');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, toStart.length) }, lane));
  }

  /** The due runs of these DAGs, all together; when that fails, one DAG at a time. */
  private async createDueRunsOf(dagIds: string[], concurrency: number): Promise<void> {
    if (dagIds.length === 0) return;
    try {
      await this.d.locks.runAll(dagIds, () => this.createDueRunsTogether(dagIds));
      return;
    } catch (err) {
      this.d.logger.warn({ err, dags: dagIds.length }, 'creating the due runs of many DAGs together failed: one DAG at a time');
    }
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < dagIds.length) {
        const dagId = dagIds[next++]!;
        try {
          await this.d.locks.run(dagId, () => this.createDueRuns(dagId));
        } catch (err) {
          this.d.logger.error({ err, dagId }, 'cannot create scheduled runs of a DAG');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, dagIds.length) }, lane));
  }

  /** createDueRuns for many DAGs (their locks held): the same runs and next runs, in five statements. */
  private async createDueRunsTogether(dagIds: readonly string[]): Promise<void> {
    const currents = await this.d.dags.currentMany(dagIds);
    const live = dagIds.filter((id) => { const c = currents.get(id); return c !== undefined && !c.row.isPaused && c.row.isActive; });
    const facts = await dueRunsSql.automatedRunFacts(this.d.db, live);
    const now = this.d.clock();
    const runs: Array<{ compiled: CompiledDag; run: dagRunsSql.NewDagRun }> = [];
    // A DAG without a serialized version drops out of the due index, as in createDueRuns.
    const nextRuns: Array<{ dagId: string; info: DagRunInfo | null }> = dagIds.filter((id) => !currents.has(id)).map((dagId) => ({ dagId, info: null }));
    for (const dagId of live) {
      const { compiled } = currents.get(dagId)!;
      const params = timetableParamsOf(compiled.dag);
      const f = facts.get(dagId);
      let last: DagRunInfo | null = f?.last == null ? null : { ...f.last, runAfter: f.last.dataIntervalEnd };
      let active = f?.active ?? 0;
      for (let created = 0; ; created++) {
        const info = nextDagRunInfo(params, last, now);
        const blocked = active >= compiled.dag.maxActiveRuns || created >= this.d.maxRunsPerDagPerTick;
        if (info === null || info.runAfter > now || blocked) {
          nextRuns.push({ dagId, info });
          break;
        }
        runs.push({ compiled, run: this.newRun(compiled, 'scheduled', runIdFor('scheduled', info.logicalDate), info, {}) });
        active++;
        last = info;
      }
    }
    // Runs first, then the next runs: after a crash in between, the DAG is due again and its
    // existing runs cover their intervals.
    const created = await dagRunsSql.insertDagRuns(this.d.db, runs.map((r) => r.run));
    const byKey = new Map(runs.map((r) => [`${r.run.dagId}\0${r.run.runId}`, r]));
    for (const c of created) {
      const r = byKey.get(`${c.dagId}\0${c.runId}`);
      byKey.delete(`${c.dagId}\0${c.runId}`);
      if (r !== undefined) this.created(r.compiled, r.run, c.dagRunId);
    }
    // A run already covered one of the planned logical dates (a manual run there). createDueRuns
    // does not count it against max_active_runs and goes on past it: those DAGs go that way.
    const covered = new Set([...byKey.values()].map((r) => r.run.dagId));
    await dueRunsSql.setNextDagRuns(this.d.db, nextRuns.filter((n) => !covered.has(n.dagId)));
    for (const dagId of covered) await this.createDueRuns(dagId);
  }

  /** Creates the DAG's due scheduled runs (within max_active_runs), updates next_dagrun, starts runs. */
  scheduleDag(dagId: string): Promise<void> {
    return this.d.locks.run(dagId, async () => {
      await this.createDueRuns(dagId);
      await this.startRunsLocked(dagId);
    });
  }

  /** Creates a manual run (queued, started at once when the DAG is unpaused and below max_active_runs). */
  async trigger(req: TriggerDagRunRequest): Promise<CreatedDagRun> {
    checkManualRunRequest(req);
    const current = await this.requireDag(req.dagId);
    const run = planManualRun(current.dag, current.hash, req, this.d.clock());
    return this.d.locks.run(req.dagId, async () => {
      const created = await this.insert(current, run);
      if (created === null) throw await runTakenError(this.d.db, run);
      const started = await this.startRunsLocked(req.dagId);
      return { ...created, state: started.has(created.dagRunId) ? 'running' : 'queued' };
    });
  }

  /** Creates a backfill run per interval starting in [from, to] that has no run yet. */
  async backfill(dagId: string, from: Date, to: Date, conf: Record<string, unknown> = {}): Promise<CreatedDagRun[]> {
    const current = await this.requireDag(dagId);
    const intervals = intervalsBetween(timetableParamsOf(current.dag), from, to);
    return this.d.locks.run(dagId, async () => {
      const out: Array<Omit<CreatedDagRun, 'state'>> = [];
      for (const info of intervals) {
        const created = await this.create(current, 'backfill', runIdFor('backfill', info.logicalDate), info, conf);
        if (created !== null) out.push(created);
      }
      const started = await this.startRunsLocked(dagId);
      return out.map((r) => ({ ...r, state: started.has(r.dagRunId) ? 'running' as const : 'queued' as const }));
    });
  }

  /**
   * Creates an asset-triggered run of the DAG when each of its assets had an event since its last
   * one (the run consumes them), then starts what max_active_runs allows. Paused: the events wait.
   */
  createAssetRun(dagId: string): Promise<void> {
    return this.d.locks.run(dagId, async () => {
      const current = await this.d.dags.current(dagId);
      let uris = current?.compiled.dag.assetSchedule;
      if (current === null || uris === undefined || current.row.isPaused || !current.row.isActive) return;
      const { compiled } = current;
      const condition = compiled.dag.assetCondition;
      if (condition !== undefined) {
        // anyOf / allOf: due when the assets updated since the last run meet it; the run then
        // consumes what was queued (the statement checks those are still there, as for a list).
        const queued = await assetsSql.queuedAssetUris(this.d.db, dagId);
        // An alias holds once an asset it resolved to has an event queued for the DAG.
        const aliases = await assetsSql.queuedAssetAliases(this.d.db, dagId, compiled.dag.aliasSchedule ?? []);
        if (!assetConditionMet(condition, new Set(queued), new Set(aliases))) return;
        uris = uris.filter((u) => queued.includes(u));
      }
      // Airflow's asset-triggered runs: the logical date is when the run was created, a point interval.
      const at = this.d.clock();
      const run: dagRunsSql.NewDagRun = {
        dagId, runId: runIdFor('asset_triggered', at), runType: 'asset_triggered', logicalDate: at, dataIntervalStart: at,
        dataIntervalEnd: at, conf: {}, dagHash: compiled.hash, tasks: taskInstancesOf(compiled.dag),
      };
      const dagRunId = await assetsSql.createAssetTriggeredRun(this.d.db, run, uris);
      if (dagRunId === null) return;
      this.d.runs.put({ dagRunId, dagId, runId: run.runId, runType: run.runType, logicalDate: at, dataIntervalStart: at, dataIntervalEnd: at, conf: {}, dagHash: compiled.hash });
      this.d.logger.info({ dagId, runId: run.runId, runType: run.runType }, 'DAG run created');
      await this.startRunsLocked(dagId);
    });
  }

  /** Starts queued runs of a DAG as far as max_active_runs allows and evaluates them. */
  startRuns(dagId: string): Promise<Set<string>> {
    return this.d.locks.run(dagId, () => this.startRunsLocked(dagId));
  }

  private async startRunsLocked(dagId: string): Promise<Set<string>> {
    const current = await this.d.dags.current(dagId);
    if (current === null) return new Set();
    const started = await dagRunsSql.startQueuedRuns(this.d.db, dagId, current.compiled.dag.maxActiveRuns, this.d.clock());
    for (const run of started) {
      // A run deleted while active and created again with the same run id: not the cached one.
      this.d.runs.forgetOther(dagId, run.runId, run.dagRunId);
      try {
        await this.d.evaluator.evaluate({ ...run, dagId }, 'all');
      } catch (err) {
        this.d.logger.error({ err, dagId, runId: run.runId }, 'cannot evaluate a started run; the next tick retries');
        throw err;
      }
    }
    return new Set(started.map((r) => r.dagRunId));
  }

  private async requireDag(dagId: string): Promise<CompiledDag> {
    const current = await this.d.dags.current(dagId);
    if (current === null) throw new UpdraftError('DAG_NOT_FOUND', `DAG '${dagId}' not found (is its file in the DAGs folder and free of import errors?)`);
    return current.compiled;
  }

  /** Stores the next automated run of each DAG in dag.next_dagrun* (their locks held); three statements for all. */
  private async planTogether(dagIds: readonly string[]): Promise<void> {
    const currents = await this.d.dags.currentMany(dagIds);
    const known = dagIds.filter((id) => currents.has(id));
    const facts = await dueRunsSql.automatedRunFacts(this.d.db, known);
    const now = this.d.clock();
    await dueRunsSql.setNextDagRuns(this.d.db, known.map((dagId) => {
      const last = facts.get(dagId)?.last ?? null;
      const params = timetableParamsOf(currents.get(dagId)!.compiled.dag);
      return { dagId, info: nextDagRunInfo(params, last === null ? null : { ...last, runAfter: last.dataIntervalEnd }, now) };
    }));
  }

  private async createDueRuns(dagId: string): Promise<void> {
    const current = await this.d.dags.current(dagId);
    if (current === null) return dagsSql.setNextDagRun(this.d.db, dagId, null);
    if (current.row.isPaused || !current.row.isActive) return;
    const { compiled } = current;
    const params = timetableParamsOf(compiled.dag);
    const now = this.d.clock();
    const lastRow = await dagRunsSql.lastAutomatedRun(this.d.db, dagId);
    let last: DagRunInfo | null = lastRow === null ? null : { ...lastRow, runAfter: lastRow.dataIntervalEnd };
    let active = await dagRunsSql.countActiveRuns(this.d.db, dagId);
    for (let created = 0; ; created++) {
      const info = nextDagRunInfo(params, last, now);
      const blocked = active >= compiled.dag.maxActiveRuns || created >= this.d.maxRunsPerDagPerTick;
      if (info === null || info.runAfter > now || blocked) {
        // Blocked by max_active_runs: stays due; re-checked on the next tick or when a run ends.
        await dagsSql.setNextDagRun(this.d.db, dagId, info);
        return;
      }
      // A run at this logical date may exist (manual run, crash after insert): the interval is covered.
      if (await this.create(compiled, 'scheduled', runIdFor('scheduled', info.logicalDate), info, {}) !== null) active++;
      last = info;
    }
  }

  private create(
    compiled: CompiledDag, runType: dagRunsSql.DagRunType, runId: string, info: DagRunInfo, conf: Record<string, unknown>,
  ): Promise<Omit<CreatedDagRun, 'state'> | null> {
    return this.insert(compiled, this.newRun(compiled, runType, runId, info, conf));
  }

  private newRun(compiled: CompiledDag, runType: dagRunsSql.DagRunType, runId: string, info: DagRunInfo, conf: Record<string, unknown>): dagRunsSql.NewDagRun {
    return {
      dagId: compiled.dag.dagId, runId, runType, logicalDate: info.logicalDate, dataIntervalStart: info.dataIntervalStart,
      dataIntervalEnd: info.dataIntervalEnd, conf, dagHash: compiled.hash, tasks: taskInstancesOf(compiled.dag),
    };
  }

  private async insert(compiled: CompiledDag, r: dagRunsSql.NewDagRun): Promise<Omit<CreatedDagRun, 'state'> | null> {
    const dagRunId = await dagRunsSql.insertDagRun(this.d.db, r);
    return dagRunId === null ? null : this.created(compiled, r, dagRunId);
  }

  /** What follows the insert of a run: the run cache, the planner statistics of a big run, the log line. */
  private created(compiled: CompiledDag, r: dagRunsSql.NewDagRun, dagRunId: string): Omit<CreatedDagRun, 'state'> {
    if (r.tasks.length >= this.d.bigRunTasks) this.d.onBigRun(r.tasks.length);
    const run = { dagRunId, dagId: r.dagId, runId: r.runId, runType: r.runType, logicalDate: r.logicalDate,
      dataIntervalStart: r.dataIntervalStart, dataIntervalEnd: r.dataIntervalEnd };
    this.d.runs.put({ ...run, conf: r.conf, dagHash: compiled.hash });
    this.d.logger.info({ dagId: r.dagId, runId: r.runId, runType: r.runType }, 'DAG run created');
    return run;
  }
}
