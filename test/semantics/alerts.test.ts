/**
 * Declarative notifiers on a real stack (PostgreSQL, nats-server, `updraft scheduler` and `updraft
 * worker` processes): the scheduler's alert outbox delivers slack(), email() and webhook() alerts
 * to a real SMTP server (smtp-server), a local HTTP server speaking Slack's chat.postMessage, and a
 * webhook receiver. One e-mail for a task failing its last try and none for the try that retries;
 * a Slack message with colour, fields, times in the notifier's timezone and both buttons; a
 * refused token recorded on the row naming the connection (never the token); a scheduler killed
 * -9 while it sends: the next scheduler sends the alert, and it arrives once. Task failures go out
 * when their run ends, well before the (long) group window.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsSql, generateFernetKey } from '@updraft/core';
import { slackSignature } from '@updraft/webserver';
import { freePort } from '../harness/index.js';
import { startStack, type Stack } from '../e2e/stack.js';
import { spawnUpdraft, type UpdraftProcess } from '../e2e/processes.js';
import { runCase } from './cases.js';

const SLACK_TOKEN = 'xoxb-test-token-123';
const SIGNING_SECRET = 'slack-signing-secret-for-tests';
const BAD_TOKEN = 'xoxb-revoked-secret-999';

interface Mail { to: string[]; raw: string }
interface SlackButton { text: { text: string }; url?: string; action_id: string; value?: string }
interface SlackBlock { type: string; fields?: Array<{ text: string }>; elements?: SlackButton[] }
interface SlackPost { token: string; channel: string; text: string; attachments: Array<{ color: string; blocks: SlackBlock[] }> }

let stack: Stack;
let smtp: SMTPServer;
let slackApi: Server;
let web: UpdraftProcess | undefined;
let restarted: UpdraftProcess | undefined;
let webUrl: string;
const mails: Mail[] = [];
const slackPosts: SlackPost[] = [];
const hooks: Array<{ headers: IncomingMessage['headers']; body: Record<string, unknown> }> = [];
/** What the webserver told Slack's response_url. */
const responses: Array<{ text: string }> = [];
/** Requests to /held/ are held unread (never processed) while set. */
let holding = true;
const held: Array<{ req: IncomingMessage; res: ServerResponse }> = [];
/** When each post to #limited arrived (the first is answered 429 with Retry-After: 1). */
const limitedAt: number[] = [];
// A group window longer than any case: each task failure below goes out when its run ends (the
// window's own end is covered by integration/alerts-group-window.test.ts).
const SCHEDULER_ENV = { UPDRAFT__ALERTS__SEND_TIMEOUT: '3s', UPDRAFT__ALERTS__RETRY_DELAY: '200ms', UPDRAFT__ALERTS__GROUP_WINDOW: '10m' };

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A stand-in for Slack's Web API (chat.postMessage, form-encoded as the WebClient sends it) and a webhook receiver. */
function startSlackApi(): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? '';
      if (url.startsWith('/response')) {
        responses.push(JSON.parse(await body(req)) as { text: string });
        res.writeHead(200).end();
        return;
      }
      if (url.startsWith('/hook')) {
        hooks.push({ headers: req.headers, body: JSON.parse(await body(req)) as Record<string, unknown> });
        res.writeHead(204).end();
        return;
      }
      // Connection slack_held points here: its requests stay unread (Slack never processed them) while holding.
      if (holding && url.startsWith('/held/')) {
        held.push({ req, res });
        return;
      }
      if (!url.endsWith('/chat.postMessage')) {
        res.writeHead(404).end();
        return;
      }
      const form = new URLSearchParams(await body(req));
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      res.setHeader('content-type', 'application/json');
      if (token !== SLACK_TOKEN) {
        res.end(JSON.stringify({ ok: false, error: 'invalid_auth' }));
        return;
      }
      const channel = form.get('channel') ?? '';
      limitedAt.push(...(channel === '#limited' ? [Date.now()] : []));
      if (channel === '#limited' && limitedAt.length === 1) {
        res.writeHead(429, { 'retry-after': '1' }).end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      slackPosts.push({ token, channel, text: form.get('text') ?? '', attachments: JSON.parse(form.get('attachments') ?? '[]') });
      res.end(JSON.stringify({ ok: true, channel: 'C0123', ts: `${Date.now() / 1000}` }));
    })();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Undoes quoted-printable soft breaks and escapes (nodemailer's encoding of long text lines). */
const unQuotedPrintable = (s: string): string =>
  s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not happen\n${stack.diagnostics()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The outbox rows of a run once none is pending or sending. */
function settledAlerts(dagId: string, runId: string, count: number): Promise<alertsSql.AlertRow[]> {
  return until(`alerts of ${dagId}/${runId} settling`, async () => {
    const rows = await alertsSql.listAlerts(stack.pool, { dagId, runId, limit: 100 });
    return rows.length >= count && rows.every((r) => r.state === 'sent' || r.state === 'failed' || r.state === 'muted') ? rows.reverse() : undefined;
  });
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  const smtpPort = await freePort();
  await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
  slackApi = await startSlackApi();
  const apiPort = (slackApi.address() as AddressInfo).port;
  const webPort = await freePort();
  webUrl = `http://127.0.0.1:${webPort}`;
  const env = { UPDRAFT__SECURITY__FERNET_KEY: generateFernetKey(), UPDRAFT__WEBSERVER__BASE_URL: webUrl };
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-semantics/alerts.ts'],
    workers: [{ name: 'sem-alert-w1', concurrency: 4 }],
    env,
    schedulerEnv: SCHEDULER_ENV,
  });
  const add = async (args: string[]): Promise<void> => {
    const r = await stack.cli(['connections', 'add', ...args]);
    if (r.code !== 0) throw new Error(`connections add failed: ${r.stderr}`);
  };
  await add(['smtp_default', '--conn-type', 'smtp', '--conn-host', '127.0.0.1', '--conn-port', String(smtpPort), '--conn-extra', '{"from": "updraft@example.com"}']);
  await add(['slack_default', '--conn-type', 'slack', '--conn-host', `http://127.0.0.1:${apiPort}/api/`, '--conn-password', SLACK_TOKEN]);
  await add(['slack_bad', '--conn-type', 'slack', '--conn-host', `http://127.0.0.1:${apiPort}/api/`, '--conn-password', BAD_TOKEN]);
  await add(['slack_held', '--conn-type', 'slack', '--conn-host', `http://127.0.0.1:${apiPort}/held/`, '--conn-password', SLACK_TOKEN]);
  await add(['hook', '--conn-type', 'http', '--conn-host', `http://127.0.0.1:${apiPort}/hook/etl`]);
  web = spawnUpdraft('webserver', ['webserver', '--listen', `127.0.0.1:${webPort}`], {
    env: { ...stack.env, UPDRAFT__ALERTS__SLACK_SIGNING_SECRET: SIGNING_SECRET }, logFile: join(stack.dir, 'proc', 'webserver.log'), cwd: stack.dir,
  });
  await web.waitForOutput(/webserver ready/, 60_000);
});

