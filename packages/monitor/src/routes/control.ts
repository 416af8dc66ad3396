/**
 * Remote control of workers (`monitor.control`: Op and Admin; a Viewer gets 403). POST
 * /api/worker/pool/{grow|shrink}/{name}?n=: the concurrency the worker should run with, handed
 * to it in the answer to its next heartbeat; it acknowledges by reporting it in the next one
 * (shrinking never stops a running task). POST /api/worker/drain/{name}: the worker takes no new
 * task and lets its running ones finish, but stays registered (paused) until POST
 * /api/worker/resume/{name}; it learns both from the answer to its next heartbeat and acknowledges
 * in the next one. POST /api/worker/shutdown/{name}: graceful shutdown, the worker finishes its
 * running tasks, takes no new one and leaves (it acknowledges by deregistering). POST
 * /api/worker/queue/{add-consumer|cancel-consumer}/{name}?queue=: the queues the worker pulls
 * from, handed to it like the concurrency; it acknowledges by reporting them.
 * Every action is written to the event log with who and from where, and recorded as a control
 * of the worker (`controls` of /api/worker/{name}); the worker is woken to heartbeat at once, so
 * it applies the control within a second and acknowledges it (the control's `acknowledged_at`).
 */
import { Type } from '../http/schema.js';
import { assertIdentifier, eventLogSql, fleetSql, IDENTIFIER_RULES, isUpdraftError, UpdraftError, workersSql } from '@updraft/core/data';
import type { MonitorApp, MonitorContext } from '../context.js';
import { HttpProblem } from '../http/problem.js';
import { recordControl } from '../model/controls.js';

function workerName(value: string): string {
  try {
    return assertIdentifier('worker name', value, 'path.name');
  } catch (err) {
    if (isUpdraftError(err, 'INVALID_ARGUMENT')) throw new HttpProblem(400, err.message, { field: 'path.name', cause: err });
    throw err;
  }
}

