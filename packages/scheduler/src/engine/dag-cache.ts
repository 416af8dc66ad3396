/**
 * Serialized DAGs by version (dag_hash), parsed once: the engine looks tasks up on every claim and
 * report without reading serialized_dag again. Runs keep the version they were created with.
 * The least recently used versions go first, past `maxVersions` versions or `maxTasks` tasks in
 * all: a deployment's every DAG fits (1,000 minutely DAGs must not be read again each minute).
 */
import { dagsSql, dueRunsSql, leafTaskIds, UpdraftError, type Logger, type Queryable } from '@updraft/core';
import { mapSourceTaskIds, SERIALIZED_DAG_SCHEMA_VERSION, type SerializedDag, type SerializedTask } from '@updraft/sdk';

export interface CompiledDag {
  hash: string;
  dag: SerializedDag;
  tasks: ReadonlyMap<string, SerializedTask>;
  /** The DAG has mapped tasks (`expand`): readiness looks at every task instance. */
  hasMapped: boolean;
  /** Unmapped tasks that mapped tasks expand over, with those mapped tasks (their return value must be an array). */
  mappingSources: ReadonlyMap<string, string[]>;
  /**
   * Tasks whose end in one run can release a task of the next run (depends_on_past: the task
   * itself; wait_for_downstream: also its direct downstream). Empty for most DAGs.
   */
  pastWatched: ReadonlySet<string>;
  /** Tasks without downstream tasks: their instances decide the run's final state (Airflow's rule). */
  leaves: readonly string[];
  /** Unmapped branches, short-circuits and latest-only gates: after a clear, what they skipped stays skipped (control-skips.ts). */
  controls: readonly string[];
}

export function compileDag(hash: string, data: unknown): CompiledDag {
  const dag = data as SerializedDag;
  if (dag === null || typeof dag !== 'object' || !Array.isArray(dag.tasks)) {
    throw new UpdraftError('DAG_INVALID', `serialized DAG ${hash} is not a SerializedDag object`);
  }
  if (dag.schemaVersion !== SERIALIZED_DAG_SCHEMA_VERSION) {
    throw new UpdraftError('DAG_INVALID',
      `serialized DAG '${dag.dagId}' has schema version ${String(dag.schemaVersion)}, this scheduler reads ${SERIALIZED_DAG_SCHEMA_VERSION}; re-parse the DAG files`);
  }
  const tasks = new Map(dag.tasks.map((t) => [t.taskId, t]));
  const mappingSources = new Map<string, string[]>();
  for (const t of dag.tasks) {
    for (const sourceId of t.expand === undefined ? [] : mapSourceTaskIds(t.expand)) {
      const source = tasks.get(sourceId);
      if (source !== undefined && source.expand === undefined) mappingSources.set(source.taskId, [...(mappingSources.get(source.taskId) ?? []), t.taskId]);
    }
  }
  const pastWatched = new Set<string>();
  for (const t of dag.tasks) {
    if (t.dependsOnPast === true) pastWatched.add(t.taskId);
    if (t.waitForDownstream === true) for (const d of t.downstream) pastWatched.add(d);
  }
  return { hash, dag, tasks, hasMapped: dag.tasks.some((t) => t.expand !== undefined), mappingSources, pastWatched, leaves: leafTaskIds(dag.tasks),
    controls: dag.tasks.filter((t) => (t.control !== undefined || t.latestOnly === true) && t.expand === undefined).map((t) => t.taskId),
  };
}

type Current = { compiled: CompiledDag; row: dagsSql.CurrentDag };

export class DagCache {
  /** In use order, least recent first. */
  private readonly byHash = new Map<string, CompiledDag>();
  private tasksCached = 0;
  private readonly warned = new Set<string>();

  constructor(
    private readonly db: Queryable,
    private readonly logger: Logger,
    private readonly maxVersions = 4096,
    private readonly maxTasks = 250_000,
  ) {}

  /**
   * current() for many DAGs: two statements for all of them (the versions, then the data of those
   * not cached). DAGs without a serialized version are left out.
   */
  async currentMany(dagIds: readonly string[]): Promise<Map<string, Current>> {
    const out = new Map<string, Current>();
    const rows = await dueRunsSql.currentDags(this.db, dagIds);
    const missing = rows.filter((row) => !this.byHash.has(row.dagHash));
    const datas = await dueRunsSql.serializedDagDatas(this.db, missing);
    for (const row of rows) {
      const hit = this.cached(row.dagHash);
      const data = hit === undefined ? datas.get(row.dagId) : undefined;
      if (hit !== undefined) out.set(row.dagId, { compiled: hit, row });
      else if (data !== undefined) out.set(row.dagId, { compiled: this.remember(row.dagHash, data), row });
      else {
        // A newer version was stored in between: read that DAG alone.
        const current = await this.current(row.dagId);
        if (current !== null) out.set(row.dagId, current);
      }
    }
    return out;
  }

  /**
   * The current version of a DAG with its dag row flags; null when the DAG is unknown. Reads the
   * serialized data only for a version not seen before.
   */
  async current(dagId: string): Promise<Current | null> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const row = await dagsSql.currentDag(this.db, dagId);
      if (row === null) return null;
      const hit = this.cached(row.dagHash);
      if (hit !== undefined) return { compiled: hit, row };
      const data = await dagsSql.serializedDagData(this.db, dagId, row.dagHash);
      // null: the processor stored a newer version in between; look again.
      if (data !== null) return { compiled: this.remember(row.dagHash, data), row };
    }
    throw new UpdraftError('DB_ERROR', `DAG '${dagId}' keeps changing while it is read; try again`);
  }

  /** A cached version only (no read): for the hot path. */
  cached(hash: string | null): CompiledDag | undefined {
    if (hash === null) return undefined;
    const hit = this.byHash.get(hash);
    if (hit !== undefined) {
      // Most recently used last.
      this.byHash.delete(hash);
      this.byHash.set(hash, hit);
    }
    return hit;
  }

  /**
   * The version a run was created with. When it is no longer known (the DAG changed and the
   * scheduler restarted), the current version stands in, with a warning.
   */
  async forRun(dagId: string, hash: string | null): Promise<CompiledDag> {
    const hit = this.cached(hash);
    if (hit !== undefined) return hit;
    const current = await this.current(dagId);
    if (current === null) throw new UpdraftError('DAG_NOT_FOUND', `DAG '${dagId}' has no serialized version (was its file removed?)`);
    if (hash !== null && current.compiled.hash !== hash && !this.warned.has(hash)) {
      this.warned.add(hash);
      this.logger.warn({ dagId, runDagHash: hash, currentDagHash: current.compiled.hash },
        'DAG version of the run is no longer stored; using the current version');
    }
    return current.compiled;
  }

  private remember(hash: string, data: unknown): CompiledDag {
    const hit = this.byHash.get(hash);
    if (hit !== undefined) return hit;
    const compiled = compileDag(hash, data);
    this.byHash.set(hash, compiled);
    this.tasksCached += compiled.tasks.size;
    for (const [oldest, old] of this.byHash) {
      if (oldest === hash || (this.byHash.size <= this.maxVersions && this.tasksCached <= this.maxTasks)) break;
      this.byHash.delete(oldest);
      this.tasksCached -= old.tasks.size;
    }
    return compiled;
  }
}
