/**
 * The `slack` task type: one message through an incoming webhook or the Web API's
 * chat.postMessage, by the connection's conn_type (see connection.ts). `text` and `channel` are
 * templates, and so are the strings inside `blocks`.
 * The log shows where the message went (never the webhook's secret path or the token) and the
 * response status. A network error, a 5xx or a 429 is a retryable SlackSendError: the try fails
 * and the task's retries apply; when the answer has a Retry-After of at most `maxRetryAfter`
 * seconds, the try waits that long before it fails, so the next try does not come sooner than
 * Slack asked. Other answers (4xx, a Web API `ok: false`) fail the try as not retryable.
 */
import type { MappedTaskContext, Params, Task, TaskArgs, TaskContext } from '@updraft/sdk';
import { SlackSendError } from '../errors.js';
import { bodyExcerpt } from '../http/client.js';
import { assertOptionsObject, invalidOption, splitOptions, type TaskBuilder } from '../task-builder.js';
import { assertTemplateParses, renderForTask } from '../templating.js';
import { slackTarget } from './connection.js';

export interface SlackTaskOptions extends TaskArgs {
  /** A `slackwebhook` (incoming webhook) or `slack` (Web API token) connection. */
  connId: string;
  /** Channel id or name: required with the Web API; a webhook posts to its own channel. A template. */
  channel?: string;
  /** The message text (the notification's fallback when blocks are given); a template. */
  text: string;
  /** Block Kit blocks; their strings are templates. */
  blocks?: ReadonlyArray<Record<string, unknown>>;
  /** The longest Retry-After (seconds) a try waits out before it fails. Default 60. */
  maxRetryAfter?: number;
  /** Seconds to wait for Slack's answer. Default 30. */
  timeout?: number;
}

const OWN_KEYS = ['connId', 'channel', 'text', 'blocks', 'maxRetryAfter', 'timeout'] as const;

function validate(taskId: string, o: Partial<SlackTaskOptions>): void {
  const bad = (message: string): never => {
    throw invalidOption('slack', taskId, message);
  };
  if (typeof o.connId !== 'string' || o.connId.trim() === '') bad('connId must be a non-empty string');
  if (typeof o.text !== 'string' || o.text.trim() === '') bad('text must be a non-empty string');
  assertTemplateParses(o.text!, `slack task '${taskId}' text`);
  if (o.channel !== undefined) {
    if (typeof o.channel !== 'string' || o.channel.trim() === '') bad('channel must be a non-empty string');
    assertTemplateParses(o.channel!, `slack task '${taskId}' channel`);
  }
  if (o.blocks !== undefined) {
    if (!Array.isArray(o.blocks) || o.blocks.some((b) => typeof b !== 'object' || b === null || Array.isArray(b))) bad('blocks must be an array of objects (Block Kit blocks)');
    forEachString(o.blocks, (t) => assertTemplateParses(t, `slack task '${taskId}' blocks`));
  }
  for (const key of ['maxRetryAfter', 'timeout'] as const) {
    const v = o[key];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0) || (key === 'timeout' && v === 0))) bad(`${key} must be a ${key === 'timeout' ? 'positive' : 'non-negative'} number of seconds`);
  }
}

function forEachString(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((v) => forEachString(v, visit));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((v) => forEachString(v, visit));
}

function mapStrings(value: unknown, render: (text: string) => string): unknown {
  if (typeof value === 'string') return render(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, render));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, render)]));
  return value;
}

