/**
 * The built-in task types (@updraft/providers) on a real stack (scheduler, worker, NATS,
 * PostgreSQL) against real servers: `sql` on a throwaway PostgreSQL database of the harness and on
 * a throwaway database of the machine's MariaDB (127.0.0.1:3306, root), `http` on a node:http
 * server of this test, `email` on an SMTP server of this test (smtp-server), `slack` on a node:http
 * server acting as an incoming webhook and as the Web API's chat.postMessage, `ssh` on an OpenSSH
 * sshd of this test (loopback, key login as the test's user). One DAG run covers every case; the DAG file is
 * test/fixtures/dags-e2e/providers_it.ts. The example dags/orders_report.ts runs too, on the same
 * servers.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, freePort, type TestDatabase } from '../harness/index.js';
import { taskInstances, waitForRunEnd, type TaskRow } from './db.js';
import { startStack, type Stack } from './stack.js';

const DAG = 'e2e_providers';
const API_PASSWORD = 'api-Pw-5521-secret';
const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
const SMTP_PASSWORD = 'smtp-Pw-7730-secret';
const HOOK_PATH = 'T0001/B0001/hook-Secret-881';
const SLACK_TOKEN = 'xoxb-token-Secret-55';

let stack: Stack | undefined;
let pgDb: TestDatabase | undefined;
let mariaDbName: string | undefined;
let api: Server | undefined;
let smtp: SMTPServer | undefined;
let slackServer: Server | undefined;
let sshd: { proc: ChildProcess; dir: string } | undefined;
const slackRequests: Array<{ url: string; auth: string; contentType: string; body: string; status: number }> = [];
const mails: Array<{ from: string; to: string[]; raw: string }> = [];
const smtpLogins: Array<{ username: string; password: string }> = [];
const requests: Array<{ method: string; url: string; auth: string; team: string; body: string }> = [];
let runId: string;
let tis: Map<string, TaskRow>;

function startApi(): Promise<Server> {
  let flaky = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization ?? '', team: String(req.headers['x-team'] ?? ''), body });
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/flaky/')) {
        flaky += 1;
        res.statusCode = flaky === 1 ? 503 : 200;
        res.end(flaky === 1 ? '{"error":"warming up"}' : JSON.stringify({ ok: true, path: req.url }));
      } else if (req.url === '/refuse') {
        res.end('{"status":"degraded"}');
      } else if (req.url === '/health') {
        res.end('{"status":"ok"}');
      } else {
        res.end(JSON.stringify({ echo: req.url }));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** An incoming webhook (503 with Retry-After once, then 200 "ok") and chat.postMessage. */
function startSlack(): Promise<Server> {
  let hookCalls = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      let status = 404;
      let answer = 'no_service';
      if (req.url === `/services/${HOOK_PATH}`) {
        hookCalls += 1;
        if (hookCalls === 1) res.setHeader('retry-after', '1');
        [status, answer] = hookCalls === 1 ? [503, 'service_unavailable'] : [200, 'ok'];
      } else if (req.url === '/api/chat.postMessage') {
        res.setHeader('content-type', 'application/json');
        status = 200;
        answer = req.headers.authorization === `Bearer ${SLACK_TOKEN}`
          ? JSON.stringify({ ok: true, channel: 'C0DATA', ts: '1709596800.000100' })
          : JSON.stringify({ ok: false, error: 'invalid_auth' });
      }
      slackRequests.push({ url: req.url ?? '', auth: req.headers.authorization ?? '', contentType: req.headers['content-type'] ?? '', body, status });
      res.statusCode = status;
      res.end(answer);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** OpenSSH's sshd on loopback with its own host key and config; key login only. */
async function startSshd(): Promise<{ proc: ChildProcess; dir: string; port: number; clientKey: string; hostKey: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'updraft-sshd-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client.pub')));
  const port = await freePort();
  writeFileSync(join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${join(dir, 'host')}`, `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'StrictModes no', 'PermitRootLogin prohibit-password',
    'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no', '',
  ].join('\n'));
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation directory
  const proc = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    proc.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.includes('Server listening')) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`sshd exited (${String(code)}): ${err}`)));
  });
  return { proc, dir, port, clientKey: readFileSync(join(dir, 'client'), 'utf8'), hostKey: readFileSync(join(dir, 'host.pub'), 'utf8') };
}

