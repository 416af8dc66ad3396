/**
 * Remote control of workers from the CLI, as the monitor does it (the worker learns each change
 * from the answer to a heartbeat; the command wakes it over NATS so it heartbeats at once): `updraft workers pause|resume NAME` (take no new task
 * but stay registered / take tasks again), `updraft workers queue add|cancel NAME QUEUE` (start or
 * stop pulling from a queue), `updraft workers terminate DAG RUN TASK [--map-index N] [--state
 * failed|up_for_retry]` (end a running attempt; its worker kills the process tree). Each is
 * written to the event log and recorded as a control of the worker (the monitor shows when the
 * worker acknowledged it). Graceful shutdown is `updraft workers drain` (commands/workers.ts).
 */
import type { Command } from 'commander';
import { assertIdentifier, keyText, terminateSql, UpdraftError, workerControlsSql, workersSql } from '@updraft/core';
import { cliOwner as owner, recordCliEvents } from '../cli-events.js';
import { oneOf } from '../output.js';
import { wakeWorkers } from '../queue.js';
import { withDatabase } from './runs.js';

/** Who asked, as a worker's control records it (the monitor shows it with the acknowledgement). */
export const cliUser = (): string => `${owner() ?? 'unknown'} (cli)`;
const workerName = (v: string): string => assertIdentifier('worker name', v, 'name');
/** When the worker applies a recorded control: at once when woken, else at its next heartbeat. */
const when = (woken: boolean): string => (woken ? 'now (woken over NATS)' : 'from its next heartbeat');

async function notChanged(db: Parameters<typeof workersSql.listWorkers>[0], name: string, what: string): Promise<never> {
  const w = (await workersSql.listWorkers(db, { all: true })).find((x) => x.workerName === name);
  if (!w) throw new UpdraftError('WORKER_NOT_FOUND', `no worker named '${name}' (see \`updraft workers list\`)`);
  throw new UpdraftError('INVALID_ARGUMENT', `worker ${name} is ${w.state}; ${what}`);
}

async function pause(command: Command, name: string, paused: boolean): Promise<void> {
  await withDatabase(command, async (db, cfg) => {
    const changed = await workersSql.setWorkerPaused(db.pool, name, paused, paused ? `drained by ${owner() ?? 'the CLI'} (cli)` : null);
    if (changed === null) await notChanged(db.pool, name, paused ? 'only an online worker that takes tasks can be paused' : 'only a paused worker can be resumed');
    await recordCliEvents(db.pool, [{ event: `worker.${paused ? 'pause' : 'resume'}`, extra: { worker: name } }]);
    const recorded = await workerControlsSql.recordControls(db.pool, [{ workerName: name, action: paused ? 'drain' : 'resume', detail: null, requestedBy: cliUser() }]);
    const woken = await wakeWorkers(cfg, recorded.map((c) => c.workerId));
    process.stdout.write(paused
      ? `worker ${name} takes no new task ${when(woken)}; its ${changed!.running} running task(s) finish; \`updraft workers resume ${name}\` undoes it\n`
      : `worker ${name} takes tasks again ${when(woken)}\n`);
  });
}

async function queue(command: Command, action: 'add' | 'cancel', name: string, q: string): Promise<void> {
  await withDatabase(command, async (db, cfg) => {
    const change = await workersSql.setWorkerQueue(db.pool, name, action, q);
    switch (change.outcome) {
      case 'not_found': throw new UpdraftError('WORKER_NOT_FOUND', `no worker named '${name}' (see \`updraft workers list\`)`);
      case 'not_live': throw new UpdraftError('INVALID_ARGUMENT', `worker ${name} is offline; its queues cannot change`);
      case 'last_queue': throw new UpdraftError('INVALID_ARGUMENT', `worker ${name} pulls only from queue ${q}; a worker keeps at least one queue`);
      case 'unchanged': throw new UpdraftError('INVALID_ARGUMENT', action === 'add' ? `worker ${name} already pulls from queue ${q}` : `worker ${name} does not pull from queue ${q}`);
      case 'changed': break;
    }
    await recordCliEvents(db.pool, [{ event: `worker.queue.${action}`, extra: { worker: name, queue: q, target: change.target } }]);
    const recorded = await workerControlsSql.recordControls(db.pool, [{ workerName: name, action: `queue.${action}`, detail: `queue ${q}`, requestedBy: cliUser() }]);
    const woken = await wakeWorkers(cfg, recorded.map((c) => c.workerId));
    process.stdout.write(`worker ${name} pulls from ${change.target.join(', ')} ${when(woken)} (now ${change.queues.join(', ')})\n`);
  });
}

