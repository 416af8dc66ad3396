/**
 * Changing task instances: clear them (`POST /dags/{dag_id}/clearTaskInstances`, Airflow's
 * selection: tasks, dates or one run, upstream/downstream, only failed/running; dry run by
 * default) and mark one success or failed (`PATCH .../taskInstances/{task_id}`, which also clears
 * its failed and upstream_failed downstream instances, as Airflow does). Both go through
 * the declared state transitions and hand the run back to a scheduler with a notification (a
 * finished run goes back to queued, a running one stays running), so a scheduler evaluates it at
 * once and runs what became ready.
 */
import { clearEventExtra, clearItems, clearSql, dagsSql, instancesToClear, markTaskInstance } from '@updraft/core';
import type { SerializedDag } from '@updraft/sdk';
import type { Static } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { recordEvents } from '../http/events.js';
import { HttpProblem } from '../http/problem.js';
import { ClearTaskInstancesBody, TaskInstanceReference, TaskInstanceReferenceCollection, UpdateTaskInstanceBody } from './actions.schemas.js';
import { errorResponses } from './common.schemas.js';
import { DagIdParams } from './dags.schemas.js';
import { findTaskInstance } from './task-instances.js';
import { MapIndexQuery, TaskInstanceParams } from './task-instances.schemas.js';

async function loadedDag(ctx: RouteContext, dagId: string): Promise<SerializedDag> {
  const current = await dagsSql.currentDag(ctx.db, dagId, { withData: true });
  if (current === null) throw new HttpProblem(404, `DAG '${dagId}' not found (is its file in the DAGs folder and free of import errors?)`, { field: 'path.dag_id' });
  return current.dag;
}

type Reference = Static<typeof TaskInstanceReference>;

/** The most task instances one request clears (and answers): a bigger selection is refused, to be narrowed. */
export const MAX_CLEAR = 10_000;

/** Refuses an element of task_ids that is neither a string nor a [task_id, map_index] pair, naming it. */
function checkTaskIdPairs(taskIds: unknown): void {
  if (!Array.isArray(taskIds)) return;
  taskIds.forEach((t: unknown, i) => {
    if (typeof t === 'string') return;
    const pair = Array.isArray(t) && t.length === 2 && typeof t[0] === 'string' && Number.isSafeInteger(t[1]) && (t[1] as number) >= 0;
    if (!pair) {
      throw new HttpProblem(400, `body.task_ids.${i} must be a task id or a [task_id, map_index] pair (a string and a non-negative integer), got ${JSON.stringify(t)?.slice(0, 100)}`, { field: `body.task_ids.${i}` });
    }
  });
}

/**
 * The map indexes of the tasks named only as [task_id, map_index] pairs (a task also named alone
 * is cleared whole), or undefined when there are none.
 */
function mapIndexesOf(taskIds: ReadonlyArray<string | [string, number]>): Array<{ taskId: string; mapIndex: number }> | undefined {
  const whole = new Set(taskIds.filter((t): t is string => typeof t === 'string'));
  const pairs = taskIds.filter((t): t is [string, number] => typeof t !== 'string' && !whole.has(t[0])).map(([taskId, mapIndex]) => ({ taskId, mapIndex }));
  return pairs.length === 0 ? undefined : pairs;
}

