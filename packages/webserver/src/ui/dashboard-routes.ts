/**
 * The home page's data (Airflow's dashboard): DAGs active, paused, failing and running, import
 * errors, the live workers and their slots, and the runs of the last `hours` hours (with every run
 * still queued or running) and their task instances counted by state. Pools and the database's and
 * scheduler's health come from their own routes.
 */
import { Type } from 'typebox';
import { dashboardSql, workersSql } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { DateTime } from '../routes/common.schemas.js';

const DashboardQuery = Type.Object({
  hours: Type.Integer({ minimum: 1, maximum: 24 * 90, default: 24, description: 'The window: runs created in the last this many hours (default 24), besides those still queued or running.' }),
});

const Counts = (description: string) => Type.Record(Type.String(), Type.Integer(), { description });

const DashboardSchema = Type.Object({
  since: DateTime('The start of the window.'),
  dags: Type.Object({
    active: Type.Integer({ description: 'DAGs not paused (their file present).' }),
    paused: Type.Integer(),
    failing: Type.Integer({ description: 'Active DAGs whose latest run failed.' }),
    running: Type.Integer({ description: 'DAGs whose latest run is running.' }),
    import_errors: Type.Integer({ description: 'DAG files that failed to import.' }),
  }),
  workers: Type.Object({
    online: Type.Integer({ description: 'Workers taking tasks.' }),
    draining: Type.Integer({ description: 'Workers finishing their tasks before they stop (they take no new ones).' }),
    slots: Type.Integer({ description: 'Task slots of the online workers.' }),
    running: Type.Integer({ description: 'Tasks the live workers run, as their last heartbeats said.' }),
  }),
  dag_runs: Type.Object({
    states: Counts('The runs by state.'),
    types: Counts('The runs by type: scheduled, manual, backfill, asset_triggered.'),
  }),
  task_instances: Type.Object({ states: Counts('The task instances of those runs by state (none: not ready yet).') }),
});

export function uiDashboardRoutes(app: Api, ctx: RouteContext): void {
  app.get('/ui/dashboard', {
    config: { permission: 'dags.read' },
    schema: { tags: ['UI'], summary: 'The home page\'s figures: DAGs by status, and the recent runs and task instances by state', querystring: DashboardQuery, response: { 200: DashboardSchema } },
  }, async (request) => {
    const since = new Date(Date.now() - request.query.hours * 3_600_000);
    const [dags, window, workers] = await Promise.all([
      dashboardSql.dagCounts(ctx.db), dashboardSql.windowCounts(ctx.db, since), workersSql.listWorkers(ctx.db, { all: false }),
    ]);
    const online = workers.filter((w) => w.state === 'online');
    return {
      since: since.toISOString(),
      dags: { active: dags.active, paused: dags.paused, failing: dags.failing, running: dags.running, import_errors: dags.importErrors },
      workers: {
        online: online.length, draining: workers.length - online.length,
        slots: online.reduce((n, w) => n + w.concurrency, 0), running: workers.reduce((n, w) => n + w.running, 0),
      },
      dag_runs: { states: window.runStates, types: window.runTypes },
      task_instances: { states: window.taskInstanceStates },
    };
  });
}
