/**
 * E-mail notifier: one message (HTML and plain text, the same content as the Slack message)
 * through the SMTP server of the notifier's connection: host, port, login/password (AUTH when a
 * login is set), extra `{"tls": true}` for implicit TLS (port 465; otherwise STARTTLS when the
 * server offers it) and `{"from": "updraft@example.com"}`. Its Message-ID is derived from the
 * alert's idempotency key, so a receiver can tell a repeat.
 */
import nodemailer from 'nodemailer';
import type { Connection } from '@updraft/core';
import { AlertSendError } from './errors.js';
import { groupedTaskLine, type AlertMessage } from './message.js';

const esc = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

export function emailText(m: AlertMessage): string {
  const lines = [m.title, '', ...m.fields.map((f) => `${f.label}: ${f.value}`)];
  if (m.exception) lines.push('', `Error: ${m.exception}`);
  if (m.tasks !== null) lines.push('', 'Tasks:', ...m.tasks.flatMap((t) => [`- ${groupedTaskLine(t)}`, `  log: ${t.logUrl}`]));
  if (m.logTail.length > 0) lines.push('', `Last ${m.logTail.length} log lines:`, ...m.logTail.map((l) => `  ${l}`));
  lines.push('', `${m.tasks === null ? 'View log' : 'View run'}: ${m.logUrl}`);
  return `${lines.join('\n')}\n`;
}

export function emailHtml(m: AlertMessage): string {
  const rows = m.fields.map((f) => `<tr><th align="left" style="padding:2px 12px 2px 0">${esc(f.label)}</th><td>${esc(f.value)}</td></tr>`).join('');
  return [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<div style="border-left:6px solid ${m.color};padding:8px 12px">`,
    `<h2 style="margin:0 0 8px;color:${m.color}">${esc(m.title)}</h2>`,
    `<table>${rows}</table>`,
    m.exception ? `<p><b>Error</b><br>${esc(m.exception)}</p>` : '',
    m.tasks === null ? '' : `<p><b>Tasks</b></p><ul>${m.tasks.map((t) => `<li><a href="${esc(t.logUrl)}">${esc(groupedTaskLine(t))}</a></li>`).join('')}</ul>`,
    m.logTail.length > 0 ? `<p><b>Last ${m.logTail.length} log lines</b></p><pre style="background:#f4f4f4;padding:8px">${esc(m.logTail.join('\n'))}</pre>` : '',
    `<p><a href="${esc(m.logUrl)}" style="background:${m.color};color:#fff;padding:6px 12px;text-decoration:none;border-radius:4px">${m.tasks === null ? 'View log' : 'View run'}</a></p>`,
    '</div></body></html>',
  ].join('');
}

function extraOf(c: Connection): { tls?: unknown; from?: unknown } {
  if (c.extra === null || c.extra.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(c.extra);
    return typeof parsed === 'object' && parsed !== null ? parsed as { tls?: unknown; from?: unknown } : {};
  } catch {
    throw new AlertSendError(`SMTP connection '${c.connId}': extra is not JSON`, { retryable: false });
  }
}

export async function sendEmail(c: Connection, to: readonly string[], m: AlertMessage, timeoutMs: number): Promise<void> {
  if (c.host === null || c.host === '') throw new AlertSendError(`SMTP connection '${c.connId}' has no host`, { retryable: false });
  const extra = extraOf(c);
  const secure = extra.tls === true || extra.tls === 'true';
  const from = typeof extra.from === 'string' && extra.from !== '' ? extra.from
    : c.login !== null && c.login.includes('@') ? c.login : 'updraft@localhost';
  const transport = nodemailer.createTransport({
    host: c.host, port: c.port ?? (secure ? 465 : 25), secure,
    ...(c.login === null || c.login === '' ? {} : { auth: { user: c.login, pass: c.password ?? '' } }),
    connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs,
  });
  // nodemailer's timeouts are per phase: the whole session is bounded too, within the claim's lease.
  let timer: NodeJS.Timeout | undefined;
  const overall = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([overall, transport.sendMail({
      from, to: [...to], subject: m.title, text: emailText(m), html: emailHtml(m),
      messageId: `<${Buffer.from(m.key).toString('base64url')}@updraft>`,
      headers: { 'X-Updraft-Alert': m.key },
    })]);
  } catch (err) {
    const e = err as Error & { responseCode?: number; code?: string };
    // 5xx answers (a refused login, an unknown recipient) do not pass by themselves; 4xx and network errors may.
    const permanent = (e.responseCode ?? 0) >= 500 || e.code === 'EAUTH';
    throw new AlertSendError(`sending e-mail via SMTP connection '${c.connId}' (${c.host}) failed: ${e.message}`, { retryable: !permanent, cause: err });
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}
