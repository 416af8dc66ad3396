/**
 * Declarative notifiers (slack(), email(), webhook()): validation, their serialized form (which
 * events get a callback request, which get outbox rows, the timezone resolved), and the message
 * an alert renders to (fields, times in the notifier's timezone, Slack blocks and buttons).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { alertsSql } from '@updraft/core';
import { buildGroupMessage, buildMessage, emailHtml, emailText, formatDuration, formatInstant, slackMessage } from '@updraft/scheduler';
import { slackSignature, verifySlackSignature } from '@updraft/webserver';
import { dag, DagDefinitionError, email, getCallback, invokeCallback, resetRegistry, serializeDag, slack, webhook, type CallbackContext } from '@updraft/sdk';

const opts = { fileloc: 'a.ts', fileHash: 'h', defaultTimezone: 'UTC' };
afterEach(() => resetRegistry());

describe('notifiers', () => {
  it('have defaults and refuse bad options with a clear error', () => {
    expect(slack({ channel: '#etl' }).alert).toEqual({ kind: 'slack', channel: '#etl', connId: 'slack_default' });
    expect(email({ to: 'a@example.com' }).alert).toEqual({ kind: 'email', to: ['a@example.com'], connId: 'smtp_default' });
    expect(webhook({ url: 'https://example.com/h' }).alert).toEqual({ kind: 'webhook', url: 'https://example.com/h', connId: null });
    expect(() => slack({ channel: '' })).toThrow(/slack\(\): channel must be a non-empty string/);
    expect(() => slack({ channel: '#a', timezone: 'Mars/Base' })).toThrow(/unknown timezone "Mars\/Base"/);
    expect(() => email({ to: 'not-an-address' })).toThrow(/'not-an-address' is not an e-mail address/);
    expect(() => email({ to: [] })).toThrow(/at least one address/);
    expect(() => webhook({})).toThrow(/either url or connId/);
    expect(() => webhook({ url: 'ftp://x/y' })).toThrow(/must be http or https/);
    expect(() => slack({ channel: '' })).toThrow(DagDefinitionError);
  });

  it('serialize per event with the timezone resolved; only code callbacks are callback requests', () => {
    const d = dag({
      dagId: 'n', timezone: 'Asia/Seoul', onDagRunFailure: slack({ channel: '#runs' }),
      defaultArgs: { onFailure: [slack({ channel: '#etl', timezone: 'Europe/Paris' }), () => undefined, email({ to: 'x@example.com' })] },
    }, (b) => {
      b.bash('a', { command: 'true' });
      b.bash('b', { command: 'true', onRetry: webhook({ connId: 'hook' }), onFailure: () => undefined });
    });
    const s = serializeDag(d, opts);
    expect(s.callbacks).toBeUndefined();
    expect(s.alerts).toEqual({ onDagRunFailure: [{ kind: 'slack', channel: '#runs', connId: 'slack_default', timezone: 'Asia/Seoul' }] });
    const [a, b] = s.tasks;
    expect(a!.callbacks).toEqual(['onFailure']);
    expect(a!.alerts).toEqual({
      onFailure: [
        { kind: 'slack', channel: '#etl', connId: 'slack_default', timezone: 'Europe/Paris' },
        { kind: 'email', to: ['x@example.com'], connId: 'smtp_default', timezone: 'Asia/Seoul' },
      ],
    });
    // The task's own onFailure replaces defaultArgs' (functions and notifiers alike).
    expect(b!.callbacks).toEqual(['onFailure']);
    expect(b!.alerts).toEqual({ onRetry: [{ kind: 'webhook', url: null, connId: 'hook', timezone: 'Asia/Seoul' }] });
  });

  it('a callback option must be a callback, a notifier or a non-empty array of them', () => {
    expect(() => dag({ dagId: 'bad' }, (b) => b.bash('a', { command: 'true', onFailure: [] as never }))).toThrow(/onFailure must be .* got an empty array/);
    expect(() => dag({ dagId: 'bad2' }, (b) => b.bash('a', { command: 'true', onFailure: [slack({ channel: '#a' }), 3] as never }))).toThrow(/got an array with something else/);
  });

  it('the callback process runs the code callbacks of an array in order and skips the notifiers', async () => {
    const calls: string[] = [];
    dag({ dagId: 'mixed' }, (b) => {
      b.bash('a', { command: 'true', onFailure: [() => void calls.push('fn'), slack({ channel: '#a' }), { notify: () => void calls.push('notify') }] });
    });
    await invokeCallback(getCallback('mixed', 'a', 'onFailure'), {} as CallbackContext);
    expect(calls).toEqual(['fn', 'notify']);
  });
});

function claimed(over: Partial<alertsSql.ClaimedAlert> = {}): alertsSql.ClaimedAlert {
  return {
    id: '1', dagId: 'etl_daily', runId: 'scheduled__2026-01-01T00:00:00+00:00', taskId: 'load', mapIndex: -1, tryNumber: 2, event: 'onFailure',
    notifierIndex: 0, target: { kind: 'slack', channel: '#etl', connId: 'slack_default', timezone: 'Asia/Seoul' }, exception: 'exit code 4',
    attempts: 1, createdAt: new Date(), logicalDate: new Date('2026-01-01T00:00:00Z'), conf: {}, runState: 'running',
    startedAt: new Date('2026-01-01T15:30:00Z'), endedAt: new Date('2026-01-01T15:32:05Z'), durationMs: 125_000, maxTries: 2,
    hostname: 'worker-3', logPath: null, ...over,
  };
}

describe('alert messages', () => {
  it('formats instants in a timezone and durations', () => {
    expect(formatInstant(new Date('2026-01-01T15:30:00Z'), 'Asia/Seoul')).toBe('2026-01-02 00:30:00');
    expect(formatInstant(new Date('2026-07-01T12:00:00Z'), 'America/New_York')).toBe('2026-07-01 08:00:00');
    expect(formatDuration(3_240)).toBe('3.2s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(formatDuration(3_723_000)).toBe('1h 02m 03s');
  });

  it('a failed last try: title, fields in the notifier\'s timezone, colour, log tail, View log and Retry buttons', () => {
    const m = buildMessage(claimed(), { logTail: ['a <b> & c', 'the last line'], logUrl: 'https://ui.example/dags/etl_daily/runs/r/tasks/load?try=2' });
    expect(m.title).toBe('Task failed: etl_daily.load (try 2 of 2)');
    expect(m.fields).toEqual([
      { label: 'DAG', value: 'etl_daily' }, { label: 'Task', value: 'load' }, { label: 'Try', value: '2 of 2' },
      { label: 'Run', value: 'scheduled__2026-01-01T00:00:00+00:00' },
      { label: 'Logical date', value: '2026-01-01 09:00:00 (Asia/Seoul)' },
      { label: 'Started', value: '2026-01-02 00:30:00 (Asia/Seoul)' }, { label: 'Ended', value: '2026-01-02 00:32:05 (Asia/Seoul)' },
      { label: 'Duration', value: '2m 05s' }, { label: 'Host', value: 'worker-3' },
    ]);
    const s = slackMessage(m);
    expect(s.text).toBe(':red_circle: Task failed: etl_daily.load (try 2 of 2)');
    expect(s.attachments[0]!.color).toBe('#D62828');
    const json = JSON.stringify(s.attachments);
    expect(json).toContain('a &lt;b&gt; &amp; c\\nthe last line');
    const actions = (s.attachments[0]!.blocks as Array<{ type: string; elements?: Array<{ action_id: string; url?: string; value?: string }> }>).find((b) => b.type === 'actions')!;
    expect(actions.elements!.map((e) => e.action_id)).toEqual(['updraft_view_log', 'updraft_retry']);
    expect(actions.elements![0]!.url).toBe(m.logUrl);
    expect(JSON.parse(actions.elements![1]!.value!)).toEqual({ dag_id: 'etl_daily', run_id: 'scheduled__2026-01-01T00:00:00+00:00', task_id: 'load', map_index: -1, try_number: 2 });
    expect(emailText(m)).toContain('Logical date: 2026-01-01 09:00:00 (Asia/Seoul)\n');
    expect(emailHtml(m)).toContain('a &lt;b&gt; &amp; c');
  });

  it('a success and a DAG run event have no Retry button; a long log keeps its end within Slack\'s limit', () => {
    const ok = slackMessage(buildMessage(claimed({ event: 'onSuccess', exception: null }), { logTail: ['x'.repeat(5000), 'END'], logUrl: 'u' }));
    expect(ok.attachments[0]!.color).toBe('#2A9D8F');
    expect(JSON.stringify(ok)).not.toContain('updraft_retry');
    const sections = (ok.attachments[0]!.blocks as Array<{ text?: { text: string } }>).map((b) => b.text?.text ?? '');
    expect(sections.every((t) => t.length <= 3000)).toBe(true);
    expect(sections.some((t) => t.endsWith('END```'))).toBe(true);
    const run = buildMessage(claimed({ event: 'onDagRunFailure', taskId: null, tryNumber: 0, maxTries: 0 }), { logTail: [], logUrl: 'u' });
    expect(run.title).toBe('DAG run failed: etl_daily');
    expect(run.retry).toBeNull();
    expect(run.fields.map((f) => f.label)).not.toContain('Try');
  });

  it('a group of task failures: one message listing each task with its try, host and error, linked to its log', () => {
    const group = [claimed({ id: '1', taskId: 'a', exception: 'a broke' }), claimed({ id: '2', taskId: 'b', mapIndex: 3, hostname: null, exception: null })];
    const m = buildGroupMessage(group, { logUrls: ['https://ui/a', 'https://ui/b'], runUrl: 'https://ui/run' });
    expect(m.title).toBe('2 tasks failed: etl_daily (run scheduled__2026-01-01T00:00:00+00:00)');
    expect(m.retry).toBeNull();
    expect(m.fields.find((f) => f.label === 'Failed tasks')?.value).toBe('2');
    const json = JSON.stringify(slackMessage(m));
    expect(json).toContain('<https://ui/a|a (try 2 of 2) on worker-3: a broke>');
    expect(json).toContain('<https://ui/b|b[3] (try 2 of 2)>');
    expect(json).toContain('"url":"https://ui/run"');
    expect(json).toContain('View run');
    expect(emailText(m)).toContain('- a (try 2 of 2) on worker-3: a broke\n  log: https://ui/a\n');
  });
});

describe('Slack request signatures (v0)', () => {
  // Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const timestamp = '1531420618';
  const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar'
    + '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands'
    + '%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  const signature = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

  it('computes and accepts Slack\'s documented example', () => {
    expect(slackSignature(secret, timestamp, body)).toBe(signature);
    expect(verifySlackSignature(secret, { timestamp, signature }, body, Number(timestamp) + 10)).toEqual({ ok: true });
  });

  it('refuses a changed body, another secret, a request over five minutes old or ahead, and missing headers', () => {
    const now = Number(timestamp);
    expect(verifySlackSignature(secret, { timestamp, signature }, `${body}&x=1`, now)).toMatchObject({ ok: false, reason: /does not match/ });
    expect(verifySlackSignature('other-secret', { timestamp, signature }, body, now)).toMatchObject({ ok: false });
    expect(verifySlackSignature(secret, { timestamp, signature }, body, now + 301)).toMatchObject({ ok: false, reason: /5 minutes/ });
    expect(verifySlackSignature(secret, { timestamp, signature }, body, now - 301)).toMatchObject({ ok: false, reason: /5 minutes/ });
    expect(verifySlackSignature(secret, { timestamp, signature }, body, now + 300)).toEqual({ ok: true });
    expect(verifySlackSignature(secret, { timestamp: undefined, signature }, body, now)).toMatchObject({ ok: false, reason: /Timestamp is missing/ });
    expect(verifySlackSignature(secret, { timestamp, signature: 'v1=abc' }, body, now)).toMatchObject({ ok: false, reason: /X-Slack-Signature is missing/ });
  });
});

