/**
 * A distributed Updraft stack for end-to-end tests and benchmarks: a real PostgreSQL (a database on
 * the shared test server, or any URL given), its own nats-server, an `updraft scheduler` child
 * process and `updraft worker` child processes, all configured through UPDRAFT__* variables.
 * DAG files are copied into a temp DAGs folder. If anything fails while starting, everything
 * already started is stopped again; stop() ends it all and removes the temp files.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, freePort, REPO_ROOT, runCli, startNats, type CliResult, type NatsServer, type TestDatabase } from '../harness/index.js';
import { spawnUpdraft, type UpdraftProcess } from './processes.js';
import { triggerDagRun, type TriggerOptions } from './trigger.js';

export interface WorkerSpec {
  /** Registered name (`--name`), also the log file name. */
  name: string;
  /** Default ['default']. */
  queues?: string[];
  /** Default 4. */
  concurrency?: number;
  /** Extra UPDRAFT__* settings of this worker. */
  env?: Record<string, string>;
  /** Arguments for node (e.g. `--cpu-prof` to profile the worker). */
  nodeArgs?: string[];
}

export interface StackOptions {
  /** DAG files to copy into the DAGs folder: paths relative to the repository root, or absolute. */
  dagFiles: string[];
  /** Workers to start. Default one named `w1`. */
  workers?: WorkerSpec[];
  /** PostgreSQL URL to use. Default: a new database on the shared test server (vitest only). */
  databaseUrl?: string;
  /** Extra environment of the scheduler (e.g. UPDRAFT__LOGGING__LEVEL). */
  schedulerEnv?: Record<string, string>;
  /** Extra environment of every process and CLI command (e.g. UPDRAFT__SECURITY__FERNET_KEY). */
  env?: Record<string, string>;
  /**
   * Run the scheduler in this process instead of as `updraft scheduler` (benchmarks: direct access
   * to the engine, profiling). Called once NATS is up, before the workers start; its stop() is
   * called by the stack's stop() after the workers stopped.
   */
  inProcessScheduler?: (wiring: SchedulerWiring) => Promise<{ stop(): Promise<void> }>;
  /** How long each process may take to become ready. Default 60000. */
  startTimeoutMs?: number;
  /**
   * Unpause every DAG once the stack's scheduler is up, as a user does before using the examples
   * (they load paused). Default true; false keeps each DAG's isPausedUponCreation. Not done with
   * an inProcessScheduler.
   */
  unpauseDags?: boolean;
}

/** What an in-process scheduler needs to serve the stack's workers. */
export interface SchedulerWiring {
  databaseUrl: string;
  natsUrl: string;
  /** `127.0.0.1:PORT`, where the workers look for the WorkerService. */
  grpcListen: string;
  token: string;
  dagsFolder: string;
}

export interface Stack {
  /** Temp root: dags/, work/ (E2E_WORK_DIR of the DAG files), logs/ (task logs), proc/ (process output). */
  readonly dir: string;
  readonly dagsFolder: string;
  readonly workDir: string;
  readonly logFolder: string;
  readonly databaseUrl: string;
  readonly pool: pg.Pool;
  readonly nats: NatsServer;
  readonly grpcAddress: string;
  readonly token: string;
  /** UPDRAFT__* settings shared by every process (and the CLI commands run through cli()). */
  readonly env: Record<string, string>;
  readonly scheduler: UpdraftProcess | undefined;
  readonly workers: UpdraftProcess[];
  /** Starts one more worker. */
  startWorker(spec: WorkerSpec): Promise<UpdraftProcess>;
  /** Runs an `updraft` command against this stack. */
  cli(args: string[], options?: { timeoutMs?: number }): Promise<CliResult>;
  /** Creates a manual run with `updraft dags trigger`; resolves with its run id. */
  trigger(dagId: string, options?: TriggerOptions): Promise<string>;
  /** Output of every process, for failure messages. */
  diagnostics(): string;
  /** Stops workers, then the scheduler, then NATS and the database; removes the temp dir (kept with E2E_KEEP=1). */
  stop(): Promise<void>;
}

function copyDags(files: string[], dagsFolder: string): void {
  mkdirSync(dagsFolder, { recursive: true });
  // DAG files outside the repository are ES modules too.
  writeFileSync(join(dagsFolder, 'package.json'), '{ "type": "module" }\n');
  for (const file of files) {
    const from = isAbsolute(file) ? file : join(REPO_ROOT, file);
    copyFileSync(from, join(dagsFolder, basename(file)));
  }
}

/** `updraft dags unpause` for every paused DAG that `updraft dags list` shows. */
async function unpauseAll(cli: (args: string[]) => Promise<CliResult>): Promise<void> {
  const list = await cli(['dags', 'list', '--output', 'json']);
  if (list.code !== 0) throw new Error(`updraft dags list failed (exit ${list.code}):\n${list.stderr}`);
  const paused = (JSON.parse(list.stdout) as Array<{ dagId: string; isPaused: boolean }>).filter((d) => d.isPaused);
  await Promise.all(paused.map(async ({ dagId }) => {
    const r = await cli(['dags', 'unpause', dagId]);
    if (r.code !== 0) throw new Error(`updraft dags unpause ${dagId} failed (exit ${r.code}):\n${r.stderr}`);
  }));
}

