/**
 * Changing DAG runs: set a run's state (Airflow's semantics), clear a run (dry run by default),
 * delete a run, and the batch list `POST /dags/~/dagRuns/list`. Every change is in the event log and reaches a
 * scheduler at once through the database's notification, as triggering and clearing do.
 */
import { clearItems, clearSql, dagDeleteSql, dagRunsSql, dagsSql, instancesToClear, markStateSql, taskInstancePagesSql } from '@updraft/core';
import { Type } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { recordEvents } from '../http/events.js';
import { HttpProblem } from '../http/problem.js';
import { ClearDagRunBody, UpdateDagRunStateBody } from './actions.schemas.js';
import { Deleted, errorResponses } from './common.schemas.js';
import { dagRunJson, findRun } from './dag-runs.js';
import { DagRunCollection, DagRunParams, DagRunSchema, ListDagRunsBatchBody } from './dag-runs.schemas.js';
import { TaskInstanceCollection } from './task-instances.schemas.js';
import { taskInstanceJson } from './task-instances.js';

/** The most task instances a run's clear answers in a dry run (a run rarely has more). */
const MAX_LISTED = 10_000;

export function runActionRoutes(app: Api, ctx: RouteContext): void {
  app.post('/api/v1/dags/~/dagRuns/list', {
    config: { permission: 'dag_runs.read' },
    schema: {
      tags: ['DAGRun'], summary: 'List DAG runs of many DAGs (filters in the body)', body: ListDagRunsBatchBody,
      response: { 200: DagRunCollection, ...errorResponses() },
    },
  }, async (request) => {
    const b = request.body;
    const range = (gte?: string, lte?: string) => ({ gte: gte === undefined ? undefined : new Date(gte), lte: lte === undefined ? undefined : new Date(lte) });
    const order = b.order_by === undefined ? undefined : { column: b.order_by.replace(/^-/, '') as dagRunsSql.DagRunOrderColumn, desc: b.order_by.startsWith('-') };
    const page = await dagRunsSql.listDagRunPage(ctx.db, {
      limit: b.page_limit ?? 100, offset: b.page_offset ?? 0, dagIds: b.dag_ids ?? null, states: b.states,
      logicalDate: range(b.execution_date_gte, b.execution_date_lte), startDate: range(b.start_date_gte, b.start_date_lte),
      endDate: range(b.end_date_gte, b.end_date_lte), orderBy: order,
    });
    return { dag_runs: page.rows.map(dagRunJson), total_entries: page.total };
  });

  app.delete('/api/v1/dags/:dag_id/dagRuns/:dag_run_id', {
    config: { permission: 'dag_runs.delete' },
    schema: {
      tags: ['DAGRun'], summary: 'Delete a DAG run with its task instances',
      description: 'Deletes the run, its task instances, tries, XCom, callbacks and alerts (the event log and task log files stay). 409 while any of its task instances is queued or running.',
      params: DagRunParams, response: { 204: Deleted, ...errorResponses(404, 409) },
    },
  }, async (request, reply) => {
    const { dag_id: dagId, dag_run_id: runId } = request.params;
    const result = await dagDeleteSql.deleteDagRun(ctx.db, dagId, runId);
    if (result.outcome === 'not_found') throw new HttpProblem(404, `DAG run '${runId}' of DAG '${dagId}' not found`, { field: 'path.dag_run_id' });
    if (result.outcome === 'active') {
      throw new HttpProblem(409, `DAG run '${runId}' has ${result.active} task instance(s) queued or running: wait for them to end (or mark the run failed), then delete it`, { field: 'path.dag_run_id' });
    }
    await recordEvents(ctx.db, request, [{ event: 'dag_run.delete', dagId, runId, extra: { task_instances: result.taskInstances } }]);
    return reply.code(204).send(null);
  });

  app.patch('/api/v1/dags/:dag_id/dagRuns/:dag_run_id', {
    config: { permission: 'dag_runs.edit' },
    schema: {
      tags: ['DAGRun'], summary: 'Set a DAG run\'s state: success, failed or queued', params: DagRunParams, body: UpdateDagRunStateBody,
      response: { 200: DagRunSchema, ...errorResponses(404) },
    },
  }, async (request) => {
    const { dag_id: dagId, dag_run_id: runId } = request.params;
    const run = await findRun(ctx, dagId, runId);
    const state = request.body.state;
    // Teardowns still to run are left to run (the run ends once they did): those of the DAG as loaded now, as a clear selects.
    const current = state === 'queued' ? null : await dagsSql.currentDag(ctx.db, dagId, { withData: true });
    const teardowns = current?.dag.tasks.filter((t) => t.teardown !== undefined).map((t) => t.taskId) ?? [];
    const from = await markStateSql.setDagRunState(ctx.db, dagId, runId, state, teardowns);
    if (from !== null) await recordEvents(ctx.db, request, [{ event: `dag_run.${state}`, dagId, runId, extra: { from: run.state } }]);
    return dagRunJson(await findRun(ctx, dagId, runId));
  });

  app.post('/api/v1/dags/:dag_id/dagRuns/:dag_run_id/clear', {
    config: { permission: 'dag_runs.edit' },
    schema: {
      tags: ['DAGRun'], summary: 'Clear a DAG run: its task instances run again (dry_run, the default: answers them)', params: DagRunParams,
      body: ClearDagRunBody, response: { 200: Type.Union([TaskInstanceCollection, DagRunSchema]), ...errorResponses(404) },
    },
  }, async (request) => {
    const { dag_id: dagId, dag_run_id: runId } = request.params;
    const b = request.body ?? { dry_run: true, only_failed: false };
    await findRun(ctx, dagId, runId);
    const current = await dagsSql.currentDag(ctx.db, dagId, { withData: true });
    if (current === null) throw new HttpProblem(404, `DAG '${dagId}' is not loaded (is its file in the DAGs folder and free of import errors?)`, { field: 'path.dag_id' });
    const instances = await instancesToClear(ctx.db, current.dag, { runId, onlyFailed: b.only_failed });
    if (b.dry_run !== false) {
      const page = await taskInstancePagesSql.listTaskInstancePage(ctx.db, { limit: MAX_LISTED, offset: 0, dagId, runId });
      const keys = new Set(instances.map((i) => `${i.taskId}\u0000${i.mapIndex}`));
      const listed = page.rows.filter((t) => keys.has(`${t.taskId}\u0000${t.mapIndex}`)).map(taskInstanceJson);
      return { task_instances: listed, total_entries: listed.length };
    }
    const cleared = await clearSql.clearTaskInstances(ctx.db, dagId, clearItems(current.dag, instances));
    await recordEvents(ctx.db, request, [{ event: 'dag_run.clear', dagId, runId, extra: { cleared, only_failed: b.only_failed } }]);
    return dagRunJson(await findRun(ctx, dagId, runId));
  });
}
