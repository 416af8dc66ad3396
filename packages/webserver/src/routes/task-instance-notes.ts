/** PATCH .../taskInstances/{task_id}/setNote: a task instance's note (Airflow's), kept across its tries. */
import { taskInstanceNotesSql, taskInstancePagesSql } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { recordEvents } from '../http/events.js';
import { HttpProblem } from '../http/problem.js';
import { errorResponses } from './common.schemas.js';
import { taskInstanceJson } from './task-instances.js';
import { MapIndexQuery, SetTaskInstanceNoteBody, TaskInstanceParams, TaskInstanceSchema } from './task-instances.schemas.js';

export function taskInstanceNoteRoutes(app: Api, ctx: RouteContext): void {
  app.patch('/api/v1/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id/setNote', {
    config: { permission: 'task_instances.edit' },
    schema: {
      tags: ['TaskInstance'], summary: 'Set the note of a task instance', params: TaskInstanceParams, querystring: MapIndexQuery,
      body: SetTaskInstanceNoteBody, response: { 200: TaskInstanceSchema, ...errorResponses(404) },
    },
  }, async (request) => {
    const p = request.params;
    const key = { dagId: p.dag_id, runId: p.dag_run_id, taskId: p.task_id, mapIndex: request.query.map_index };
    const note = request.body.note?.trim() ? request.body.note : null;
    const missing = (): HttpProblem => new HttpProblem(404, `task instance '${p.task_id}'${key.mapIndex >= 0 ? ` [${key.mapIndex}]` : ''} of run '${p.dag_run_id}' of DAG '${p.dag_id}' not found`, { field: 'path.task_id' });
    if (!(await taskInstanceNotesSql.setTaskInstanceNote(ctx.db, key, note, request.user?.username ?? null))) throw missing();
    await recordEvents(ctx.db, request, [{ event: 'task_instance.note', dagId: p.dag_id, runId: p.dag_run_id, taskId: p.task_id, mapIndex: key.mapIndex, extra: { cleared: note === null } }]);
    const page = await taskInstancePagesSql.listTaskInstancePage(ctx.db, { limit: 1000, offset: 0, dagId: p.dag_id, runId: p.dag_run_id, taskIds: [p.task_id] });
    const ti = page.rows.find((r) => r.mapIndex === key.mapIndex);
    if (ti === undefined) throw missing();
    return taskInstanceJson(ti);
  });
}