export async function startStack(o: StackOptions): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'updraft-e2e-'));
  const dagsFolder = join(dir, 'dags');
  const workDir = join(dir, 'work');
  const logFolder = join(dir, 'logs');
  const procDir = join(dir, 'proc');
  for (const d of [workDir, logFolder, procDir]) mkdirSync(d, { recursive: true });
  copyDags(o.dagFiles, dagsFolder);

  const removeDir = (): void => {
    if (process.env.E2E_KEEP === '1') process.stdout.write(`e2e stack files kept in ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  };
  // Run in reverse order of registration.
  const cleanups: Array<() => Promise<void> | void> = [removeDir];
  const runCleanups = async (): Promise<void> => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch {
        // best effort: the harness kills what is left at exit
      }
    }
  };
  const timeout = o.startTimeoutMs ?? 60_000;
  const processes: UpdraftProcess[] = [];

  try {
    let testDb: TestDatabase | undefined;
    let databaseUrl = o.databaseUrl;
    if (databaseUrl === undefined) {
      testDb = await createTestDatabase();
      cleanups.push(() => testDb!.drop());
      databaseUrl = testDb.url;
    }
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    pool.on('error', () => undefined);
    cleanups.push(() => pool.end());
    const nats = await startNats();
    cleanups.push(() => nats.stop());

    const grpcAddress = `127.0.0.1:${await freePort()}`;
    const token = randomBytes(16).toString('hex');
    const env: Record<string, string> = {
      UPDRAFT__DATABASE__URL: databaseUrl,
      UPDRAFT__NATS__URL: nats.url,
      UPDRAFT__SECURITY__WORKER_TOKEN: token,
      UPDRAFT__WORKER__ALLOW_ROOT_TASKS: 'true', // the tests run as root
      UPDRAFT__SCHEDULER__GRPC_LISTEN: grpcAddress,
      UPDRAFT__WORKER__SCHEDULER_ADDRESS: grpcAddress,
      UPDRAFT__CORE__DAGS_FOLDER: dagsFolder,
      UPDRAFT__LOGGING__BASE_LOG_FOLDER: logFolder,
      UPDRAFT__DATABASE__EMBEDDED_DATA_DIR: join(dir, 'embedded-db'),
      UPDRAFT__WORKER__DAG_CACHE_FOLDER: join(dir, 'dag-cache'),
      E2E_WORK_DIR: workDir,
      ...o.env,
    };
    if (o.inProcessScheduler) {
      const inProcess = await o.inProcessScheduler({ databaseUrl, natsUrl: nats.url, grpcListen: grpcAddress, token, dagsFolder });
      cleanups.push(() => inProcess.stop());
    }
    cleanups.push(async () => {
      // Workers first (they report to the scheduler), then the scheduler.
      await Promise.all(processes.filter((p) => p.name !== 'scheduler').map((p) => p.stop('SIGTERM', 20_000)));
      await Promise.all(processes.filter((p) => p.name === 'scheduler').map((p) => p.stop('SIGTERM', 20_000)));
    });

    let scheduler: UpdraftProcess | undefined;
    if (!o.inProcessScheduler) {
      scheduler = spawnUpdraft('scheduler', ['scheduler'], {
        env: { ...env, ...o.schedulerEnv },
        logFile: join(procDir, 'scheduler.log'),
        cwd: dir,
      });
      processes.push(scheduler);
      await scheduler.waitForOutput(/scheduler ready/, timeout);
    }

    const workers: UpdraftProcess[] = [];
    const startWorker = async (spec: WorkerSpec): Promise<UpdraftProcess> => {
      const args = ['worker', '--name', spec.name, '--queues', (spec.queues ?? ['default']).join(','), '--concurrency', String(spec.concurrency ?? 4)];
      const worker = spawnUpdraft(spec.name, args, {
        env: { ...env, UPDRAFT__WORKER__DAG_CACHE_FOLDER: join(dir, `dag-cache-${spec.name}`), ...spec.env },
        logFile: join(procDir, `${spec.name}.log`),
        ...(spec.nodeArgs ? { nodeArgs: spec.nodeArgs } : {}),
        cwd: dir,
      });
      processes.push(worker);
      workers.push(worker);
      await worker.waitForOutput(/worker ready/, timeout);
      return worker;
    };
    await Promise.all((o.workers ?? [{ name: 'w1' }]).map(startWorker));

    const cli = (args: string[], options: { timeoutMs?: number } = {}): Promise<CliResult> =>
      runCli(args, { env, cwd: dir, timeoutMs: options.timeoutMs ?? 60_000 });
    // With a scheduler of the caller's own, the database may not be migrated yet: the caller unpauses.
    if (o.unpauseDags !== false && !o.inProcessScheduler) await unpauseAll(cli);

    return {
      dir,
      dagsFolder,
      workDir,
      logFolder,
      databaseUrl,
      pool,
      nats,
      grpcAddress,
      token,
      env,
      scheduler,
      workers,
      startWorker,
      cli,
      trigger: (dagId, options) => triggerDagRun(cli, dagId, options),
      diagnostics: () => processes.map((p) => `--- ${p.name} (pid ${p.pid}) ---\n${p.tail(40)}`).join('\n'),
      stop: runCleanups,
    };
  } catch (err) {
    const detail = processes.map((p) => `--- ${p.name} ---\n${p.tail(40)}`).join('\n');
    await runCleanups();
    if (detail && err instanceof Error) err.message += `\n${detail}`;
    throw err;
  }
}
