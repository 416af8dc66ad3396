/** GET /api/v1/alerts: the alert outbox, newest first: what was sent, what waits for a retry, what failed and why, what was muted. */
import { alertTargetText, alertsSql } from '@updraft/core';
import type { Static } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import type { AlertSchema } from './alerts.schemas.js';
import { AlertCollection, ListAlertsQuery } from './alerts.schemas.js';
import { errorResponses } from './common.schemas.js';

function alertJson(a: alertsSql.AlertRow): Static<typeof AlertSchema> {
  return {
    alert_id: Number(a.id), dag_id: a.dagId, dag_run_id: a.runId, task_id: a.taskId, map_index: a.mapIndex, try_number: a.tryNumber,
    event: a.event, notifier: alertTargetText(a.target), state: a.state, attempts: a.attempts, created_at: a.createdAt.toISOString(),
    sent_at: a.sentAt?.toISOString() ?? null, next_attempt_at: a.state === 'pending' ? a.nextAttemptAt.toISOString() : null, error: a.error,
  };
}

export function alertRoutes(app: Api, ctx: RouteContext): void {
  app.get('/api/v1/alerts', {
    config: { permission: 'alerts.read' },
    schema: {
      tags: ['Alert'], summary: 'List alerts of the declarative notifiers, newest first',
      description: 'Also `updraft alerts list`. Failed ones (`failed=true`) carry the error that ended them, naming the connection, never its secret.',
      querystring: ListAlertsQuery, response: { 200: AlertCollection, ...errorResponses() },
    },
  }, async (request) => {
    const q = request.query;
    const rows = await alertsSql.listAlerts(ctx.db, { failed: q.failed, dagId: q.dag_id, runId: q.dag_run_id, limit: q.limit ?? 100 });
    return { alerts: rows.map(alertJson), total_entries: rows.length };
  });
}