export function controlRoutes(app: MonitorApp, ctx: MonitorContext): void {
  app.post('/api/worker/pool/:action/:name', {
    config: { permission: 'monitor.control' },
    schema: {
      tags: ['control'], summary: 'Grow or shrink the number of tasks a worker runs at once, live.',
      params: Type.Object({ action: Type.Union([Type.Literal('grow'), Type.Literal('shrink')]), name: Type.String({ description: 'A worker name (docs/identifiers.md).' }) }),
      querystring: Type.Object({ n: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1, description: 'By how many slots.' })) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const name = workerName(request.params.name);
    const who = request.user?.username ?? 'unknown';
    const n = request.query.n ?? 1;
    const resized = await workersSql.resizeWorkerPool(ctx.db, name, request.params.action === 'grow' ? n : -n);
    if (resized === null) {
      const known = (await fleetSql.fleetWorkers(ctx.db)).find((w) => w.workerName === name);
      if (!known) throw new UpdraftError('WORKER_NOT_FOUND', `no worker named ${JSON.stringify(name)}`);
      throw new HttpProblem(409, `worker ${name} is offline; its pool cannot change`);
    }
    await eventLogSql.insertEvents(ctx.db, [{ event: `monitor.worker.pool.${request.params.action}`, owner: who, extra: { worker: name, n, target: resized.target }, remoteAddr: request.ip }]);
    const control = await recordControl(ctx, { workerName: name, action: `pool.${request.params.action}`, detail: `${request.params.action === 'grow' ? '+' : '-'}${n} -> ${resized.target} slots`, requestedBy: who });
    return {
      ok: true, worker: name, concurrency: resized.concurrency, concurrency_target: resized.target, control,
      message: `worker ${name} runs ${resized.target} task(s) at once as soon as it acknowledges` + (request.params.action === 'shrink' ? ' (running tasks are not stopped)' : ''),
    };
  });

  const nameOnly = (summary: string) => ({ tags: ['control'], summary, params: Type.Object({ name: Type.String({ description: 'A worker name (docs/identifiers.md).' }) }) });
  /** 404 for an unknown worker, else 409 saying what state it is in. */
  const refuse = async (name: string, what: string): Promise<never> => {
    const known = (await ctx.reader.workers({ name, maxAgeMs: 0 }))[0];
    if (!known) throw new UpdraftError('WORKER_NOT_FOUND', `no worker named ${JSON.stringify(name)}`);
    throw new HttpProblem(409, `worker ${name} is ${known.state}; ${what}`);
  };

  for (const action of ['drain', 'resume'] as const) {
    const summary = action === 'drain' ? 'Drain: the worker takes no new task, finishes its running ones and stays registered until resumed.' : 'Resume a drained worker: it takes tasks again.';
    app.post(`/api/worker/${action}/:name`, { config: { permission: 'monitor.control' }, schema: nameOnly(summary) }, async (request) => {
      const name = workerName(request.params.name);
      const who = request.user?.username ?? 'unknown';
      const drain = action === 'drain';
      const changed = await workersSql.setWorkerPaused(ctx.db, name, drain, drain ? `drained by ${who} (monitor)` : null);
      if (changed === null) await refuse(name, drain ? 'only an online worker that takes tasks can be drained' : 'only a drained worker can be resumed');
      await eventLogSql.insertEvents(ctx.db, [{ event: `monitor.worker.${action}`, owner: who, extra: { worker: name }, remoteAddr: request.ip }]);
      const control = await recordControl(ctx, { workerName: name, action, detail: null, requestedBy: who });
      ctx.hub.publish('queues');
      return drain
        ? { ok: true, worker: name, state: 'draining', control, message: `worker ${name} takes no new task as soon as it acknowledges; its ${changed!.running} running task(s) finish; resume it to take tasks again` }
        : { ok: true, worker: name, state: 'online', control, message: `worker ${name} takes tasks again as soon as it acknowledges` };
    });
  }

  app.post('/api/worker/shutdown/:name', { config: { permission: 'monitor.control' }, schema: nameOnly('Graceful shutdown: the worker finishes its running tasks, takes no new one and leaves.') }, async (request) => {
    const name = workerName(request.params.name);
    const who = request.user?.username ?? 'unknown';
    const stopping = (await workersSql.drainWorkers(ctx.db, name, `shutdown requested by ${who} (monitor)`)).filter((w) => w.workerName === name);
    if (stopping.length === 0) await refuse(name, 'only an online worker can be shut down');
    await eventLogSql.insertEvents(ctx.db, [{ event: 'monitor.worker.shutdown', owner: who, extra: { worker: name }, remoteAddr: request.ip }]);
    const control = await recordControl(ctx, { workerName: name, action: 'shutdown', detail: null, requestedBy: who });
    return { ok: true, worker: name, state: 'draining', control, message: `worker ${name} shuts down: it finishes its ${stopping[0]!.running} running task(s), takes no new one, then leaves` };
  });

  app.post('/api/worker/queue/:action/:name', {
    config: { permission: 'monitor.control' },
    schema: {
      tags: ['control'], summary: 'Start or stop pulling from a queue on a worker, live.',
      params: Type.Object({
        action: Type.Union([Type.Literal('add-consumer'), Type.Literal('cancel-consumer')]),
        name: Type.String({ description: 'A worker name (docs/identifiers.md).' }),
      }),
      querystring: Type.Object({
        queue: Type.String({ pattern: IDENTIFIER_RULES.queue.pattern.source, description: 'The queue to start or stop pulling from.' }),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const name = workerName(request.params.name);
    const who = request.user?.username ?? 'unknown';
    const queue = request.query.queue;
    const add = request.params.action === 'add-consumer';
    const change = await workersSql.setWorkerQueue(ctx.db, name, add ? 'add' : 'cancel', queue);
    switch (change.outcome) {
      case 'not_found': throw new UpdraftError('WORKER_NOT_FOUND', `no worker named ${JSON.stringify(name)}`);
      case 'not_live': throw new HttpProblem(409, `worker ${name} is offline; its queues cannot change`);
      case 'last_queue': throw new HttpProblem(409, `worker ${name} pulls only from queue ${queue}; a worker keeps at least one queue (drain it instead)`);
      case 'unchanged': throw new HttpProblem(409, add ? `worker ${name} already pulls from queue ${queue}` : `worker ${name} does not pull from queue ${queue}`);
      case 'changed': break;
    }
    await eventLogSql.insertEvents(ctx.db, [{ event: `monitor.worker.queue.${add ? 'add' : 'cancel'}`, owner: who, extra: { worker: name, queue, target: change.target }, remoteAddr: request.ip }]);
    const control = await recordControl(ctx, { workerName: name, action: add ? 'queue.add' : 'queue.cancel', detail: `queue ${queue}`, requestedBy: who });
    ctx.hub.publish('queues');
    return {
      ok: true, worker: name, queues: change.queues, queues_target: change.target, control,
      message: `worker ${name} ${add ? 'pulls from' : 'stops pulling from'} queue ${queue} as soon as it acknowledges` + (add ? '' : ' (running tasks are not stopped)'),
    };
  });
}