afterAll(async () => {
  await web?.stop('SIGTERM', 20_000);
  await restarted?.stop('SIGTERM', 20_000);
  await stack?.stop();
  for (const h of held.splice(0)) h.res.destroy();
  await new Promise((r) => slackApi?.close(r));
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
});

describe('alerts', () => {
  it('one e-mail for the task failing its last try (2 of 2), none for the try that retries, with a working log link', async () => {
    const r = await runCase(stack, 'sem_alert_mail');
    expect({ run: r.runState, ...r.states, tries: r.tries.load }).toEqual({ run: 'failed', load: 'failed', tries: 2 });
    const rows = await settledAlerts('sem_alert_mail', r.runId, 1);
    expect(rows.map((a) => [a.taskId, a.tryNumber, a.event, a.state, a.attempts])).toEqual([['load', 2, 'onFailure', 'sent', 1]]);
    const ours = mails.filter((m) => m.raw.includes('sem_alert_mail'));
    expect(ours).toHaveLength(1);
    const mail = unQuotedPrintable(ours[0]!.raw);
    expect(ours[0]!.to).toEqual(['oncall@example.com']);
    expect(mail).toMatch(/^Subject: Task failed: sem_alert_mail\.load \(try 2 of 2\)/m);
    expect(mail).toContain('Content-Type: text/html');
    // A stable Message-ID (the alert's key) lets a mail system drop a repeat.
    const key = ['sem_alert_mail', r.runId, 'load', '-1', '2', 'onFailure', '0'].map(encodeURIComponent).join('/');
    expect(mail.replace(/\r?\n[ \t]+/g, ' ')).toContain(`Message-ID: <${Buffer.from(key).toString('base64url')}@updraft>`);
    expect(mail).toContain('the last line');
    // Times in the DAG's timezone.
    expect(mail).toMatch(/Logical date: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(Asia\/Seoul\)/);
    const link = `${webUrl}/dags/sem_alert_mail/runs/${encodeURIComponent(r.runId)}/tasks/load?try=2`;
    expect(mail).toContain(`View log: ${link}`);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('Slack: a coloured message with the fields, times in the notifier\'s timezone, View log and Retry; the run\'s failure too; a webhook', async () => {
    const r = await runCase(stack, 'sem_alert_slack');
    expect(r.runState).toBe('failed');
    const rows = await settledAlerts('sem_alert_slack', r.runId, 3);
    expect(rows.map((a) => [a.taskId, a.event, a.notifierIndex, a.target.kind, a.state])).toEqual([
      ['boom', 'onFailure', 0, 'slack', 'sent'], ['boom', 'onFailure', 1, 'webhook', 'sent'], [null, 'onDagRunFailure', 0, 'slack', 'sent'],
    ]);
    const posts = slackPosts.filter((p) => p.text.includes('sem_alert_slack'));
    // The task's failure goes out when its run ends (not after the group window); the run's is never grouped.
    expect(posts.map((p) => p.channel).sort()).toEqual(['#etl', '#runs']);
    const task = posts.find((p) => p.channel === '#etl')!;
    const run = posts.find((p) => p.channel === '#runs')!;
    expect(task.token).toBe(SLACK_TOKEN);
    expect(task.text).toBe(':red_circle: Task failed: sem_alert_slack.boom (try 1 of 1)');
    expect(task.attachments[0]!.color).toBe('#D62828');
    const blocks = task.attachments[0]!.blocks;
    const fields = blocks.find((b) => b.fields)!.fields!.map((f) => f.text);
    expect(fields).toEqual(expect.arrayContaining(['*DAG*\nsem_alert_slack', '*Task*\nboom', '*Try*\n1 of 1', `*Run*\n${r.runId}`]));
    // The logical date in Asia/Seoul: UTC + 9 h.
    const { rows: [runRow] } = await stack.pool.query<{ logical_date: Date }>('SELECT logical_date FROM dag_run WHERE dag_id = $1 AND run_id = $2', ['sem_alert_slack', r.runId]);
    const kst = new Date(runRow!.logical_date.getTime() + 9 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
    expect(fields).toContain(`*Logical date*\n${kst} (Asia/Seoul)`);
    expect(fields.some((f) => /^\*Duration\*\n/.test(f))).toBe(true);
    expect(fields.some((f) => /^\*Host\*\n./.test(f))).toBe(true);
    expect(JSON.stringify(blocks)).toContain('the last line');
    const buttons = blocks.find((b) => b.type === 'actions')!.elements!;
    expect(buttons.map((b) => b.text.text)).toEqual(['View log', 'Retry']);
    expect(buttons[0]!.url).toBe(`${webUrl}/dags/sem_alert_slack/runs/${encodeURIComponent(r.runId)}/tasks/boom?try=1`);
    expect(buttons[1]!.action_id).toBe('updraft_retry');
    expect(JSON.parse(buttons[1]!.value!)).toEqual({ dag_id: 'sem_alert_slack', run_id: r.runId, task_id: 'boom', map_index: -1, try_number: 1 });
    // The DAG run's failure: in the DAG's timezone (UTC), no Retry button.
    expect(run.text).toBe(':red_circle: DAG run failed: sem_alert_slack');
    expect(JSON.stringify(run.attachments)).toContain('(UTC)');
    expect(JSON.stringify(run.attachments)).not.toContain('updraft_retry');
    // The webhook: JSON with an idempotency key.
    const hook = hooks.find((h) => h.body.dag_id === 'sem_alert_slack');
    expect(hook?.body).toMatchObject({ event: 'onFailure', state: 'failed', task_id: 'boom', try: '1 of 1' });
    expect(hook?.headers['idempotency-key']).toBe(hook?.body.key);
  });

  it('the Retry button: a click signed by Slack clears the failed try once; an unsigned or stale one is refused', async () => {
    const r = await runCase(stack, 'sem_alert_slack');
    await settledAlerts('sem_alert_slack', r.runId, 3);
    const post = slackPosts.find((p) => p.channel === '#etl' && p.text.includes('sem_alert_slack') && JSON.stringify(p.attachments).includes(encodeURIComponent(r.runId)))!;
    const retryButton = post.attachments[0]!.blocks.find((b) => b.type === 'actions')!.elements!.find((e) => e.action_id === 'updraft_retry')!;
    const apiPort = (slackApi.address() as AddressInfo).port;
    const form = new URLSearchParams({ payload: JSON.stringify({
      type: 'block_actions', user: { id: 'U1', username: 'roadrunner' }, response_url: `http://127.0.0.1:${apiPort}/response`,
      actions: [{ action_id: 'updraft_retry', value: retryButton.value }],
    }) }).toString();
    const click = (o: { timestamp?: number; secret?: string } = {}): Promise<Response> => {
      const ts = String(o.timestamp ?? Math.floor(Date.now() / 1000));
      return fetch(`${webUrl}/integrations/slack/actions`, {
        method: 'POST', body: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': slackSignature(o.secret ?? SIGNING_SECRET, ts, form) },
      });
    };
    const forged = await click({ secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { detail: string }).detail).toMatch(/X-Slack-Signature does not match/);
    const stale = await click({ timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
    const first = await click();
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, text: `Retry of sem_alert_slack.boom (run ${r.runId}) queued by slack:roadrunner (its try 1 failed)` });
    // The task runs again (and fails again): try 2, cleared by the click, in the event log.
    await until('try 2 of boom', async () => {
      const { rows } = await stack.pool.query<{ try_number: number; state: string | null }>(
        'SELECT try_number, state FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3', ['sem_alert_slack', r.runId, 'boom']);
      return rows[0]!.try_number === 2 && rows[0]!.state === 'failed' ? true : undefined;
    });
    const { rows: events } = await stack.pool.query<{ owner: string }>(
      `SELECT owner FROM event_log WHERE event = 'task_instances.clear' AND dag_id = $1 AND run_id = $2`, ['sem_alert_slack', r.runId]);
    expect(events.map((e) => e.owner)).toEqual(['slack:roadrunner']);
    const again = await click();
    expect(await again.json()).toMatchObject({ ok: false, text: expect.stringMatching(/no longer failed at try 1/) });
    expect(responses.map((x) => x.text)).toEqual([expect.stringMatching(/^Retry of sem_alert_slack\.boom/), expect.stringMatching(/^Nothing to retry/)]);
  });

  it('a token Slack refuses: the row fails at once with an error naming the connection, never the token', async () => {
    const r = await runCase(stack, 'sem_alert_bad_token');
    const [row] = await settledAlerts('sem_alert_bad_token', r.runId, 1);
    expect(row).toMatchObject({ state: 'failed', attempts: 1 });
    expect(row!.error).toMatch(/Slack refused the bot token of Slack connection 'slack_bad' \(invalid_auth\)/);
    const listed = await stack.cli(['alerts', 'list', '--failed']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('sem_alert_bad_token');
    expect(listed.stdout).toContain("slack #etl (slack_bad)");
    const log = stack.diagnostics();
    expect(log).toContain("Slack connection 'slack_bad'");
    expect(log).not.toContain(BAD_TOKEN);
    expect(listed.stdout).not.toContain(BAD_TOKEN);
  });

  it('failures of several tasks of one run within the group window: one message listing them', async () => {
    const r = await runCase(stack, 'sem_alert_group');
    expect(r.states).toEqual({ a: 'failed', b: 'failed', c: 'failed' });
    const rows = await settledAlerts('sem_alert_group', r.runId, 3);
    expect(rows.map((a) => [a.taskId, a.state, a.attempts]).sort()).toEqual([['a', 'sent', 1], ['b', 'sent', 1], ['c', 'sent', 1]]);
    const posts = slackPosts.filter((p) => p.channel === '#group');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.text).toBe(`:red_circle: 3 tasks failed: sem_alert_group (run ${r.runId})`);
    const text = JSON.stringify(posts[0]!.attachments);
    for (const id of ['a', 'b', 'c']) {
      expect(text).toContain(`${webUrl}/dags/sem_alert_group/runs/${encodeURIComponent(r.runId)}/tasks/${id}?try=1|${id} (try 1 of 1) on `);
    }
    expect(text).toContain('View run');
  });

  it('Slack\'s 429 with Retry-After: the alert is sent again after it, once', async () => {
    const r = await runCase(stack, 'sem_alert_limited');
    const [row] = await settledAlerts('sem_alert_limited', r.runId, 1);
    expect(row).toMatchObject({ event: 'onFailure', state: 'sent', attempts: 2, error: null });
    expect(limitedAt).toHaveLength(2);
    // Not before the second Slack asked for (the configured retry delay is 200 ms).
    expect(limitedAt[1]! - limitedAt[0]!).toBeGreaterThanOrEqual(1000);
    expect(slackPosts.filter((p) => p.channel === '#limited')).toHaveLength(1);
    expect(stack.diagnostics()).toContain("Slack rate-limited Slack connection 'slack_default' (Retry-After 1 s)");
  });

  it('a scheduler killed -9 while it sends: the next scheduler sends the alert, and it arrives once', async () => {
    const runId = await stack.trigger('sem_alert_kill');
    // The failure is recorded and its Slack message is on its way (held, unread, by the stand-in).
    await until('the alert being sent', () => (held.length > 0 ? true : undefined));
    await stack.scheduler!.stop('SIGKILL');
    holding = false;
    for (const h of held.splice(0)) h.res.destroy();
    restarted = spawnUpdraft('scheduler-2', ['scheduler'], {
      env: { ...stack.env, ...SCHEDULER_ENV },
      logFile: join(stack.dir, 'proc', 'scheduler-2.log'), cwd: stack.dir,
    });
    await restarted.waitForOutput(/scheduler ready/, 60_000);
    const [row] = await settledAlerts('sem_alert_kill', runId, 1);
    expect(row).toMatchObject({ taskId: 'fails', event: 'onFailure', state: 'sent', attempts: 2 });
    expect(slackPosts.filter((p) => p.text.includes('sem_alert_kill'))).toHaveLength(1);
  });

  it('a success after a failed run sends "recovered" to the failure notifier; a success after a success sends nothing', async () => {
    const first = await runCase(stack, 'sem_alert_recover');
    expect(first.runState).toBe('failed');
    expect((await settledAlerts('sem_alert_recover', first.runId, 1)).map((a) => [a.event, a.state])).toEqual([['onDagRunFailure', 'sent']]);
    const second = await runCase(stack, 'sem_alert_recover');
    expect(second.runState).toBe('success');
    expect((await settledAlerts('sem_alert_recover', second.runId, 1)).map((a) => [a.event, a.state])).toEqual([['onDagRunRecovered', 'sent']]);
    const third = await runCase(stack, 'sem_alert_recover');
    expect(third.runState).toBe('success');
    const posts = await until('the recovery message', () => {
      const p = slackPosts.filter((x) => x.channel === '#recover');
      return p.length >= 2 ? p : undefined;
    });
    expect(posts.map((p) => p.text)).toEqual([
      ':red_circle: DAG run failed: sem_alert_recover', ':white_check_mark: DAG run recovered: sem_alert_recover',
    ]);
    expect(posts[1]!.attachments[0]!.color).toBe('#2A9D8F');
    expect(await alertsSql.listAlerts(stack.pool, { dagId: 'sem_alert_recover', runId: third.runId, limit: 10 })).toEqual([]);
  });

  it('alerts mute: a muted DAG\'s failure is recorded as muted and not sent; after unmute the next one is sent', async () => {
    const cli = async (args: string[]): Promise<string> => {
      const r = await stack.cli(args);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    expect(await cli(['alerts', 'mute', 'sem_alert_muted', '--for', '2h', '--reason', 'warehouse maintenance'])).toMatch(/^alerts of DAG sem_alert_muted muted until /);
    expect(await cli(['alerts', 'mutes'])).toMatch(/sem_alert_muted .* warehouse maintenance/);
    const bad = await stack.cli(['alerts', 'mute', '--for', '2h']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('name one DAG, or pass --all for every DAG');
    const quiet = await runCase(stack, 'sem_alert_muted');
    expect(quiet.runState).toBe('failed');
    const [mutedRow] = await settledAlerts('sem_alert_muted', quiet.runId, 1);
    expect(mutedRow!.state).toBe('muted');
    expect(mutedRow!.error).toMatch(/^muted until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: warehouse maintenance$/);

    expect(await cli(['alerts', 'unmute', 'sem_alert_muted'])).toBe('alerts of DAG sem_alert_muted unmuted\n');
    expect(await cli(['alerts', 'mutes'])).toBe('no alerts are muted\n');
    const loud = await runCase(stack, 'sem_alert_muted');
    expect((await settledAlerts('sem_alert_muted', loud.runId, 1)).map((a) => a.state)).toEqual(['sent']);
    const posts = slackPosts.filter((p) => p.channel === '#muted');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.text).toBe(':red_circle: Task failed: sem_alert_muted.boom (try 1 of 1)');
  });
});
