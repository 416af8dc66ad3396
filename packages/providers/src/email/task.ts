/**
 * The `email` task type: one message (HTML, with an optional plain-text part) through the SMTP
 * server of a connection (see connection.ts). Subject, HTML, text and every address are templates.
 * The log shows the recipients and what the server answered (the Message-ID and the server's
 * reply); the connection's password is never logged. A failure throws EmailSendError and the
 * task's retries apply.
 */
import nodemailer from 'nodemailer';
import type { MappedTaskContext, Params, Task, TaskArgs, TaskContext } from '@updraft/sdk';
import { EmailSendError } from '../errors.js';
import { assertOptionsObject, invalidOption, splitOptions, type TaskBuilder } from '../task-builder.js';
import { assertTemplateParses, renderForTask } from '../templating.js';
import { smtpSettings } from './connection.js';

export interface EmailTaskOptions extends TaskArgs {
  /** An SMTP connection: host, port, login/password, extra `tls` and `from`. */
  connId: string;
  /** One address or several; each a template. */
  to: string | readonly string[];
  cc?: string | readonly string[];
  bcc?: string | readonly string[];
  /** A template (`Orders of {{ ds }}`). */
  subject: string;
  /** The HTML body, a template. */
  html: string;
  /** A plain-text alternative, a template. Default: none (mail clients show the HTML). */
  text?: string;
  /** Seconds for each SMTP phase (connect, greeting, each command) and for the whole session. Default 60. */
  timeout?: number;
}

const OWN_KEYS = ['connId', 'to', 'cc', 'bcc', 'subject', 'html', 'text', 'timeout'] as const;
const ADDRESS_KEYS = ['to', 'cc', 'bcc'] as const;
type AddressKey = (typeof ADDRESS_KEYS)[number];

const addresses = (v: string | readonly string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

function validate(taskId: string, o: Partial<EmailTaskOptions>): void {
  const bad = (message: string): never => {
    throw invalidOption('email', taskId, message);
  };
  if (typeof o.connId !== 'string' || o.connId.trim() === '') bad('connId must be a non-empty string');
  for (const key of ADDRESS_KEYS) {
    const v = o[key];
    if (v === undefined && key !== 'to') continue;
    if (typeof v !== 'string' && !Array.isArray(v)) bad(`${key} must be an address or an array of addresses`);
    const list = addresses(v);
    if (key === 'to' && list.length === 0) bad('to must name at least one address');
    list.forEach((a, i) => {
      if (typeof a !== 'string' || a.trim() === '') bad(`${key}[${i}] must be a non-empty string`);
      assertTemplateParses(a, `email task '${taskId}' ${key}`);
    });
  }
  for (const key of ['subject', 'html', 'text'] as const) {
    if (o[key] === undefined && key === 'text') continue;
    if (typeof o[key] !== 'string') bad(`${key} must be a string`);
    assertTemplateParses(o[key]!, `email task '${taskId}' ${key}`);
  }
  if (o.timeout !== undefined && (typeof o.timeout !== 'number' || !(o.timeout > 0))) bad('timeout must be a positive number of seconds');
}

async function runEmail(ctx: TaskContext, o: EmailTaskOptions): Promise<void> {
  const templates: Record<string, string> = { subject: o.subject, html: o.html };
  if (o.text !== undefined) templates.text = o.text;
  for (const key of ADDRESS_KEYS) addresses(o[key]).forEach((a, i) => (templates[`${key}[${i}]`] = a));
  const rendered = await renderForTask(ctx, templates);
  const list = (key: AddressKey): string[] => addresses(o[key]).map((_a, i) => rendered[`${key}[${i}]`]!.trim()).filter((a) => a !== '');
  const [to, cc, bcc] = [list('to'), list('cc'), list('bcc')];
  if (to.length === 0) throw new EmailSendError(`the rendered 'to' of task '${ctx.taskId}' is empty`, { retryable: false });

  const conn = await ctx.connection(o.connId);
  const timeoutMs = (o.timeout ?? 60) * 1000;
  const smtp = smtpSettings(conn, timeoutMs);
  const server = `${String(smtp.transport.host)}:${String(smtp.transport.port)}`;
  ctx.log(`sending "${rendered.subject!}" from ${smtp.from} to ${to.join(', ')}${cc.length > 0 ? `; cc ${cc.join(', ')}` : ''}${bcc.length > 0 ? `; bcc ${bcc.join(', ')}` : ''} via ${server}`);
  const transport = nodemailer.createTransport(smtp.transport);
  // nodemailer's timeouts are per phase: the whole session is bounded too.
  let timer: NodeJS.Timeout | undefined;
  const overall = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    const info = await Promise.race([overall, transport.sendMail({
      from: smtp.from, to, ...(cc.length > 0 ? { cc } : {}), ...(bcc.length > 0 ? { bcc } : {}),
      subject: rendered.subject!, html: rendered.html!, ...(rendered.text === undefined ? {} : { text: rendered.text }),
    })]);
    const refused = info.rejected.map(String);
    ctx.log(`sent: message id ${info.messageId}; server answered: ${info.response}${refused.length > 0 ? `; refused recipients: ${refused.join(', ')}` : ''}`);
  } catch (err) {
    const e = err as Error & { responseCode?: number; code?: string };
    // 5xx answers (a refused login, an unknown recipient) do not pass by themselves; 4xx and network errors may.
    const permanent = (e.responseCode ?? 0) >= 500 || e.code === 'EAUTH';
    throw new EmailSendError(`sending e-mail via SMTP connection '${conn.connId}' (${server}) failed: ${e.message}`, { retryable: !permanent, cause: err });
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}

/**
 * Adds an e-mail task to `d` (a Dag or a task group's builder) and returns it:
 *
 *     email(d, 'report', { connId: 'smtp_default', to: ['ops@example.com'], subject: 'Orders of {{ ds }}', html: '<p>Done.</p>' });
 */
export function email<P extends Params>(d: TaskBuilder<P>, taskId: string, options: EmailTaskOptions): Task<null> {
  assertOptionsObject('email', taskId, options);
  const { own, args } = splitOptions(options, OWN_KEYS);
  validate(taskId, own);
  const o = own as EmailTaskOptions;
  return d.fn(taskId, (ctx: MappedTaskContext<unknown, P>) => runEmail(ctx as TaskContext, o), args as TaskArgs) as unknown as Task<null>;
}
