/**
 * `POST /integrations/slack/actions`: the interactivity endpoint of a Slack app, called by Slack
 * when someone clicks a button of an alert. Public (Slack holds no Updraft credentials): every
 * request must carry Slack's v0 signature made with `alerts.slack_signing_secret`, at most five
 * minutes old. The Retry button (`updraft_retry`) clears the failed task instance it names, only
 * while that instance is still failed at that try (a second click, or a click after a retry, does
 * nothing), in the event log as `slack:<user>`; Slack's response_url is told what happened.
 */
import { Type } from 'typebox';
import { clearItems, clearSql, dagsSql, eventLogSql, instancesToClear, messageOf, type Logger } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { HttpProblem } from '../http/problem.js';
import { errorResponses } from '../routes/common.schemas.js';
import { verifySlackSignature } from './slack-signature.js';

const RETRY_ACTION_ID = 'updraft_retry';

interface RetryValue { dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number }
interface BlockActionsPayload {
  type?: string;
  user?: { id?: string; username?: string; name?: string };
  response_url?: string;
  actions?: Array<{ action_id?: string; value?: string }>;
}

const AnswerSchema = Type.Object({ ok: Type.Boolean(), text: Type.String() });

function retryValueOf(value: string | undefined): RetryValue {
  let v: Partial<RetryValue>;
  try {
    v = JSON.parse(value ?? '') as Partial<RetryValue>;
  } catch {
    throw new HttpProblem(400, 'payload.actions[0].value is not JSON', { field: 'body.payload' });
  }
  const ok = typeof v.dag_id === 'string' && typeof v.run_id === 'string' && typeof v.task_id === 'string'
    && Number.isInteger(v.map_index) && Number.isInteger(v.try_number);
  if (!ok) throw new HttpProblem(400, 'payload.actions[0].value must name dag_id, run_id, task_id, map_index and try_number', { field: 'body.payload' });
  return v as RetryValue;
}

/** Clears the failed instance the button names when it is still failed at that try; what happened, in words. */
async function retry(ctx: RouteContext, v: RetryValue, who: string, remoteAddr: string): Promise<{ ok: boolean; text: string }> {
  const what = `${v.dag_id}.${v.task_id}${v.map_index >= 0 ? `[${v.map_index}]` : ''} (run ${v.run_id})`;
  const current = await dagsSql.currentDag(ctx.db, v.dag_id, { withData: true });
  if (current === null) return { ok: false, text: `Cannot retry ${what}: DAG '${v.dag_id}' is not loaded` };
  const instances = (await instancesToClear(ctx.db, current.dag, { runId: v.run_id, include: (t) => t === v.task_id, onlyFailed: true }))
    .filter((i) => i.mapIndex === v.map_index && i.tryNumber === v.try_number);
  if (instances.length === 0) return { ok: false, text: `Nothing to retry: ${what} is no longer failed at try ${v.try_number} (retried or cleared already)` };
  await clearSql.clearTaskInstances(ctx.db, v.dag_id, clearItems(current.dag, instances));
  await eventLogSql.insertEvents(ctx.db, [{
    event: 'task_instances.clear', owner: who, dagId: v.dag_id, runId: v.run_id, taskId: v.task_id, mapIndex: v.map_index,
    tryNumber: v.try_number, extra: { via: 'slack', task_ids: [v.task_id] }, remoteAddr,
  }]);
  return { ok: true, text: `Retry of ${what} queued by ${who} (its try ${v.try_number} failed)` };
}

/** Tells the message's response_url (best effort: Slack shows it to the user who clicked). */
async function reply(responseUrl: string | undefined, text: string, logger: Logger | undefined): Promise<void> {
  if (responseUrl === undefined || !/^https?:\/\//.test(responseUrl)) return;
  try {
    const r = await fetch(responseUrl, {
      method: 'POST', headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(5000),
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
    });
    await r.body?.cancel();
  } catch (err) {
    logger?.warn({ err: messageOf(err) }, 'Slack response_url did not take the answer');
  }
}

export function slackActionRoutes(app: Api, ctx: RouteContext, logger?: Logger): void {
  void app.register(async (scope) => {
    // The signature covers the raw body: keep it as text.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.post('/integrations/slack/actions', {
      config: { public: true },
      schema: {
        tags: ['Integrations'],
        summary: 'Slack interactivity: a click on an alert\'s Retry button (signed by Slack with alerts.slack_signing_secret)',
        response: { 200: AnswerSchema, ...errorResponses(404, 415) },
      },
    }, async (request) => {
      const secret = ctx.config?.alerts.slackSigningSecret ?? '';
      if (secret === '') throw new HttpProblem(404, 'Slack interactivity is not enabled: set alerts.slack_signing_secret');
      if (typeof request.body !== 'string') throw new HttpProblem(415, 'the body must be application/x-www-form-urlencoded, as Slack sends it');
      const header = (name: string): string | undefined => {
        const v = request.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const check = verifySlackSignature(secret, { timestamp: header('x-slack-request-timestamp'), signature: header('x-slack-signature') },
        request.body, Math.floor(Date.now() / 1000));
      if (!check.ok) throw new HttpProblem(401, `not a request from Slack: ${check.reason}`);
      let payload: BlockActionsPayload;
      try {
        payload = JSON.parse(new URLSearchParams(request.body).get('payload') ?? '') as BlockActionsPayload;
      } catch {
        throw new HttpProblem(400, 'body.payload must be the JSON Slack sends', { field: 'body.payload' });
      }
      const action = payload.actions?.find((a) => a.action_id === RETRY_ACTION_ID);
      // Other buttons (View log opens a link) need no answer.
      if (payload.type !== 'block_actions' || action === undefined) return { ok: true, text: 'nothing to do' };
      const who = `slack:${payload.user?.username ?? payload.user?.name ?? payload.user?.id ?? 'unknown'}`;
      const answer = await retry(ctx, retryValueOf(action.value), who, request.ip);
      await reply(payload.response_url, answer.text, logger);
      return answer;
    });
  });
}
