/**
 * Declarative notifiers: `slack(...)`, `email(...)`, `webhook(...)`. They hold no code, only a
 * description of where an alert goes, so the scheduler delivers them itself (an alert outbox sent
 * with retries) without importing the DAG file. Usable wherever a callback is:
 *
 *     onFailure: slack({ channel: '#etl' })
 *     onFailure: [slack({ channel: '#etl' }), email({ to: 'oncall@example.com' })]
 */
import { DagDefinitionError } from './errors.js';
import { isValidTimeZone } from './timezone.js';

/** Where one alert goes, as stored in the serialized DAG and in each outbox row. */
export type AlertTarget =
  | { kind: 'slack'; channel: string; connId: string; timezone?: string }
  | { kind: 'email'; to: string[]; connId: string; timezone?: string }
  | { kind: 'webhook'; url: string | null; connId: string | null; timezone?: string };

/** A declarative notifier (what slack(), email() and webhook() return). */
export interface AlertNotifier {
  readonly alert: AlertTarget;
}

export interface SlackOptions {
  /** Channel name (`#etl`) or id (`C0123456`). */
  channel: string;
  /** Connection with the bot token as password (and Slack's API URL as host when not the default). Default 'slack_default'. */
  connId?: string;
  /** IANA timezone of the times in the message. Default: the DAG's timezone. */
  timezone?: string;
}

export interface EmailOptions {
  /** One address or several. */
  to: string | string[];
  /** SMTP connection: host, port, login, password, extra `{"tls": true, "from": "..."}`. Default 'smtp_default'. */
  connId?: string;
  /** IANA timezone of the times in the message. Default: the DAG's timezone. */
  timezone?: string;
}

export interface WebhookOptions {
  /** Where the JSON is POSTed. Either url or connId (whose host, port and schema make the URL; password: a bearer token). */
  url?: string;
  connId?: string;
  /** IANA timezone of the formatted times in the payload. Default: the DAG's timezone. */
  timezone?: string;
}

function invalid(message: string): never {
  throw new DagDefinitionError('invalid', message);
}

function nonEmpty(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') invalid(`${what} must be a non-empty string, got ${JSON.stringify(value) ?? 'undefined'}`);
  return value;
}

function timezoneOf(value: unknown, what: string): { timezone?: string } {
  if (value === undefined) return {};
  if (typeof value !== 'string' || !isValidTimeZone(value)) invalid(`${what}: unknown timezone ${JSON.stringify(value)}`);
  return { timezone: value };
}

/** Posts a Block Kit message to a Slack channel (chat.postMessage) with the bot token of `connId`. */
export function slack(o: SlackOptions): AlertNotifier {
  if (typeof o !== 'object' || o === null) invalid('slack(): options must be an object');
  return {
    alert: {
      kind: 'slack', channel: nonEmpty(o.channel, 'slack(): channel'), connId: nonEmpty(o.connId ?? 'slack_default', 'slack(): connId'),
      ...timezoneOf(o.timezone, 'slack()'),
    },
  };
}

/** Sends an e-mail (HTML and plain text) through the SMTP server of `connId`. */
export function email(o: EmailOptions): AlertNotifier {
  if (typeof o !== 'object' || o === null) invalid('email(): options must be an object');
  const to = (Array.isArray(o.to) ? o.to : [o.to]).map((a, i) => nonEmpty(a, `email(): to[${i}]`));
  if (to.length === 0) invalid('email(): to must name at least one address');
  for (const a of to) if (!/^[^\s@]+@[^\s@]+$/.test(a)) invalid(`email(): '${a}' is not an e-mail address`);
  return { alert: { kind: 'email', to, connId: nonEmpty(o.connId ?? 'smtp_default', 'email(): connId'), ...timezoneOf(o.timezone, 'email()') } };
}

/** POSTs the alert as JSON to `url` (or the URL of connection `connId`). */
export function webhook(o: WebhookOptions): AlertNotifier {
  if (typeof o !== 'object' || o === null) invalid('webhook(): options must be an object');
  if ((o.url === undefined) === (o.connId === undefined)) invalid('webhook(): give either url or connId');
  let url: string | null = null;
  if (o.url !== undefined) {
    url = nonEmpty(o.url, 'webhook(): url');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      invalid(`webhook(): url '${url}' is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') invalid(`webhook(): url '${url}' must be http or https`);
  }
  return {
    alert: { kind: 'webhook', url, connId: o.connId === undefined ? null : nonEmpty(o.connId, 'webhook(): connId'), ...timezoneOf(o.timezone, 'webhook()') },
  };
}

/** Whether `value` is a declarative notifier (not a function or an object with notify()). */
export function isAlertNotifier(value: unknown): value is AlertNotifier {
  if (typeof value !== 'object' || value === null || typeof (value as { notify?: unknown }).notify === 'function') return false;
  const alert = (value as { alert?: unknown }).alert;
  return typeof alert === 'object' && alert !== null && ['slack', 'email', 'webhook'].includes((alert as { kind?: string }).kind ?? '');
}
