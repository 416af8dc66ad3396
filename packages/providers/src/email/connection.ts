/**
 * What an SMTP connection means: host, port, login/password (AUTH when a login is set), extra
 * `{"tls": true}` for implicit TLS (port 465 by default; otherwise port 25 and STARTTLS when the
 * server offers it) and `{"from": "etl@example.com"}` for the sender (else the login when it is an
 * address, else `updraft@localhost`).
 * These are the conventions of the scheduler's e-mail alerts, repeated here (a few lines) because
 * a task type may not import a service package: one connection serves both.
 */
import type { TaskConnection } from '@updraft/sdk';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

export interface SmtpSettings {
  transport: SMTPTransport.Options;
  from: string;
}

export function smtpSettings(conn: TaskConnection, timeoutMs: number): SmtpSettings {
  const host = (conn.host ?? '').trim();
  if (host === '') throw new Error(`SMTP connection '${conn.connId}' has no host`);
  const extra = conn.extraDejson;
  const secure = extra.tls === true || extra.tls === 'true';
  const login = conn.login ?? '';
  const from = typeof extra.from === 'string' && extra.from !== '' ? extra.from : login.includes('@') ? login : 'updraft@localhost';
  return {
    transport: {
      host, port: conn.port ?? (secure ? 465 : 25), secure,
      ...(login === '' ? {} : { auth: { user: login, pass: conn.password ?? '' } }),
      connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs,
    },
    from,
  };
}
