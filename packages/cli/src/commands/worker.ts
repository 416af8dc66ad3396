/**
 * `updraft worker`: pulls task messages from NATS JetStream for its queues, claims and reports over
 * gRPC, runs tasks in child processes. Needs no database credentials and no DAG folder.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { createLogger, resolveLogFormat, displayNatsUrl, UpdraftError, type TaskQueue } from '@updraft/core';
import { Worker } from '@updraft/worker';
import { loadComponentConfig } from './config.js';
import { startupGuard, type StartupGuard } from '../startup.js';
import { openQueue } from '../queue.js';
import { onShutdownSignal } from '../signals.js';
import { workerOptionsFromConfig } from '../worker-options.js';
import { identifierArg } from '../output.js';
import { addWorkerDrain } from './workers.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected an integer >= 1, got "${value}"`);
  return n;
}

function queueList(value: string): string[] {
  const queues = value.split(',').map((q) => q.trim()).filter(Boolean);
  if (queues.length === 0) throw new InvalidArgumentError('expected a comma-separated list of queues');
  return queues.map(identifierArg('queue', '--queues'));
}

interface WorkerCliOptions {
  queues?: string[];
  concurrency?: number;
  scheduler?: string;
  nats?: string;
  name?: string;
}

export function register(program: Command): void {
  const workerCommand = program
    .command('worker')
    .description('run a worker: pull tasks of its queues from NATS JetStream and run them')
    .option('-q, --queues <list>', 'comma-separated queues to serve (default: worker.queues)', queueList)
    .option('-c, --concurrency <n>', 'tasks run at once (default: worker.concurrency)', positiveInt)
    .option('--scheduler <host:port,...>', 'the schedulers\' WorkerService, comma-separated when there are several (default: worker.scheduler_address)')
    .option('--nats <url>', 'NATS URL (default: nats.url)')
    .option('--name <name>', 'worker name registered with the scheduler (default: worker.name or hostname-pid)', identifierArg('worker name', '--name'))
    .action(async (opts: WorkerCliOptions, command: Command) => {
      const cfg0 = loadComponentConfig('worker', command);
      const cfg = opts.nats ? { ...cfg0, nats: { ...cfg0.nats, url: opts.nats } } : cfg0;
      const startup: StartupGuard = startupGuard('worker', cfg.core.startupTimeoutMs);
      const logger = createLogger({ name: 'worker', level: cfg.logging.level, format: resolveLogFormat(cfg.logging.format) });
      let started: { queue: TaskQueue; worker: Worker };
      try {
        if (!cfg.security.workerToken) {
          throw new UpdraftError('CONFIG_INVALID', 'security.worker_token is empty: set UPDRAFT__SECURITY__WORKER_TOKEN to the scheduler\'s token');
        }
        startup.step(`connecting to NATS at ${displayNatsUrl(cfg.nats.url)}`);
        const queue = await openQueue(cfg, { logger, allowInProcess: false, role: 'worker', connectTimeoutMs: startup.remainingMs() });
        startup.step('checking the worker\'s setup');
        const worker = new Worker({
          ...workerOptionsFromConfig(cfg, {
            queues: opts.queues,
            concurrency: opts.concurrency,
            schedulerAddress: opts.scheduler,
            name: opts.name,
          }),
          queue,
          logger,
        });
        started = { queue, worker };
        // Registration waits for an unreachable scheduler (it may be restarting) without a deadline;
        // a refusal (wrong token, bad setup) still ends the start.
        startup.ready();
        try {
          await worker.start();
        } catch (err) {
          await queue.close();
          throw err;
        }
      } catch (err) {
        startup.fail(err);
      }
      const { queue, worker } = started;
      process.stdout.write(`worker ready: queues ${(opts.queues ?? cfg.worker.queues).join(',')}\n`);
      const signalled = onShutdownSignal(async (signal) => {
        logger.info({ signal }, 'worker stopping: no new tasks; running tasks may finish');
        await worker.stop();
      });
      await Promise.race([signalled, worker.stopped]);
      await queue.close();
    });
  // `updraft worker drain NAME` (fleet administration, commands/workers.ts).
  addWorkerDrain(workerCommand);
}