async function terminate(command: Command, key: { dagId: string; runId: string; taskId: string; mapIndex: number }, state: 'failed' | 'up_for_retry'): Promise<void> {
  await withDatabase(command, async (db, cfg) => {
    const ended = await terminateSql.terminateAttempt(db.pool, key, state, `terminated by ${owner() ?? 'the CLI'} from the CLI`);
    if (ended === null) {
      const current = await terminateSql.taskInstanceState(db.pool, key);
      if (current === undefined) throw new UpdraftError('TASK_NOT_FOUND', `no task instance ${keyText(key)}`);
      throw new UpdraftError('INVALID_ARGUMENT', `task instance ${keyText(key)} is ${current ?? 'not scheduled yet'}; only a running task can be terminated`);
    }
    await recordCliEvents(db.pool, [{ event: 'task.terminate', dagId: key.dagId, runId: key.runId, taskId: key.taskId, mapIndex: key.mapIndex, tryNumber: ended.tryNumber, extra: { state } }]);
    const worker = ended.workerId === null ? undefined : (await workersSql.workerNamesById(db.pool, [ended.workerId])).get(ended.workerId);
    const recorded = worker === undefined ? []
      : await workerControlsSql.recordControls(db.pool, [{ workerName: worker, action: 'terminate', detail: `${keyText(key)} try ${ended.tryNumber} -> ${state}`, requestedBy: cliUser() }]);
    const woken = await wakeWorkers(cfg, recorded.map((c) => c.workerId));
    process.stdout.write(`try ${ended.tryNumber} of ${keyText(key)} is ${state === 'failed' ? 'failed' : 'up for retry'}; its worker kills its process tree ${woken ? 'now (woken over NATS)' : 'at its next heartbeat'}\n`);
  });
}

const mapIndex = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < -1) throw new UpdraftError('INVALID_ARGUMENT', `--map-index must be a whole number >= -1, got '${v}'`);
  return n;
};

/** Adds the commands to `updraft workers`. */
export function registerControl(workers: Command): void {
  workers.command('pause').description('ask a worker to take no new task (running ones finish); it stays registered until resumed')
    .argument('<name>', 'worker name (see `updraft workers list`)', workerName)
    .action(async (name: string, _o: unknown, command: Command) => pause(command, name, true));
  workers.command('resume').description('ask a paused worker to take tasks again')
    .argument('<name>', 'worker name', workerName)
    .action(async (name: string, _o: unknown, command: Command) => pause(command, name, false));
  const q = workers.command('queue').description('start or stop pulling from a queue on a worker, live (running tasks are not stopped)');
  for (const action of ['add', 'cancel'] as const) {
    q.command(action).description(action === 'add' ? 'start pulling from QUEUE' : 'stop pulling from QUEUE (a worker keeps at least one queue)')
      .argument('<name>', 'worker name', workerName)
      .argument('<queue>', 'queue name', (v: string) => assertIdentifier('queue', v, 'queue'))
      .action(async (name: string, queueName: string, _o: unknown, command: Command) => queue(command, action, name, queueName));
  }
  workers.command('terminate').description('end a running task attempt: its worker kills its process tree; the task fails or goes up for retry')
    .argument('<dag_id>', 'DAG id', (v: string) => assertIdentifier('dag id', v, 'dag_id'))
    .argument('<run_id>', 'DAG run id', (v: string) => assertIdentifier('run id', v, 'run_id'))
    .argument('<task_id>', 'task id', (v: string) => assertIdentifier('task id', v, 'task_id'))
    .option('--map-index <n>', 'map index of a mapped task', mapIndex, -1)
    .option('--state <state>', 'failed, or up_for_retry (runs again at once)', oneOf('--state', ['failed', 'up_for_retry'] as const), 'failed' as 'failed' | 'up_for_retry')
    .action(async (dagId: string, runId: string, taskId: string, o: { mapIndex: number; state: 'failed' | 'up_for_retry' }, command: Command) =>
      terminate(command, { dagId, runId, taskId, mapIndex: o.mapIndex }, o.state));
}
