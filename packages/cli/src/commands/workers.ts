/**
 * `updraft workers list | drain NAME` and `updraft worker drain NAME`: the fleet as the scheduler's
 * database knows it. Drain marks the worker draining; the scheduler tells it in the answer to its
 * next heartbeat, and it stops taking tasks, lets running ones finish and deregisters.
 * `updraft workers pool grow|shrink NAME [-n N]`: the worker's concurrency, changed live (it gets
 * the number in the answer to its next heartbeat; running tasks are never stopped).
 * `updraft workers credentials create | revoke | list`: per-worker tokens (worker-credentials.ts).
 */
import type { Command } from 'commander';
import { assertIdentifier, assertText, RPC_LIMITS, UpdraftError, workerControlsSql, workersSql } from '@updraft/core';
import { recordCliEvents } from '../cli-events.js';
import { registerCredentials } from './worker-credentials.js';
import { cliUser, registerControl } from './workers-control.js';

type WorkerView = workersSql.WorkerView;
import { formatInstant, formatTable, oneOf } from '../output.js';
import { withDatabase } from './runs.js';
import { wakeWorkers } from '../queue.js';

type Output = 'table' | 'json';

function workersTable(workers: readonly WorkerView[]): string {
  return formatTable([
    ['NAME', 'HOSTNAME', 'STATE', 'QUEUES', 'RUNNING', 'CONCURRENCY', 'PROCESSED', 'LAST_HEARTBEAT'],
    ...workers.map((w) => [
      w.workerName, w.hostname, w.state, w.queues.join(','), String(w.running), String(w.concurrency), String(w.processed),
      formatInstant(w.lastHeartbeat),
    ]),
  ]);
}

async function list(command: Command, o: { output: Output; all: boolean }): Promise<void> {
  await withDatabase(command, async (db) => {
    const workers = await workersSql.listWorkers(db.pool, { all: o.all });
    if (o.output === 'json') process.stdout.write(`${JSON.stringify(workers, null, 2)}\n`);
    else if (workers.length > 0) process.stdout.write(`${workersTable(workers)}\n`);
    else process.stdout.write(o.all ? 'no workers have registered\n' : 'no live workers (`updraft workers list --all` shows offline ones too)\n');
  });
}

async function drain(command: Command, nameOrHost: string): Promise<void> {
  await withDatabase(command, async (db, cfg) => {
    const drained = await workersSql.drainWorkers(db.pool, nameOrHost);
    if (drained.length > 0) {
      const recorded = await workerControlsSql.recordControls(db.pool, drained.map((w) => ({ workerName: w.workerName, action: 'shutdown' as const, detail: null, requestedBy: cliUser() })));
      await wakeWorkers(cfg, recorded.map((c) => c.workerId));
      for (const w of drained) {
        process.stdout.write(`worker ${w.workerName} on ${w.hostname} is draining (${w.running} task(s) running); it leaves after they finish\n`);
      }
      return;
    }
    const matching = (await workersSql.listWorkers(db.pool)).filter((w) => w.workerName === nameOrHost || w.hostname === nameOrHost);
    if (matching.length === 0) {
      throw new UpdraftError('WORKER_NOT_FOUND', `no worker named '${nameOrHost}' or on host '${nameOrHost}' (see \`updraft workers list\`)`);
    }
    process.stdout.write(matching.map((w) => `worker ${w.workerName} on ${w.hostname} is already ${w.state}\n`).join(''));
  });
}

async function resize(command: Command, action: 'grow' | 'shrink', name: string, n: number): Promise<void> {
  await withDatabase(command, async (db, cfg) => {
    const resized = await workersSql.resizeWorkerPool(db.pool, name, action === 'grow' ? n : -n);
    if (resized === null) {
      const known = (await workersSql.listWorkers(db.pool, { all: true })).some((w) => w.workerName === name);
      throw new UpdraftError(known ? 'INVALID_ARGUMENT' : 'WORKER_NOT_FOUND', known ? `worker ${name} is offline; its pool cannot change` : `no worker named '${name}' (see \`updraft workers list\`)`);
    }
    await recordCliEvents(db.pool, [{ event: `worker.pool.${action}`, extra: { worker: name, n, target: resized.target } }]);
    const recorded = await workerControlsSql.recordControls(db.pool, [{ workerName: name, action: `pool.${action}`, detail: `${action === 'grow' ? '+' : '-'}${n} -> ${resized.target} slots`, requestedBy: cliUser() }]);
    const woken = await wakeWorkers(cfg, recorded.map((c) => c.workerId));
    process.stdout.write(`worker ${name} runs ${resized.target} task(s) at once ${woken ? 'now (woken over NATS)' : 'from its next heartbeat'} (now ${resized.concurrency})${action === 'shrink' ? '; running tasks are not stopped' : ''}\n`);
  });
}

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UpdraftError('INVALID_ARGUMENT', `-n must be a whole number from 1 to 1000, got '${value}'`);
  return n;
};

/** A worker name or a hostname: at most as long as a hostname may be. */
const nameOrHostname = (value: string): string => assertText(value, 'name_or_hostname', { maxLength: RPC_LIMITS.hostnameLength });

function addDrain(parent: Command): void {
  if (parent.commands.some((c) => c.name() === 'drain')) return;
  parent
    .command('drain')
    .description('ask a worker (by name) or every worker of a host (by hostname) to stop taking tasks, finish its running ones and leave')
    .argument('<name_or_hostname>', 'worker name or hostname (see `updraft workers list`)', nameOrHostname)
    .action(async (nameOrHost: string, _o: unknown, command: Command) => drain(command, nameOrHost));
}

/** Adds `drain` to the `updraft worker` runner command (commands/worker.ts), whichever registers first. */
export function addWorkerDrain(worker: Command): void {
  addDrain(worker);
}

export function register(program: Command): void {
  const workers = program.command('workers').description('the worker fleet: list, drain (shut down), pause, resume, pool, queue, terminate, per-worker credentials');
  workers
    .command('list')
    .description('list the live workers (online, draining): name, host, state, queues, load, last heartbeat')
    .option('-o, --output <format>', 'table or json', oneOf('--output', ['table', 'json'] as const), 'table' as Output)
    .option('--all', 'include offline workers (kept for scheduler.worker_retention)', false)
    .action(async (o: { output: Output; all: boolean }, command: Command) => list(command, o));
  addDrain(workers);
  const pool = workers.command('pool').description('change a worker\'s concurrency live (it is woken over NATS and applies it at once, else at its next heartbeat; running tasks are never stopped)');
  for (const action of ['grow', 'shrink'] as const) {
    pool
      .command(action)
      .description(`${action} a worker's pool by N slots (at least 1 slot stays)`)
      .argument('<name>', 'worker name (see `updraft workers list`)', (v: string) => assertIdentifier('worker name', v, 'name'))
      .option('-n <slots>', 'by how many slots', positive, 1)
      .action(async (name: string, o: { n: number }, command: Command) => resize(command, action, name, o.n));
  }
  registerControl(workers);
  registerCredentials(workers);
  const worker = program.commands.find((c) => c.name() === 'worker');
  if (worker !== undefined) addDrain(worker);
}