/** A real SMTP server without TLS, taking AUTH PLAIN/LOGIN in the clear (loopback only). */
async function startSmtp(): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({
    authOptional: true, allowInsecureAuth: true, disabledCommands: ['STARTTLS'], logger: false,
    onAuth(auth, _session, callback) {
      smtpLogins.push({ username: auth.username ?? '', password: auth.password ?? '' });
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port };
}

beforeAll(async () => {
  pgDb = await createTestDatabase({ empty: true });
  mariaDbName = `updraft_it_${randomBytes(6).toString('hex')}`;
  const admin = await mysql.createConnection(MARIADB);
  await admin.query(`CREATE DATABASE ${mariaDbName}`);
  await admin.end();
  api = await startApi();
  const mail = await startSmtp();
  smtp = mail.server;
  slackServer = await startSlack();
  const sshServer = await startSshd();
  sshd = sshServer;
  const slackBase = `http://127.0.0.1:${(slackServer.address() as AddressInfo).port}`;
  const pgUrl = new URL(pgDb.url);
  const conn = (o: Record<string, unknown>): string => JSON.stringify(o);
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-e2e/providers_it.ts', 'dags/orders_report.ts'],
    env: { UPDRAFT__CORE__MAX_XCOM_SIZE: '4096' },
    schedulerEnv: {
      UPDRAFT_CONN_IT_PG: conn({ conn_type: 'postgres', host: pgUrl.hostname, port: Number(pgUrl.port), login: decodeURIComponent(pgUrl.username), schema: pgUrl.pathname.slice(1) }),
      UPDRAFT_CONN_IT_MARIADB: conn({ conn_type: 'mysql', host: MARIADB.host, port: MARIADB.port, login: MARIADB.user, schema: mariaDbName }),
      UPDRAFT_CONN_WAREHOUSE: conn({ conn_type: 'postgres', host: pgUrl.hostname, port: Number(pgUrl.port), login: decodeURIComponent(pgUrl.username), schema: pgUrl.pathname.slice(1) }),
      UPDRAFT_CONN_REPORTS_API: conn({ conn_type: 'http', host: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, login: 'updraft', password: API_PASSWORD }),
      UPDRAFT_CONN_IT_API: conn({
        conn_type: 'http', host: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, login: 'etl', password: API_PASSWORD,
        extra: { 'X-Team': 'data' },
      }),
      UPDRAFT_CONN_IT_SLACK_HOOK: conn({ conn_type: 'slackwebhook', host: `${slackBase}/services`, password: HOOK_PATH }),
      UPDRAFT_CONN_IT_SLACK_API: conn({ conn_type: 'slack', host: `${slackBase}/api`, password: SLACK_TOKEN }),
      UPDRAFT_CONN_IT_SSH: conn({
        conn_type: 'ssh', host: '127.0.0.1', port: sshServer.port, login: userInfo().username,
        extra: { private_key: sshServer.clientKey, host_key: sshServer.hostKey },
      }),
      UPDRAFT_CONN_IT_SSH_OTHER_HOST: conn({
        conn_type: 'ssh', host: '127.0.0.1', port: sshServer.port, login: userInfo().username,
        extra: { private_key: sshServer.clientKey, host_key: readFileSync(join(sshServer.dir, 'client.pub'), 'utf8') },
      }),
      UPDRAFT_CONN_IT_SMTP: conn({ conn_type: 'smtp', host: '127.0.0.1', port: mail.port, login: 'etl', password: SMTP_PASSWORD, extra: { from: 'updraft@example.com' } }),
    },
    workers: [{ name: 'e2e-providers-w1', concurrency: 4 }],
  });
  runId = await stack.trigger(DAG, { logicalDate: new Date('2024-03-05T00:00:00Z') });
  await waitForRunEnd(stack.pool, DAG, runId, { diagnostics: () => stack!.diagnostics() });
  tis = await taskInstances(stack.pool, DAG, runId);
});

