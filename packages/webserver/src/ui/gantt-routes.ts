/**
 * A run's Gantt in one request: every try of every task instance of the run with when it was
 * queued, started and ended (the API has the tries of one task instance at a time). Same
 * permission as the task instances it shows.
 */
import { Type } from 'typebox';
import { gridSql } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { HttpProblem } from '../http/problem.js';
import { errorResponses, idParam, iso, Nullable, NullableDateTime } from '../routes/common.schemas.js';

const GanttTrySchema = Type.Object({
  task_id: Type.String(),
  map_index: Type.Integer(),
  try_number: Type.Integer(),
  state: Nullable(Type.String()),
  queued_at: NullableDateTime(),
  start_date: NullableDateTime(),
  end_date: NullableDateTime(),
  worker: Nullable(Type.String()),
});

const GanttSchema = Type.Object({
  tries: Type.Array(GanttTrySchema, { description: 'By task id, map index and try number.' }),
});

export function uiGanttRoutes(app: Api, ctx: RouteContext): void {
  app.get('/ui/dags/:dag_id/dagRuns/:dag_run_id/gantt', {
    config: { permission: 'task_instances.read' },
    schema: {
      tags: ['UI'], summary: 'A run\'s Gantt: every try of its task instances, queued, started and ended',
      params: Type.Object({ dag_id: idParam('dag id', 'The DAG id.'), dag_run_id: idParam('run id', 'The DAG run id.') }),
      response: { 200: GanttSchema, ...errorResponses(404) },
    },
  }, async (request) => {
    const { dag_id: dagId, dag_run_id: runId } = request.params;
    const tries = await gridSql.runTries(ctx.db, dagId, runId);
    if (tries.length === 0 && !(await gridSql.runExists(ctx.db, dagId, runId))) {
      throw new HttpProblem(404, `DAG run '${runId}' of DAG '${dagId}' not found`, { field: 'path.dag_run_id' });
    }
    return {
      tries: tries.map((t) => ({
        task_id: t.taskId, map_index: t.mapIndex, try_number: t.tryNumber, state: t.state,
        queued_at: iso(t.queuedAt), start_date: iso(t.startDate), end_date: iso(t.endDate), worker: t.worker,
      })),
    };
  });
}
