/**
 * What the UI's overview pages need and the Airflow-shaped API has no route for, each in one
 * request: the newest runs, time zone and active runs of a page of DAGs (the DAG list) and a DAG's grid (its newest
 * runs and their task instances). Same permissions as the API routes they summarise.
 */
import { Type, type Static } from 'typebox';
import { gridSql } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { HttpProblem } from '../http/problem.js';
import { errorResponses, idParam, iso, Nullable, NullableDateTime, DateTime } from '../routes/common.schemas.js';

const RunSummarySchema = Type.Object({
  dag_id: Type.String(),
  dag_run_id: Type.String(),
  run_type: Type.String(),
  state: Type.String(),
  logical_date: DateTime(),
  data_interval_start: NullableDateTime(),
  data_interval_end: NullableDateTime(),
  queued_at: NullableDateTime(),
  start_date: NullableDateTime(),
  end_date: NullableDateTime(),
  duration: Nullable(Type.Number({ description: 'Seconds, once the run ended.' })),
});

const DagOverviewsQuery = Type.Object({
  dag_ids: Type.Array(idParam('dag id', 'A DAG id.'), { minItems: 1, maxItems: 100, description: 'The DAGs (at most 100).' }),
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 14, description: 'Runs per DAG (at most 50).' }),
});

const DagOverviewsSchema = Type.Object({
  dags: Type.Array(Type.Object({
    dag_id: Type.String(),
    timezone: Type.String({ description: 'The time zone of the DAG\'s schedule.' }),
    running_runs: Type.Integer(),
    queued_runs: Type.Integer(),
    dag_runs: Type.Array(RunSummarySchema, { description: 'The newest runs, newest first.' }),
  })),
});

// A cell: what the grid draws and its hover card shows (the task instance's times are in its own read).
const GridCellSchema = Type.Object({
  dag_run_id: Type.String(),
  task_id: Type.String(),
  map_index: Type.Integer(),
  state: Nullable(Type.String()),
  try_number: Type.Integer(),
  max_tries: Type.Integer(),
  duration: Nullable(Type.Number({ description: 'Seconds.' })),
  hostname: Nullable(Type.String()),
  worker: Nullable(Type.String()),
});

const GridQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 25, description: 'Runs (at most 100), newest first.' }),
  before: Type.Optional(DateTime('Only runs with a logical date before this instant (the previous page).')),
});

const GridSchema = Type.Object({
  dag_runs: Type.Array(RunSummarySchema, { description: 'Newest first.' }),
  task_instances: Type.Array(GridCellSchema),
});

function runJson(r: gridSql.RunSummary): Static<typeof RunSummarySchema> {
  return {
    dag_id: r.dagId, dag_run_id: r.runId, run_type: r.runType, state: r.state, logical_date: r.logicalDate.toISOString(),
    data_interval_start: iso(r.dataIntervalStart), data_interval_end: iso(r.dataIntervalEnd), queued_at: iso(r.queuedAt),
    start_date: iso(r.startDate), end_date: iso(r.endDate),
    duration: r.startDate && r.endDate ? (r.endDate.getTime() - r.startDate.getTime()) / 1000 : null,
  };
}

export function uiGridRoutes(app: Api, ctx: RouteContext): void {
  app.get('/ui/dags/overview', {
    config: { permission: 'dag_runs.read' },
    schema: {
      tags: ['UI'], summary: 'For each of some DAGs: its newest runs, time zone and active runs (the DAG list)',
      querystring: DagOverviewsQuery, response: { 200: DagOverviewsSchema, ...errorResponses() },
    },
  }, async (request) => {
    const ids = [...new Set(request.query.dag_ids)];
    const [statuses, runs] = await Promise.all([
      gridSql.dagStatuses(ctx.db, ids),
      gridSql.recentRunsOfDags(ctx.db, ids, request.query.limit),
    ]);
    const byDag = new Map<string, Static<typeof RunSummarySchema>[]>();
    for (const r of runs) {
      const list = byDag.get(r.dagId) ?? [];
      list.push(runJson(r));
      byDag.set(r.dagId, list);
    }
    return {
      dags: statuses.map((st) => ({
        dag_id: st.dagId, timezone: st.timezone, running_runs: st.runningRuns, queued_runs: st.queuedRuns, dag_runs: byDag.get(st.dagId) ?? [],
      })),
    };
  });

  app.get('/ui/dags/:dag_id/grid', {
    config: { permission: 'task_instances.read' },
    schema: {
      tags: ['UI'], summary: 'A DAG\'s grid: its newest runs and their task instances',
      params: Type.Object({ dag_id: idParam('dag id', 'The DAG id.') }), querystring: GridQuery,
      response: { 200: GridSchema, ...errorResponses(404) },
    },
  }, async (request) => {
    const { dag_id: dagId } = request.params;
    const before = request.query.before ? new Date(request.query.before) : null;
    const runs = await gridSql.gridRuns(ctx.db, dagId, request.query.limit, before);
    if (runs.length === 0 && !(await gridSql.dagExists(ctx.db, dagId))) {
      throw new HttpProblem(404, `DAG '${dagId}' not found`, { field: 'path.dag_id' });
    }
    const cells = await gridSql.gridCells(ctx.db, dagId, runs.map((r) => r.runId));
    return {
      dag_runs: runs.map(runJson),
      task_instances: cells.map((c) => ({
        dag_run_id: c.runId, task_id: c.taskId, map_index: c.mapIndex, state: c.state, try_number: c.tryNumber,
        max_tries: c.maxTries, duration: c.durationMs === null ? null : c.durationMs / 1000, hostname: c.hostname, worker: c.worker,
      })),
    };
  });
}