afterAll(async () => {
  await stack?.stop();
  await pgDb?.drop();
  if (mariaDbName !== undefined) {
    const admin = await mysql.createConnection(MARIADB);
    await admin.query(`DROP DATABASE IF EXISTS ${mariaDbName}`);
    await admin.end();
  }
  await new Promise((resolve) => (api ? api.close(resolve) : resolve(undefined)));
  await new Promise((resolve) => (smtp ? smtp.close(() => resolve(undefined)) : resolve(undefined)));
  await new Promise((resolve) => (slackServer ? slackServer.close(resolve) : resolve(undefined)));
  if (sshd !== undefined) {
    sshd.proc.kill('SIGTERM');
    rmSync(sshd.dir, { recursive: true, force: true });
  }
});

async function xcom(taskId: string): Promise<unknown> {
  const { rows } = await stack!.pool.query("SELECT value FROM xcom WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND key = 'return_value'", [DAG, runId, taskId]);
  return rows[0]?.value;
}

async function tryError(taskId: string, tryNumber = 1): Promise<string> {
  const { rows } = await stack!.pool.query('SELECT error FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND try_number = $4', [DAG, runId, taskId, tryNumber]);
  return String(rows[0]?.error ?? '');
}

async function log(taskId: string, tryNumber = 1): Promise<string> {
  const r = await stack!.cli(['tasks', 'logs', DAG, runId, taskId, '--try', String(tryNumber)]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

const state = (taskId: string): string | null | undefined => tis.get(taskId)?.state;

describe('sql task type', () => {
  it('PostgreSQL: split statements run in order, templated by ds and params; the rows are the XCom value', async () => {
    expect(state('pg_rows')).toBe('success');
    expect(await xcom('pg_rows')).toEqual([
      { day: '2024-03-05', n: 2, note: 'x;y' },
      { day: '2024-03-05', n: 3, note: 'c' },
    ]);
    const text = await log('pg_rows');
    expect(text).toContain('running 3 statements');
    expect(text).toMatch(/statement 2 of 3: -- a ; in a comment[^\n]*\n.*INSERT INTO orders VALUES \('2024-03-05', 1, 'a;b'\)/);
    expect(text).toContain('statement 2 of 3: 3 rows affected');
    expect(text).toContain('statement 3 of 3: 2 rows returned');
  });

  it('PostgreSQL: bind parameters stay apart from the templated text (macros too); returnRows first', async () => {
    expect(state('pg_params')).toBe('success');
    expect(await xcom('pg_params')).toEqual({ answer: 42, day: '20240305', next_day: '2024-03-06' });
  });

  it('ti.xcom_pull and conn.* in the SQL are read through the task\'s context; a password rendered into the SQL is masked in the log', async () => {
    expect(state('pg_from_xcom')).toBe('success');
    expect(await xcom('pg_from_xcom')).toEqual({ next_day: '2024-03-06', api_login: 'etl' });
    const text = await log('pg_from_xcom');
    expect(text).toContain("AS api_login -- ***");
    expect(text).not.toContain(API_PASSWORD);
  });

  it('rows over core.max_xcom_size fail the task with their size and the limit; nothing is stored', async () => {
    expect(state('pg_big')).toBe('failed');
    expect(await tryError('pg_big')).toMatch(/return value is \d{5} bytes of JSON, over core\.max_xcom_size \(4096 bytes\)/);
    expect(await xcom('pg_big')).toBeUndefined();
    expect(await log('pg_big')).toContain('returning 100 rows as XCom');
  });

  it('PostgreSQL: a syntax error fails the task with the server message and the statement position', async () => {
    expect(state('pg_syntax')).toBe('failed');
    const error = await tryError('pg_syntax');
    expect(error).toContain('statement 2 of 3 failed');
    expect(error).toContain('syntax error at or near "SELEC"');
    expect(await log('pg_syntax')).not.toContain('statement 3 of 3');
  });

  it('MariaDB: split statements (MySQL quoting and comments), ds and params, rows as XCom; the connection is closed', async () => {
    expect(state('my_rows')).toBe('success');
    expect(await xcom('my_rows')).toEqual([
      { day: '2024-03-05', n: 2, note: "it's; fine" },
      { day: '2024-03-05', n: 3, note: 'c' },
    ]);
    expect(await log('my_rows')).toContain('statement 2 of 3: 3 rows affected');
    const admin = await mysql.createConnection(MARIADB);
    const [rows] = await admin.query('SELECT count(*) AS n FROM information_schema.processlist WHERE db = ?', [mariaDbName]);
    await admin.end();
    expect((rows as Array<{ n: number }>)[0]!.n).toBe(0);
  });

  it('MariaDB: named parameters; a syntax error names the statement and the server message', async () => {
    expect(state('my_params')).toBe('success');
    expect(await xcom('my_params')).toEqual({ answer: 42 });
    expect(state('my_syntax')).toBe('failed');
    const error = await tryError('my_syntax');
    expect(error).toContain('statement 2 of 2 failed');
    expect(error).toMatch(/You have an error in your SQL syntax.*near 'SELEC 2'.*ER_PARSE_ERROR/);
  });
});

describe('http task type', () => {
  it('a 503 fails the first try (retryable); with retries=1 the second try succeeds and the filtered JSON is the XCom value', async () => {
    expect(state('api_flaky')).toBe('success');
    expect(tis.get('api_flaky')?.tryNumber).toBe(2);
    expect(await tryError('api_flaky', 1)).toMatch(/HttpRetryableError: GET http:\/\/127\.0\.0\.1:\d+\/flaky\/2024-03-05 answered 503/);
    expect(await xcom('api_flaky')).toEqual({ ok: true, path: '/flaky/2024-03-05' });
    const first = await log('api_flaky', 1);
    expect(first).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/flaky\/2024-03-05/);
    expect(first).toContain('HTTP 503 Service Unavailable (22 bytes): {"error":"warming up"}');
    expect(await log('api_flaky', 2)).toContain('HTTP 200 OK');
    // Basic auth and the connection's extra headers were sent; neither the password nor the header is logged.
    const sent = requests.filter((r) => r.url.startsWith('/flaky/'));
    expect(sent).toHaveLength(2);
    expect(sent[0]!.auth).toBe(`Basic ${Buffer.from(`etl:${API_PASSWORD}`).toString('base64')}`);
    expect(sent[0]!.team).toBe('data');
    for (const text of [first, await log('api_flaky', 2)]) {
      expect(text).not.toContain(API_PASSWORD);
      expect(text).not.toContain(sent[0]!.auth.slice(6));
    }
  });

  it('responseCheck false fails the task; the log has the status and a body excerpt', async () => {
    expect(state('api_check')).toBe('failed');
    expect(await tryError('api_check')).toContain('responseCheck refused the response (HTTP 200): {"status":"degraded"}');
    expect(requests.find((r) => r.url === '/refuse')).toMatchObject({ method: 'POST', body: '{"day":"2024-03-05"}' });
    const text = await log('api_check');
    expect(text).toContain('HTTP 200 OK (21 bytes): {"status":"degraded"}');
    expect(text).not.toContain(API_PASSWORD);
  });
});

describe('email task type', () => {
  it('sends one message to the rendered recipients (cc and bcc too) with the rendered subject, HTML and text; AUTH with the connection', async () => {
    expect(state('mail')).toBe('success');
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    expect(m.from).toBe('updraft@example.com');
    expect([...m.to].sort()).toEqual(['audit@example.com', 'data@example.com', 'lead@example.com', 'ops@example.com']);
    expect(m.raw).toMatch(/^Subject: Orders of 2024-03-05\r?$/m);
    expect(m.raw).toMatch(/^To: ops@example\.com, data@example\.com\r?$/m);
    expect(m.raw).toMatch(/^Cc: lead@example\.com\r?$/m);
    expect(m.raw).not.toMatch(/^Bcc:/m);
    expect(m.raw).toContain('Content-Type: text/html');
    expect(m.raw).toContain('<p>Loaded <b>20240305</b></p>');
    expect(m.raw).toContain('Content-Type: text/plain');
    expect(m.raw).toContain('Loaded 20240305');
    expect(smtpLogins).toEqual([{ username: 'etl', password: SMTP_PASSWORD }]);
    const text = await log('mail');
    expect(text).toContain('sending "Orders of 2024-03-05" from updraft@example.com to ops@example.com, data@example.com; cc lead@example.com; bcc audit@example.com');
    const messageId = /^Message-ID: (<[^>]+>)\r?$/m.exec(m.raw)?.[1];
    expect(messageId).toBeDefined();
    expect(text).toContain(`sent: message id ${messageId!}; server answered: 250`);
    expect(text).not.toContain(SMTP_PASSWORD);
  });
});

describe('slack task type', () => {
  it('webhook: a 503 with Retry-After fails the first try after waiting it out; with retries=1 try 2 posts the rendered text and blocks', async () => {
    expect(state('slack_hook')).toBe('success');
    expect(tis.get('slack_hook')?.tryNumber).toBe(2);
    const sent = slackRequests.filter((r) => r.url.startsWith('/services/'));
    expect(sent.map((r) => r.status)).toEqual([503, 200]);
    expect(sent[1]!.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(sent[1]!.body)).toEqual({
      text: 'Orders of 2024-03-05 are loaded',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*20240305* loaded by slack_hook' } }],
    });
    expect(await tryError('slack_hook', 1)).toMatch(/SlackSendError: Slack answered HTTP 503 Service Unavailable \(the incoming webhook of connection 'it_slack_hook' \(http:\/\/127\.0\.0\.1:\d+\)\)/);
    const first = await log('slack_hook', 1);
    expect(first).toMatch(/posting to the incoming webhook of connection 'it_slack_hook' \(http:\/\/127\.0\.0\.1:\d+\): Orders of 2024-03-05 are loaded/);
    expect(first).toContain('HTTP 503 Service Unavailable: service_unavailable');
    expect(first).toContain('Retry-After 1 s: waiting before this try fails');
    const second = await log('slack_hook', 2);
    expect(second).toContain('HTTP 200 OK: ok');
    for (const text of [first, second]) expect(text).not.toContain('hook-Secret-881');
  });

  it('Web API: chat.postMessage with the connection\'s token and the rendered channel; the log has the channel and ts, never the token', async () => {
    expect(state('slack_api')).toBe('success');
    const sent = slackRequests.filter((r) => r.url === '/api/chat.postMessage');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.auth).toBe(`Bearer ${SLACK_TOKEN}`);
    expect(JSON.parse(sent[0]!.body)).toEqual({ channel: '#data', text: `Run ${runId} done` });
    const text = await log('slack_api');
    expect(text).toMatch(/posting to chat\.postMessage at http:\/\/127\.0\.0\.1:\d+ to #data/);
    expect(text).toContain('posted: channel C0DATA, ts 1709596800.000100');
    expect(text).not.toContain(SLACK_TOKEN);
  });
});

describe('ssh task type', () => {
  it('runs the rendered command with the rendered env on the host (its key checked); output and stderr lines in the log', async () => {
    expect(state('ssh_ok')).toBe('success');
    const text = await log('ssh_ok');
    expect(text).toMatch(/running on \S+@127\.0\.0\.1:\d+ \(env TEAM\): echo "day=2024-03-05 team=\$TEAM"; echo warn >&2/);
    expect(text).toContain("day=2024-03-05 team=data's");
    expect(text).toContain('stderr: warn');
    expect(text).toContain('exit status 0');
    expect(text).not.toContain('PRIVATE KEY');
  });

  it('a non-zero exit status fails the try with SshCommandError and the status', async () => {
    expect(state('ssh_fail')).toBe('failed');
    expect(await tryError('ssh_fail')).toMatch(/SshCommandError: the command on \S+@127\.0\.0\.1:\d+ exited with status 3/);
    expect(await log('ssh_fail')).toContain('before');
  });

  it('a host key other than the pinned one is refused before the command runs', async () => {
    expect(state('ssh_host_key')).toBe('failed');
    expect(await tryError('ssh_host_key')).toMatch(/SshCommandError: SSH connection 'it_ssh_other_host' \(\S+@127\.0\.0\.1:\d+\) failed: .*verification failed/i);
    const text = await log('ssh_host_key');
    expect(text).toContain('echo ran-$((40+2))');
    expect(text).not.toContain('ran-42');
    expect(text).not.toContain('exit status');
  });
});

describe('sensors.sql', () => {
  async function tryStates(taskId: string): Promise<string[]> {
    const { rows } = await stack!.pool.query<{ state: string }>('SELECT state FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 ORDER BY try_number', [DAG, runId, taskId]);
    return rows.map((r) => r.state);
  }

  it('PostgreSQL: false while the first cell is false, one short try per poke, true on the 3rd; bound parameters and templates', async () => {
    expect(state('pg_sensor')).toBe('success');
    expect(await tryStates('pg_sensor')).toEqual(['up_for_reschedule', 'up_for_reschedule', 'success']);
    const { rows } = await pgDb!.pool.query<{ n: number }>('SELECT n FROM pokes');
    expect(rows.map((r) => r.n)).toEqual([7, 7, 7]);
    const first = await log('pg_sensor', 1);
    expect(first).toContain('poking with: WITH mine AS (INSERT INTO pokes VALUES ($1) RETURNING n) SELECT (SELECT count(*) FROM pokes) >= 2');
    expect(first).toContain('first cell false: not ready');
    expect(await log('pg_sensor', 3)).toContain('first cell true: ready');
  });

  it('MariaDB: a truthy first cell (1) is ready at the first poke', async () => {
    expect(state('my_sensor')).toBe('success');
    expect(await tryStates('my_sensor')).toEqual(['success']);
    expect(await log('my_sensor')).toContain('first cell 1: ready');
  });

  it('failOnEmpty and failure criteria fail the sensor at once, saying why', async () => {
    expect(state('pg_sensor_empty')).toBe('failed');
    expect(await tryError('pg_sensor_empty')).toContain("sensors.sql: the query on connection 'it_pg' returned no row (failOnEmpty)");
    expect(state('pg_sensor_failure')).toBe('failed');
    expect(await tryError('pg_sensor_failure')).toContain('sensors.sql: failure criteria met for first cell "broken"');
  });
});

describe('hooks', () => {
  it('withHooks gives a pg pool, a fetch bound to the base URL and a tagged client by conn type', async () => {
    expect(state('hooks')).toBe('success');
    expect(await xcom('hooks')).toEqual({ orders: 3, echo: { echo: '/echo' }, mariadbKind: 'mysql' });
  });
});

describe('the example DAG orders_report', () => {
  it('loads, summarises and publishes a day of orders', async () => {
    const example = await stack!.trigger('orders_report', { logicalDate: new Date('2024-03-05T00:00:00Z') });
    const run = await waitForRunEnd(stack!.pool, 'orders_report', example, { diagnostics: () => stack!.diagnostics() });
    expect(run.state, JSON.stringify([...(await taskInstances(stack!.pool, 'orders_report', example)).values()])).toBe('success');
    const published = requests.find((r) => r.url === '/reports/orders/2024-03-05');
    expect(published?.method).toBe('PUT');
    expect(JSON.parse(published!.body)).toEqual({
      day: '2024-03-05',
      regions: [{ region: 'eu', orders: '2', total: '150.75' }, { region: 'us', orders: '1', total: '99.00' }],
    });
  });
});
