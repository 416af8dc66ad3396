/**
 * Webhook notifier: the alert as JSON, POSTed to the notifier's URL (or its connection's: host
 * with scheme, or https://host:port/schema; the password, when set, as a bearer token). Carries an
 * Idempotency-Key header (the alert's key) so a receiver can drop a repeat. A 2xx is success.
 */
import type { Connection } from '@updraft/core';
import { AlertSendError } from './errors.js';
import type { AlertMessage } from './message.js';

export function webhookUrl(c: Connection): string {
  if (c.host === null || c.host === '') throw new AlertSendError(`webhook connection '${c.connId}' has no host`, { retryable: false });
  if (/^https?:\/\//.test(c.host)) return c.host;
  return `https://${c.host}${c.port === null ? '' : `:${c.port}`}/${(c.schema ?? '').replace(/^\/+/, '')}`;
}

export function webhookBody(m: AlertMessage): Record<string, unknown> {
  return {
    event: m.event, state: m.state, title: m.title, dag_id: m.dagId, run_id: m.runId, task_id: m.taskId,
    try: m.tryText, logical_date: m.logicalDate, start_date: m.startedAt, end_date: m.endedAt, duration_ms: m.durationMs,
    hostname: m.hostname, exception: m.exception, log_tail: m.logTail, log_url: m.logUrl, timezone: m.timezone,
    fields: m.fields, key: m.key,
    ...(m.tasks === null ? {} : {
      tasks: m.tasks.map((t) => ({ task_id: t.taskId, map_index: t.mapIndex, try: t.tryText, hostname: t.hostname, end_date: t.endedAt, exception: t.exception, log_url: t.logUrl })),
    }),
  };
}

export async function sendWebhook(url: string, c: Connection | null, m: AlertMessage, timeoutMs: number): Promise<void> {
  const where = c === null ? `webhook ${new URL(url).origin}` : `webhook connection '${c.connId}'`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST', redirect: 'error', signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'Content-Type': 'application/json', 'Idempotency-Key': m.key,
        ...(c?.password ? { Authorization: `Bearer ${c.password}` } : {}),
      },
      body: JSON.stringify(webhookBody(m)),
    });
  } catch (err) {
    throw new AlertSendError(`cannot reach ${where}: ${(err as Error).message}`, { retryable: true, cause: err });
  }
  await response.body?.cancel().catch(() => undefined);
  if (!response.ok) {
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    const after = Number(response.headers.get('retry-after'));
    throw new AlertSendError(`${where} answered HTTP ${response.status}`, { retryable, retryAfterMs: Number.isFinite(after) && after > 0 ? after * 1000 : null });
  }
}
