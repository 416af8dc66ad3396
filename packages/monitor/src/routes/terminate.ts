/**
 * POST /api/task/terminate/{dag}/{run}/{task}?map_index=-1&state=failed|up_for_retry
 * (`monitor.control`: Op and Admin; a Viewer gets 403): ends a running attempt. The task instance
 * becomes failed or up for retry at once, as the caller chose; its worker is woken, the answer to
 * its heartbeat lists the attempt to kill, and the worker ends its whole process tree (SIGTERM,
 * then SIGKILL 5 s later) and acknowledges (a control of the worker). Written to the event log
 * with who and from where.
 */
import { Type } from '../http/schema.js';
import { eventLogSql, IDENTIFIER_RULES, keyText, terminateSql, UpdraftError, workersSql } from '@updraft/core/data';
import type { MonitorApp, MonitorContext } from '../context.js';
import { HttpProblem } from '../http/problem.js';
import { recordControl } from '../model/controls.js';

const id = (kind: keyof typeof IDENTIFIER_RULES, description: string) => Type.String({ pattern: IDENTIFIER_RULES[kind].pattern.source, description });

export function terminateRoutes(app: MonitorApp, ctx: MonitorContext): void {
  app.post('/api/task/terminate/:dag/:run/:task', {
    config: { permission: 'monitor.control' },
    schema: {
      tags: ['control'], summary: 'Terminate the running attempt of a task instance: its process tree is killed; the task fails or goes up for retry.',
      params: Type.Object({ dag: id('dag id', 'The DAG id.'), run: id('run id', 'The DAG run id.'), task: id('task id', 'The task id.') }),
      querystring: Type.Object({
        map_index: Type.Optional(Type.Integer({ minimum: -1, maximum: 2 ** 31 - 1, default: -1, description: 'The map index (-1: an unmapped task).' })),
        state: Type.Optional(Type.Union([Type.Literal('failed'), Type.Literal('up_for_retry')], {
          default: 'failed', description: 'What the task instance becomes: failed (the default), or up_for_retry (it runs again at once, even with no tries left).',
        })),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const who = request.user?.username ?? 'unknown';
    const key = { dagId: request.params.dag, runId: request.params.run, taskId: request.params.task, mapIndex: request.query.map_index ?? -1 };
    const state = request.query.state ?? 'failed';
    const ended = await terminateSql.terminateAttempt(ctx.db, key, state, `terminated by ${who} from the monitor`);
    if (ended === null) {
      const current = await terminateSql.taskInstanceState(ctx.db, key);
      if (current === undefined) throw new UpdraftError('TASK_NOT_FOUND', `no task instance ${keyText(key)}`);
      throw new HttpProblem(409, `task instance ${keyText(key)} is ${current ?? 'not scheduled yet'}; only a running task can be terminated`);
    }
    const names = ended.workerId === null ? new Map<string, string>() : await workersSql.workerNamesById(ctx.db, [ended.workerId]);
    const worker = ended.workerId === null ? null : (names.get(ended.workerId) ?? ended.hostname);
    await eventLogSql.insertEvents(ctx.db, [{
      event: 'monitor.task.terminate', owner: who, dagId: key.dagId, runId: key.runId, taskId: key.taskId, mapIndex: key.mapIndex,
      tryNumber: ended.tryNumber, extra: { state, worker }, remoteAddr: request.ip,
    }]);
    const control = worker === null ? null
      : await recordControl(ctx, { workerName: worker, action: 'terminate', detail: `${keyText(key)} try ${ended.tryNumber} -> ${state}`, requestedBy: who });
    ctx.reader.invalidate();
    ctx.hub.publish('workers');
    return {
      ok: true, dag_id: key.dagId, run_id: key.runId, task_id: key.taskId, map_index: key.mapIndex, try_number: ended.tryNumber, state, worker, control,
      message: `try ${ended.tryNumber} of ${keyText(key)} is ${state === 'failed' ? 'failed' : 'up for retry'}; ` +
        `${worker === null ? 'its worker' : `worker ${worker}`} kills its process tree as soon as it acknowledges`,
    };
  });
}
