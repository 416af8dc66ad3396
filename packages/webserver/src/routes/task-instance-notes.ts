/** PATCH .../taskInstances/{task_id}/setNote: a task instance's note (Airflow's), kept across its tries. */
import { taskInstanceNotesSql } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { recordEvents } from '../http/events.js';
import { errorResponses } from './common.schemas.js';
import { findTaskInstance, taskInstanceJson } from './task-instances.js';
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
    const mapIndex = request.query.map_index;
    const note = request.body.note?.trim() ? request.body.note : null;
    const key = { dagId: p.dag_id, runId: p.dag_run_id, taskId: p.task_id, mapIndex };
    // No such instance: the read below answers 404, naming it.
    if (await taskInstanceNotesSql.setTaskInstanceNote(ctx.db, key, note, request.user?.username ?? null)) {
      await recordEvents(ctx.db, request, [{ event: 'task_instance.note', dagId: p.dag_id, runId: p.dag_run_id, taskId: p.task_id, mapIndex, extra: { cleared: note === null } }]);
    }
    return taskInstanceJson(await findTaskInstance(ctx, p, mapIndex));
  });
}