export function taskInstanceActionRoutes(app: Api, ctx: RouteContext): void {
  app.post('/api/v1/dags/:dag_id/clearTaskInstances', {
    config: { permission: 'task_instances.edit' },
    schema: {
      tags: ['TaskInstance'], summary: 'Clear task instances: they run again with a new try (dry_run, the default: answers them)',
      params: DagIdParams, body: ClearTaskInstancesBody, response: { 200: TaskInstanceReferenceCollection, ...errorResponses(404) },
    },
    // Before the schema's type coercion: a pair is a task id and a non-negative integer, nothing coerced to one.
    preValidation: async (request) => checkTaskIdPairs((request.body as { task_ids?: unknown } | undefined)?.task_ids),
  }, async (request) => {
    const dagId = request.params.dag_id;
    const b = request.body;
    if (b.dag_run_id !== undefined && (b.start_date !== undefined || b.end_date !== undefined)) {
      throw new HttpProblem(400, 'body.dag_run_id selects one run: do not combine it with start_date / end_date', { field: 'body.dag_run_id' });
    }
    let from = b.start_date === undefined ? undefined : new Date(b.start_date);
    let to = b.end_date === undefined ? undefined : new Date(b.end_date);
    if (from !== undefined && to !== undefined && from > to) throw new HttpProblem(400, 'body.start_date is after body.end_date', { field: 'body.start_date' });
    const dag = await loadedDag(ctx, dagId);
    const known = new Set(dag.tasks.map((t) => t.taskId));
    const named = (b.task_ids ?? []).map((t) => (typeof t === 'string' ? t : t[0]));
    const unknown = [...new Set(named)].filter((t) => !known.has(t));
    if (unknown.length > 0) throw new HttpProblem(400, `body.task_ids: DAG '${dagId}' has no task ${unknown.map((t) => `'${t}'`).join(', ')}`, { field: 'body.task_ids' });
    let runId = b.dag_run_id;
    if (runId !== undefined) {
      const run = (await clearSql.instancesInRange(ctx.db, dagId, { runId, limit: 1 }))[0];
      if (run === undefined) throw new HttpProblem(404, `DAG run '${runId}' of DAG '${dagId}' not found`, { field: 'body.dag_run_id' });
      // With past or future runs too, the run stands for its logical date (Airflow's meaning).
      if (b.include_past || b.include_future) [from, to, runId] = [run.logicalDate, run.logicalDate, undefined];
    }
    if (b.include_past) from = undefined;
    if (b.include_future) to = undefined;
    const wanted = b.task_ids === undefined ? undefined : new Set(named);
    const instances = await instancesToClear(ctx.db, dag, {
      from, to, runId, include: wanted === undefined ? undefined : (taskId) => wanted.has(taskId), mapIndexes: mapIndexesOf(b.task_ids ?? []),
      downstream: b.include_downstream, upstream: b.include_upstream, onlyFailed: b.only_failed, onlyRunning: b.only_running, limit: MAX_CLEAR + 1,
    });
    if (instances.length > MAX_CLEAR) {
      throw new HttpProblem(400, `the selection holds more than ${MAX_CLEAR} task instances: narrow it (start_date, end_date, dag_run_id, task_ids)`, { field: 'body' });
    }
    const refs: Reference[] = instances.map((i) => ({
      task_id: i.taskId, dag_id: dagId, dag_run_id: i.runId, execution_date: i.logicalDate.toISOString(), map_index: i.mapIndex,
      state: i.state === 'none' ? null : i.state,
    }));
    if (!b.dry_run && instances.length > 0) {
      const cleared = await clearSql.clearTaskInstances(ctx.db, dagId, clearItems(dag, instances));
      await recordEvents(ctx.db, request, [...new Set(instances.map((i) => i.runId))].map((runId) => ({
        event: 'task_instances.clear', dagId, runId, extra: { ...clearEventExtra(instances, runId), cleared_in_request: cleared },
      })));
    }
    return { task_instances: refs, total_entries: refs.length };
  });

  app.patch('/api/v1/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id', {
    config: { permission: 'task_instances.edit' },
    schema: {
      tags: ['TaskInstance'], summary: 'Mark a task instance success or failed (dry_run: answer what would change)', params: TaskInstanceParams,
      querystring: MapIndexQuery, body: UpdateTaskInstanceBody, response: { 200: TaskInstanceReference, ...errorResponses(404, 409) },
    },
  }, async (request) => {
    const p = request.params;
    const mapIndex = request.query.map_index;
    const ti = await findTaskInstance(ctx, p, mapIndex);
    const { new_state: state, dry_run: dryRun } = request.body;
    const ref = (s: string | null): Reference => ({
      task_id: p.task_id, dag_id: p.dag_id, dag_run_id: p.dag_run_id, execution_date: ti.logicalDate.toISOString(), map_index: mapIndex, state: s,
    });
    if (ti.state === 'removed') throw new HttpProblem(409, `task instance '${p.task_id}' was removed from the DAG; it cannot be marked`, { field: 'path.task_id' });
    if (dryRun) return ref(ti.state);
    // With it, its failed and upstream_failed downstream instances are cleared to be decided again (Airflow).
    const { marked, cleared } = await markTaskInstance(ctx.db, await loadedDag(ctx, p.dag_id), { runId: p.dag_run_id, taskId: p.task_id, mapIndex, state });
    if (marked !== undefined) {
      await recordEvents(ctx.db, request, [{
        event: `task_instance.${state}`, dagId: p.dag_id, runId: p.dag_run_id, taskId: p.task_id, mapIndex, extra: { from: marked.from, downstream_cleared: cleared },
      }]);
    }
    return ref(state);
  });
}

