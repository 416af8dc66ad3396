/**
 * Support for the supervision tests: a real stack around an in-process scheduler (startScheduler:
 * DAG processor, engine, supervision, WorkerService over a real socket) on a test database and
 * its own nats-server; workers as in-process Worker instances over real gRPC and JetStream, or as
 * `updraft worker` processes; a TCP proxy that cuts a worker off the scheduler (a partition);
 * DAG files of bash tasks that record every execution (`start|end <task> <try> <pid>`).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJetStreamQueue, createLogger, createWorkerServiceClient, proto, silentLogger, type Logger, type WorkerServiceRpcClient } from '@updraft/core';
import { type JetStreamQueue } from '@updraft/core/internal';
import { startScheduler, type RunningScheduler, type SupervisionSettings } from '@updraft/scheduler';
import { Worker, type WorkerEvent, type WorkerOptions } from '@updraft/worker';
import { createTestDatabase, freePort, startNats, type NatsServer, type TestDatabase } from '../harness/index.js';
import { spawnUpdraft, type UpdraftProcess } from '../e2e/processes.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Shell that waits until `flag` exists (a task that runs until the test lets it finish). */
export const waitForFlag = (flag: string): string => `while [ ! -f '${flag}' ]; do sleep 0.1; done`;

/** Polls until `check` returns something other than undefined (a bound on waiting, not a timing assertion). */
export async function waitUntil<T>(
  what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000, explain?: () => string | Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${explain ? `\n${await explain()}` : ''}`);
    await sleep(100);
  }
}

const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export interface BashTaskSpec {
  taskId: string;
  /** Shell run between the start and end records. Default nothing. */
  body?: string;
  queue?: string;
  retries?: number;
  upstream?: string[];
}

/** Test settings: short timeouts so faults resolve in seconds. */
export const FAST_SUPERVISION: Required<Pick<SupervisionSettings, 'workerHeartbeatTimeoutMs' | 'taskQueuedTimeoutMs' | 'maxRequeues' | 'intervalMs' | 'reconnectGraceMs'>> = {
  // A worker's first heartbeat follows its runner prewarm: on a loaded 2-core machine that can
  // take over a second, so the timeout stays at a few heartbeat intervals plus that.
  workerHeartbeatTimeoutMs: 2000,
  taskQueuedTimeoutMs: 2000,
  maxRequeues: 2,
  intervalMs: 100,
  reconnectGraceMs: 1000,
};
export const WORKER_HEARTBEAT_MS = 200;

export interface ExecutionRecord {
  event: 'start' | 'end';
  taskId: string;
  tryNumber: number;
  pid: number;
  dagId: string;
}

export interface SupervisedStack {
  dir: string;
  db: TestDatabase;
  nats: NatsServer;
  /** The scheduler's own queue adapter. */
  queue: JetStreamQueue;
  scheduler: RunningScheduler;
  address: string;
  token: string;
  logFolder: string;
  /** Writes a DAG file of bash tasks that record their executions and parses the DAGs folder. */
  addDag(dagId: string, tasks: BashTaskSpec[]): Promise<void>;
  /** Creates a manual run now; resolves with its run id. */
  trigger(dagId: string): Promise<string>;
  /** Execution records of the DAG's tasks (from the records file the tasks append to). */
  records(dagId: string): ExecutionRecord[];
  /** A path under the stack's dir for flag files. */
  path(name: string): string;
  /** An in-process worker over real gRPC and its own JetStream connection; stopped by stop(). */
  startWorker(name: string, over?: Partial<WorkerOptions>): Promise<{ worker: Worker; events: WorkerEvent[] }>;
  /** An `updraft worker` process; stopped by stop(). */
  spawnWorker(name: string, queues: string[], concurrency?: number, env?: Record<string, string>): Promise<UpdraftProcess>;
  /** Stops the scheduler (its state stays in the database) and starts a new one on the same port. */
  restartScheduler(downMs?: number): Promise<void>;
  /** The scheduler's log lines (JSON). */
  schedulerLog(): string;
  stop(): Promise<void>;
}

export async function startSupervisedStack(o: { supervision?: SupervisionSettings } = {}): Promise<SupervisedStack> {
  const dir = mkdtempSync(join(tmpdir(), 'updraft-supervision-'));
  const dagsFolder = join(dir, 'dags');
  const logFolder = join(dir, 'logs');
  for (const d of [dagsFolder, logFolder, join(dir, 'records'), join(dir, 'proc')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(dagsFolder, 'package.json'), '{ "type": "module" }\n');
  const db = await createTestDatabase({ poolMax: 10 });
  const nats = await startNats();
  const token = randomBytes(16).toString('hex');
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const logFile = join(dir, 'scheduler.log');
  const logStream = createWriteStream(logFile, { flags: 'a' });
  const logger: Logger = createLogger({ name: 'scheduler', level: 'info', destination: logStream });
  const queue = await createJetStreamQueue({ url: nats.url });
  const supervision = { ...FAST_SUPERVISION, ...o.supervision };

  const launch = (): Promise<RunningScheduler> => startScheduler({
    pool: db.pool,
    queue,
    listen: address,
    token,
    dagProcessor: { dagsFolder, parsingProcesses: 1 },
    watchDagsFolder: false,
    engine: { tickIntervalMs: 100, heartbeatIntervalMs: WORKER_HEARTBEAT_MS },
    supervision,
    logger,
  });
  let scheduler = await launch();

  const workers: Worker[] = [];
  const workerQueues: JetStreamQueue[] = [];
  const processes: UpdraftProcess[] = [];
  const stack: SupervisedStack = {
    dir, db, nats, queue, address, token, logFolder,
    get scheduler() {
      return scheduler;
    },
    path: (name) => join(dir, name),
    async addDag(dagId, tasks) {
      const rec = join(dir, 'records', `${dagId}.records`);
      const lines = tasks.map((t) => {
        const command = `echo "start ${t.taskId} $UPDRAFT_TRY_NUMBER $$" >> ${sq(rec)}; ${t.body ?? 'true'}; ` +
          `echo "end ${t.taskId} $UPDRAFT_TRY_NUMBER $$" >> ${sq(rec)}`;
        const opts = { command, queue: t.queue ?? 'default', retries: t.retries ?? 0, retryDelay: 0 };
        return `  const t_${t.taskId} = d.bash(${JSON.stringify(t.taskId)}, ${JSON.stringify(opts)});`;
      });
      const deps = tasks.flatMap((t) => (t.upstream ?? []).map((u) => `  t_${u}.then(t_${t.taskId});`));
      writeFileSync(join(dagsFolder, `${dagId}.ts`), [
        "import { dag } from '@updraft/sdk';",
        `export default dag({ dagId: ${JSON.stringify(dagId)}, isPausedUponCreation: false }, (d) => {`,
        ...lines, ...deps, '});', '',
      ].join('\n'));
      await scheduler.processDags(true);
    },
    async trigger(dagId) {
      return (await scheduler.engine.triggerDagRun({ dagId })).runId;
    },
    records(dagId) {
      const file = join(dir, 'records', `${dagId}.records`);
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => {
        const [event, taskId, tryNumber, pid] = line.split(' ');
        return { event: event as 'start' | 'end', taskId: taskId!, tryNumber: Number(tryNumber), pid: Number(pid), dagId };
      });
    },
    async startWorker(name, over = {}) {
      const events: WorkerEvent[] = [];
      const wq = await createJetStreamQueue({ url: nats.url });
      workerQueues.push(wq);
      const worker = new Worker({
        allowRootTasks: true, // the tests run as root
        schedulerAddress: address, token, queue: wq, concurrency: 2, heartbeatIntervalMs: WORKER_HEARTBEAT_MS,
        logFolder, dagCacheFolder: join(dir, `dag-cache-${name}`), workerName: name, hostname: `${name}-host`,
        shutdownGracePeriodMs: 5000, killGraceMs: 1000, reportRetryMaxMs: 500, fetchExpiresMs: 1000,
        // No runner prewarm: the worker's first heartbeat waits for it (bash tasks need no runner).
        runners: { spares: 0 },
        logger: silentLogger, onEvent: (e) => events.push(e), ...over,
      });
      workers.push(worker);
      await worker.start();
      return { worker, events };
    },
    async spawnWorker(name, queues, concurrency = 1, extraEnv = {}) {
      const p = spawnUpdraft(name, ['worker', '--name', name, '--queues', queues.join(','), '--concurrency', String(concurrency)], {
        env: {
          UPDRAFT__NATS__URL: nats.url,
          UPDRAFT__SECURITY__WORKER_TOKEN: token,
          UPDRAFT__WORKER__ALLOW_ROOT_TASKS: 'true',
          UPDRAFT__WORKER__SCHEDULER_ADDRESS: address,
          UPDRAFT__WORKER__HEARTBEAT_INTERVAL: `${WORKER_HEARTBEAT_MS}ms`,
          UPDRAFT__WORKER__DAG_CACHE_FOLDER: join(dir, `dag-cache-${name}`),
          UPDRAFT__LOGGING__BASE_LOG_FOLDER: logFolder,
          ...extraEnv,
        },
        logFile: join(dir, 'proc', `${name}.log`),
        cwd: dir,
      });
      processes.push(p);
      await p.waitForOutput(/worker ready/, 60_000);
      return p;
    },
    async restartScheduler(downMs = 0) {
      await scheduler.stop();
      await sleep(downMs);
      scheduler = await launch();
    },
    schedulerLog: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async stop() {
      await Promise.allSettled(workers.map((w) => w.stop()));
      await Promise.allSettled(processes.map((p) => p.stop('SIGTERM', 10_000)));
      await Promise.allSettled(workerQueues.map((q) => q.close()));
      await scheduler.stop().catch(() => undefined);
      await queue.close();
      logStream.end();
      await nats.stop();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

export { isAlive, killHost } from '../faults/kill.js';

/** A TCP proxy to `target` that can cut every connection and refuse new ones (a network partition). */
export interface Partition {
  /** `127.0.0.1:<port>` to give the worker instead of the scheduler's address. */
  address: string;
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startPartitionProxy(target: string): Promise<Partition> {
  const [host, portText] = target.split(':');
  const sockets = new Set<Socket>();
  let isCut = false;
  const server: Server = createServer((client) => {
    if (isCut) {
      client.destroy();
      return;
    }
    const upstream = tcpConnect(Number(portText), host);
    sockets.add(client);
    sockets.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${port}`,
    cut() {
      isCut = true;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    heal() {
      isCut = false;
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Row of a task instance with its supervision columns. */
export interface TiRow {
  state: string | null;
  tryNumber: number;
  attemptToken: string | null;
  workerId: string | null;
  requeueCount: number;
  lastRequeueReason: string | null;
  error: string | null;
  queuedMs: number | null;
}

export async function ti(stack: SupervisedStack, dagId: string, runId: string, taskId: string): Promise<TiRow | undefined> {
  const { rows } = await stack.db.pool.query<TiRow>(
    `SELECT state, try_number AS "tryNumber", attempt_token::text AS "attemptToken", worker_id AS "workerId",
       requeue_count AS "requeueCount", last_requeue_reason AS "lastRequeueReason", error,
       (EXTRACT(EPOCH FROM (now() - queued_at)) * 1000)::float8 AS "queuedMs"
     FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3`,
    [dagId, runId, taskId],
  );
  return rows[0];
}

export interface TryRowLite {
  tryNumber: number;
  state: string | null;
  workerId: string | null;
  error: string | null;
  attemptToken: string | null;
}

export async function tries(stack: SupervisedStack, dagId: string, runId: string, taskId: string): Promise<TryRowLite[]> {
  const { rows } = await stack.db.pool.query<TryRowLite>(
    `SELECT try_number AS "tryNumber", state, worker_id AS "workerId", error, attempt_token::text AS "attemptToken"
     FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 ORDER BY try_number`,
    [dagId, runId, taskId],
  );
  return rows;
}

export async function runState(stack: SupervisedStack, dagId: string, runId: string): Promise<string | undefined> {
  const { rows } = await stack.db.pool.query<{ state: string }>('SELECT state FROM dag_run WHERE dag_id = $1 AND run_id = $2', [dagId, runId]);
  return rows[0]?.state;
}

export async function workerNameOf(stack: SupervisedStack, workerId: string): Promise<string | undefined> {
  const { rows } = await stack.db.pool.query<{ worker_name: string }>('SELECT worker_name FROM worker WHERE worker_id = $1', [workerId]);
  return rows[0]?.worker_name;
}

/** For failure messages: unfinished task instances and the scheduler's recent warnings. */
export async function diagnostics(stack: SupervisedStack): Promise<string> {
  const { rows } = await stack.db.pool.query(
    `SELECT dag_id, task_id, state, try_number, queue, worker_id, requeue_count, last_requeue_reason, error FROM task_instance
     WHERE updated_at > now() - interval '2 minutes' ORDER BY updated_at DESC LIMIT 20`);
  const { rows: workers } = await stack.db.pool.query('SELECT worker_name, state, last_heartbeat, free_slots FROM worker');
  const log = stack.schedulerLog().split('\n').filter((l) => /"level":(40|50)/.test(l)).slice(-20).join('\n');
  return `task instances: ${JSON.stringify(rows)}\nworkers: ${JSON.stringify(workers)}\nscheduler warnings:\n${log}`;
}

/** Waits for the run to end and fails with the scheduler's log and the task rows when it ended otherwise. */
export async function expectRunEnd(stack: SupervisedStack, dagId: string, runId: string, expected: 'success' | 'failed'): Promise<void> {
  const state = await runEnded(stack, dagId, runId);
  if (state === expected) return;
  const { rows } = await stack.db.pool.query(
    'SELECT task_id, try_number, state, worker_id, error FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 ORDER BY task_id, try_number',
    [dagId, runId]);
  const log = stack.schedulerLog().split('\n').filter((l) => /"level":(40|50)/.test(l)).slice(-30).join('\n');
  throw new Error(`run ${dagId}/${runId} ended ${state}, expected ${expected}\ntries: ${JSON.stringify(rows)}\nscheduler warnings:\n${log}`);
}

/** Waits for the run to end (success or failed) and returns its state. */
export function runEnded(stack: SupervisedStack, dagId: string, runId: string, timeoutMs = 60_000): Promise<string> {
  return waitUntil(`run ${dagId}/${runId} to end`, async () => {
    const s = await runState(stack, dagId, runId);
    return s === 'success' || s === 'failed' ? s : undefined;
  }, timeoutMs, () => diagnostics(stack));
}

export { silentLogger };

/**
 * A minimal worker speaking the protocol over real gRPC, driven by the test: it registers and
 * heartbeats with the given free slots and running list, and pulls nothing.
 */
export interface FakeWorker {
  client: WorkerServiceRpcClient;
  workerId: string;
  /** What the next heartbeats list as running. */
  running: proto.RunningAttempt[];
  /** Kill lists the scheduler answered. */
  kills: proto.RunningAttempt[];
  /** False: no heartbeats are sent (a stalled worker). */
  beating: boolean;
  stop(): Promise<void>;
}

export async function startFakeWorker(stack: SupervisedStack, name: string, queues: string[], freeSlots: number): Promise<FakeWorker> {
  const client = createWorkerServiceClient({ address: stack.address, token: stack.token });
  const reg = await client.registerWorker(proto.RegisterWorkerRequest.fromPartial({
    workerName: name, hostname: `${name}-host`, queues, concurrency: Math.max(freeSlots, 1), version: 'test', pid: process.pid,
  }));
  const fake: FakeWorker = { client, workerId: reg.workerId, running: [], kills: [], beating: true, stop: async () => undefined };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      if (!fake.beating) {
        await sleep(WORKER_HEARTBEAT_MS);
        continue;
      }
      try {
        const res = await client.heartbeat(proto.HeartbeatRequest.fromPartial({ workerId: fake.workerId, running: fake.running, freeSlots }));
        fake.kills.push(...res.kill);
      } catch {
        // the test decides what a failed beat means
      }
      await sleep(WORKER_HEARTBEAT_MS);
    }
  })();
  fake.stop = async () => {
    stopped = true;
    await loop;
    client.close();
  };
  return fake;
}
