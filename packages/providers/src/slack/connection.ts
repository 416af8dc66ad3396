/**
 * What a Slack connection means, by conn_type:
 *   - `slackwebhook` (also `slack_webhook`, `http`, `https`): an incoming webhook. Its URL is the
 *     password when that is a whole URL; otherwise the host (the base URL, as for an HTTP
 *     connection; default `https://hooks.slack.com/services`) followed by the password (the
 *     webhook's `T000/B000/XXXX` path), or the host alone when there is no password.
 *   - `slack`: the Web API with a token (chat.postMessage): the token is the password, the host,
 *     when set, the Web API's base URL (default `https://slack.com/api`), as for the scheduler's
 *     Slack alerts, so one connection serves both.
 */
import type { TaskConnection } from '@updraft/sdk';
import { ConnectionTypeError } from '../errors.js';
import { httpBaseUrl, joinUrl } from '../http/connection.js';

export const SLACK_WEBHOOK_CONN_TYPES: readonly string[] = ['slackwebhook', 'slack_webhook', 'http', 'https'];
export const SLACK_API_CONN_TYPES: readonly string[] = ['slack'];

export type SlackTarget =
  | { kind: 'webhook'; url: string }
  | { kind: 'api'; url: string; token: string };

const isUrl = (text: string): boolean => /^https?:\/\//i.test(text);

export function slackTarget(conn: TaskConnection): SlackTarget {
  const type = conn.connType.toLowerCase();
  const password = (conn.password ?? '').trim();
  const hasHost = (conn.host ?? '').trim() !== '';
  if (SLACK_WEBHOOK_CONN_TYPES.includes(type)) {
    if (isUrl(password)) return { kind: 'webhook', url: password };
    const base = hasHost ? httpBaseUrl(conn) : 'https://hooks.slack.com/services';
    if (password === '' && !hasHost) throw new Error(`Slack webhook connection '${conn.connId}' has neither a host nor a password (the webhook URL or its path)`);
    return { kind: 'webhook', url: password === '' ? base : joinUrl(base, password) };
  }
  if (SLACK_API_CONN_TYPES.includes(type)) {
    if (password === '') throw new Error(`Slack connection '${conn.connId}' has no token (set its password to the xoxb-... token)`);
    const base = hasHost ? httpBaseUrl({ ...conn, connType: 'https' }) : 'https://slack.com/api';
    return { kind: 'api', url: joinUrl(base, 'chat.postMessage'), token: password };
  }
  throw new ConnectionTypeError(conn.connId, conn.connType, [...SLACK_WEBHOOK_CONN_TYPES, ...SLACK_API_CONN_TYPES]);
}
