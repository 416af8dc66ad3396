/**
 * Slack notifier: chat.postMessage through the official WebClient, with the bot token of the
 * notifier's connection (its password; its host, when set, is the Web API's base URL). The message
 * is a coloured attachment holding Block Kit blocks: title with the state's emoji, the fields,
 * the error and the last log lines, and the buttons "View log" (a link to the try in the web UI)
 * and, for a failed try, "Retry" (action id `updraft_retry`, value: the try as JSON).
 * The client's own retries are off: the outbox retries, honouring Retry-After, without blocking.
 */
import { ErrorCode, WebClient, type WebAPICallError } from '@slack/web-api';
import type { Connection } from '@updraft/core';
import { AlertSendError } from './errors.js';
import { groupedTaskLine, type AlertMessage } from './message.js';

export const SLACK_RETRY_ACTION_ID = 'updraft_retry';
/** Slack's limits: section text 3000 characters, a field 2000. */
const SECTION_LIMIT = 2900;

/** Errors of a token or an app that retrying cannot fix. */
const FATAL_PLATFORM_ERRORS = new Set([
  'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission', 'missing_scope',
  'channel_not_found', 'not_in_channel', 'is_archived', 'invalid_blocks', 'invalid_attachments', 'msg_too_long', 'restricted_action',
]);

const clip = (text: string, limit: number): string => (text.length <= limit ? text : `${text.slice(0, limit - 1)}…`);
/** Slack mrkdwn needs &, < and > escaped in text that is not markup. */
const esc = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The chat.postMessage arguments (besides the channel) for `m`. */
export function slackMessage(m: AlertMessage): { text: string; attachments: Array<Record<string, unknown>> } {
  const blocks: Array<Record<string, unknown>> = [
    { type: 'section', text: { type: 'mrkdwn', text: `${m.emoji} *${esc(m.title)}*` } },
    { type: 'section', fields: m.fields.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: clip(`*${esc(f.label)}*\n${esc(f.value)}`, 1900) })) },
  ];
  if (m.exception !== null && m.exception !== '') {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*Error*\n${esc(m.exception)}`, SECTION_LIMIT) } });
  }
  if (m.tasks !== null) {
    // Each failed task linked to its log; the end is cut when Slack's limit is reached.
    let text = '*Tasks*';
    let shown = 0;
    for (const t of m.tasks) {
      const line = `\n• <${t.logUrl}|${esc(groupedTaskLine(t).slice(0, 300))}>`;
      if (text.length + line.length > SECTION_LIMIT - 40) break;
      text += line;
      shown++;
    }
    if (shown < m.tasks.length) text += `\n… and ${m.tasks.length - shown} more`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
  }
  if (m.logTail.length > 0) {
    // The end of the log matters most: keep the last lines that fit.
    let tail = m.logTail.join('\n').replaceAll('```', "'''");
    if (tail.length > SECTION_LIMIT - 40) tail = `…${tail.slice(tail.length - (SECTION_LIMIT - 40))}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Last ${m.logTail.length} log lines*\n\`\`\`${esc(tail)}\`\`\`` } });
  }
  const buttons: Array<Record<string, unknown>> = [
    { type: 'button', action_id: 'updraft_view_log', text: { type: 'plain_text', text: m.tasks === null ? 'View log' : 'View run' }, url: m.logUrl, style: 'primary' },
  ];
  if (m.retry !== null) {
    buttons.push({
      type: 'button', action_id: SLACK_RETRY_ACTION_ID, text: { type: 'plain_text', text: 'Retry' }, style: 'danger',
      value: JSON.stringify({ dag_id: m.retry.dagId, run_id: m.retry.runId, task_id: m.retry.taskId, map_index: m.retry.mapIndex, try_number: m.retry.tryNumber }),
    });
  }
  blocks.push({ type: 'actions', elements: buttons });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Times in ${esc(m.timezone)}` }] });
  return { text: `${m.emoji} ${m.title}`, attachments: [{ color: m.color, fallback: m.title, blocks }] };
}

function slackApiUrl(c: Connection): string | undefined {
  if (c.host === null || c.host === '') return undefined;
  const base = /^https?:\/\//.test(c.host) ? c.host : `https://${c.host}${c.port === null ? '' : `:${c.port}`}`;
  return base.endsWith('/') ? base : `${base}/`;
}

/** Posts `m` to `channel` with the token of connection `c`. Errors name the connection, never the token. */
export async function sendSlack(c: Connection, channel: string, m: AlertMessage, timeoutMs: number): Promise<void> {
  const token = c.password ?? '';
  if (token === '') {
    throw new AlertSendError(`Slack connection '${c.connId}' has no bot token (set its password to the xoxb-... token)`, { retryable: false });
  }
  const client = new WebClient(token, {
    slackApiUrl: slackApiUrl(c), timeout: timeoutMs, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true,
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, setLevel: () => undefined, getLevel: () => 'error' as never, setName: () => undefined },
  });
  try {
    await client.chat.postMessage({ channel, ...slackMessage(m) } as Parameters<WebClient['chat']['postMessage']>[0]);
  } catch (err) {
    throw slackError(err as WebAPICallError, c.connId, channel);
  }
}

function slackError(err: WebAPICallError | Error, connId: string, channel: string): AlertSendError {
  const where = `Slack connection '${connId}'`;
  switch ((err as WebAPICallError).code) {
    case ErrorCode.PlatformError: {
      const code = (err as Extract<WebAPICallError, { code: ErrorCode.PlatformError }>).data.error;
      const what = ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired'].includes(code)
        ? `Slack refused the bot token of ${where} (${code}): check the connection's password`
        : `Slack refused the message to ${channel} via ${where}: ${code}`;
      return new AlertSendError(what, { retryable: !FATAL_PLATFORM_ERRORS.has(code), cause: err });
    }
    case ErrorCode.RateLimitedError: {
      const seconds = (err as Extract<WebAPICallError, { code: ErrorCode.RateLimitedError }>).retryAfter;
      return new AlertSendError(`Slack rate-limited ${where} (Retry-After ${seconds} s)`, { retryable: true, retryAfterMs: seconds * 1000, cause: err });
    }
    case ErrorCode.HTTPError: {
      const status = (err as Extract<WebAPICallError, { code: ErrorCode.HTTPError }>).statusCode;
      return new AlertSendError(`Slack answered HTTP ${status} via ${where}`, { retryable: status >= 500 || status === 408, cause: err });
    }
    case ErrorCode.RequestError: {
      const original = (err as Extract<WebAPICallError, { code: ErrorCode.RequestError }>).original;
      return new AlertSendError(`cannot reach Slack via ${where}: ${original?.message ?? err.message}`, { retryable: true, cause: err });
    }
    default:
      return new AlertSendError(`sending to Slack via ${where} failed: ${err.message}`, { retryable: true, cause: err });
  }
}
