/** .../taskInstances: list (`~` for every DAG or run), get, tries. */
import { taskInstancePagesSql } from '@updraft/core';

type TaskInstancePageRow = taskInstancePagesSql.TaskInstancePageRow;
import type { Static } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { HttpProblem } from '../http/problem.js';
import { errorResponses, iso, parseOrderBy, range } from './common.schemas.js';
import { endReasonOf } from './end-reason.js';
import {
  ListTaskInstancesQuery, MapIndexQuery, TaskInstanceCollection, TaskInstanceListParams, TaskInstanceParams, TaskInstanceSchema,
  TaskTryParams,
} from './task-instances.schemas.js';

export function taskInstanceJson(t: TaskInstancePageRow & { renderedFields?: Record<string, unknown> | null }): Static<typeof TaskInstanceSchema> {
  return {
    task_id: t.taskId, task_display_name: t.taskId, dag_id: t.dagId, dag_run_id: t.runId, execution_date: t.logicalDate.toISOString(),
    start_date: iso(t.startedAt), end_date: iso(t.endedAt), duration: t.durationMs === null ? null : t.durationMs / 1000,
    state: t.state, try_number: t.tryNumber, map_index: t.mapIndex, max_tries: t.maxTries, hostname: t.hostname, unixname: null,
    pool: t.pool, pool_slots: t.poolSlots, queue: t.queue, priority_weight: t.priorityWeight, operator: t.operator,
    queued_when: iso(t.queuedAt), pid: t.pid, executor: null, executor_config: null, sla_miss: null, rendered_map_index: t.renderedMapIndex,
    rendered_fields: t.renderedFields ?? {}, trigger: null, triggerer_job: null, note: t.note, worker: t.worker, pending_reason: t.pendingReason,
    exit_code: t.exitCode, end_reason: endReasonOf(t), requeue_count: t.requeueCount, last_requeue_reason: t.lastRequeueReason,
  };
}

export function taskInstanceRoutes(app: Api, ctx: RouteContext): void {
  app.get('/api/v1/dags/:dag_id/dagRuns/:dag_run_id/taskInstances', {
    config: { permission: 'task_instances.read' },
    schema: {
      tags: ['TaskInstance'], summary: 'List task instances (`~` as dag_id or dag_run_id: of every DAG or run)',
      params: TaskInstanceListParams, querystring: ListTaskInstancesQuery, response: { 200: TaskInstanceCollection, ...errorResponses() },
    },
  }, async (request) => {
    const q = request.query;
    const p = request.params;
    const page = await taskInstancePagesSql.listTaskInstancePage(ctx.db, {
      limit: q.limit, offset: q.offset, dagId: p.dag_id === '~' ? null : p.dag_id, runId: p.dag_run_id === '~' ? null : p.dag_run_id,
      taskIds: q.task_ids, states: q.state, pools: q.pool, queues: q.queue, logicalDate: range(q, 'execution_date'),
      startDate: range(q, 'start_date'), endDate: range(q, 'end_date'), duration: { gte: q.duration_gte, lte: q.duration_lte },
      orderBy: parseOrderBy<taskInstancePagesSql.TaskInstanceOrderColumn>(q.order_by),
    });
    return { task_instances: page.rows.map(taskInstanceJson), total_entries: page.total };
  });

  app.get('/api/v1/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id', {
    config: { permission: 'task_instances.read' },
    schema: {
      tags: ['TaskInstance'], summary: 'Get a task instance', params: TaskInstanceParams, querystring: MapIndexQuery,
      response: { 200: TaskInstanceSchema, ...errorResponses(404) },
    },
  }, async (request) => {
    return taskInstanceJson(await findTaskInstance(ctx, request.params, request.query.map_index));
  });

  app.get('/api/v1/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id/tries', {
    config: { permission: 'task_instances.read' },
    schema: {
      tags: ['TaskInstance'], summary: 'List the tries of a task instance', params: TaskInstanceParams, querystring: MapIndexQuery,
      response: { 200: TaskInstanceCollection, ...errorResponses(404) },
    },
  }, async (request) => {
    const p = request.params;
    const tries = await taskInstancePagesSql.listTaskTries(ctx.db, { dagId: p.dag_id, runId: p.dag_run_id, taskId: p.task_id, mapIndex: request.query.map_index });
    if (tries.length === 0) await findTaskInstance(ctx, p, request.query.map_index);
    return { task_instances: tries.map(taskInstanceJson), total_entries: tries.length };
  });

  app.get('/api/v1/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id/tries/:task_try_number', {
    config: { permission: 'task_instances.read' },
    schema: {
      tags: ['TaskInstance'], summary: 'Get one try of a task instance', params: TaskTryParams, querystring: MapIndexQuery,
      response: { 200: TaskInstanceSchema, ...errorResponses(404) },
    },
  }, async (request) => {
    const p = request.params;
    const tries = await taskInstancePagesSql.listTaskTries(ctx.db, { dagId: p.dag_id, runId: p.dag_run_id, taskId: p.task_id, mapIndex: request.query.map_index }, p.task_try_number);
    const t = tries[0];
    if (t === undefined) throw new HttpProblem(404, `task '${p.task_id}' of run '${p.dag_run_id}' of DAG '${p.dag_id}' has no try ${p.task_try_number}`, { field: 'path.task_try_number' });
    return taskInstanceJson(t);
  });
}

/** The named task instance (map index `mapIndex`, -1 unmapped); 404 naming it when there is none. */
export async function findTaskInstance(ctx: RouteContext, p: { dag_id: string; dag_run_id: string; task_id: string }, mapIndex: number): Promise<TaskInstancePageRow> {
  const page = await taskInstancePagesSql.listTaskInstancePage(ctx.db, { limit: 1000, offset: 0, dagId: p.dag_id, runId: p.dag_run_id, taskIds: [p.task_id] });
  const ti = page.rows.find((r) => r.mapIndex === mapIndex);
  if (ti === undefined) throw new HttpProblem(404, `task instance '${p.task_id}' of run '${p.dag_run_id}' of DAG '${p.dag_id}' not found`, { field: 'path.task_id' });
  return ti;
}