/** Retry-After (delta seconds or an HTTP date) in seconds; undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function runSlack(ctx: TaskContext, o: SlackTaskOptions): Promise<void> {
  const templates: Record<string, string> = { text: o.text };
  if (o.channel !== undefined) templates.channel = o.channel;
  let n = 0;
  forEachString(o.blocks, (t) => (templates[`blocks string ${++n}`] = t));
  const rendered = await renderForTask(ctx, templates);
  n = 0;
  const blocks = o.blocks === undefined ? undefined : mapStrings(o.blocks, () => rendered[`blocks string ${++n}`]!);

  const conn = await ctx.connection(o.connId);
  const target = slackTarget(conn);
  const channel = rendered.channel?.trim();
  if (target.kind === 'api' && (channel === undefined || channel === '')) {
    throw new SlackSendError(`slack task '${ctx.taskId}': connection '${conn.connId}' is a Web API connection: channel is required`, { retryable: false });
  }
  const body = JSON.stringify({ ...(channel ? { channel } : {}), text: rendered.text, ...(blocks === undefined ? {} : { blocks }) });
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
  if (target.kind === 'api') headers.Authorization = `Bearer ${target.token}`;
  // The webhook's path is its secret: the log names the origin and the connection only.
  const where = target.kind === 'api'
    ? `chat.postMessage at ${new URL(target.url).origin} to ${channel!}`
    : `the incoming webhook of connection '${conn.connId}' (${new URL(target.url).origin})${channel ? ` to ${channel}` : ''}`;
  ctx.log(`posting to ${where}: ${bodyExcerpt(rendered.text!)}`);

  let res: Response;
  let text: string;
  try {
    res = await fetch(target.url, { method: 'POST', headers, body, signal: AbortSignal.timeout((o.timeout ?? 30) * 1000) });
    text = await res.text();
  } catch (err) {
    const reason = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    throw new SlackSendError(`posting to ${where} failed: ${reason}`, { retryable: true, cause: err });
  }
  ctx.log(`HTTP ${res.status} ${res.statusText}${text === '' ? '' : `: ${bodyExcerpt(text)}`}`);
  if (res.status >= 500 || res.status === 429) {
    const after = retryAfterSeconds(res.headers.get('retry-after'));
    const bound = o.maxRetryAfter ?? 60;
    if (after !== undefined && after <= bound) {
      ctx.log(`Retry-After ${after} s: waiting before this try fails`);
      await sleep(after * 1000);
    } else if (after !== undefined) {
      ctx.log(`Retry-After ${after} s is over maxRetryAfter (${bound} s): not waiting`);
    }
    throw new SlackSendError(`Slack answered HTTP ${res.status} ${res.statusText} (${where})`, { retryable: true, status: res.status, ...(after === undefined ? {} : { retryAfter: after }) });
  }
  if (res.status >= 400) throw new SlackSendError(`Slack refused the message (${where}): HTTP ${res.status}: ${bodyExcerpt(text)}`, { retryable: false, status: res.status });
  if (target.kind === 'api') {
    let answer: { ok?: unknown; error?: unknown; ts?: unknown; channel?: unknown };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch (err) {
      throw new SlackSendError(`the Web API's answer is not JSON (${where}): ${bodyExcerpt(text)}`, { retryable: false, status: res.status, cause: err });
    }
    if (answer.ok !== true) throw new SlackSendError(`Slack refused the message (${where}): ${String(answer.error ?? 'ok is not true')}`, { retryable: false, status: res.status });
    ctx.log(`posted: channel ${String(answer.channel)}, ts ${String(answer.ts)}`);
  }
}

/**
 * Adds a Slack task to `d` (a Dag or a task group's builder) and returns it:
 *
 *     slack(d, 'announce', { connId: 'slack_alerts', text: 'Orders of {{ ds }} are loaded', retries: 2 });
 */
export function slack<P extends Params>(d: TaskBuilder<P>, taskId: string, options: SlackTaskOptions): Task<null> {
  assertOptionsObject('slack', taskId, options);
  const { own, args } = splitOptions(options, OWN_KEYS);
  validate(taskId, own);
  const o = own as SlackTaskOptions;
  return d.fn(taskId, (ctx: MappedTaskContext<unknown, P>) => runSlack(ctx as TaskContext, o), args as TaskArgs) as unknown as Task<null>;
}
