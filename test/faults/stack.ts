/**
 * The stack the fault matrix breaks: its own PostgreSQL (so it can be killed and restarted), its
 * own nats-server, an `updraft scheduler` process and two `updraft worker` processes (concurrency
 * 2 each), built on the end-to-end stack helper (test/e2e/stack.ts). Schedulers are started here
 * rather than by that helper so that they can be killed and started again; there are two scheduler
 * slots (two addresses, both in the workers' worker.scheduler_address): the first runs from the
 * start, the second when a fault starts it (scheduler failover). Timeouts are short so each fault
 * resolves in seconds.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startPostgres, type PostgresServer } from '../harness/index.js';
import { spawnUpdraft, type UpdraftProcess } from '../e2e/processes.js';
import { startStack, type Stack } from '../e2e/stack.js';

/** Supervision and worker settings of every process of the fault stack. */
export const FAULT_SETTINGS: Record<string, string> = {
  UPDRAFT__WORKER__HEARTBEAT_INTERVAL: '500ms',
  UPDRAFT__SCHEDULER__WORKER_HEARTBEAT_TIMEOUT: '3s',
  UPDRAFT__SCHEDULER__TASK_QUEUED_TIMEOUT: '4s',
  UPDRAFT__SCHEDULER__MAX_REQUEUES: '3',
  UPDRAFT__SCHEDULER__SUPERVISION_INTERVAL: '250ms',
  // A publish window of 1: of the six-wide wave, one task is handed to the worker that ran `start`,
  // one is published, and the others wait in the scheduler's backlog until claims and reports take
  // them, so every fault also hits tasks on that path (a backlog lost with a scheduler, ...).
  UPDRAFT__SCHEDULER__PUBLISH_WINDOW: '1',
  UPDRAFT__LOGGING__LEVEL: 'info',
};

export const FAULT_DAG = 'fault_matrix';

/** One line of the records file the DAG's tasks append to. */
export interface ExecutionRecord {
  event: 'start' | 'end';
  runId: string;
  taskId: string;
  tryNumber: number;
  pid: number;
  at: number;
}

export type SchedulerSlot = 'a' | 'b';

export interface FaultStack {
  readonly stack: Stack;
  readonly postgres: PostgresServer;
  /** The scheduler process started last. */
  readonly scheduler: UpdraftProcess;
  /** The live scheduler process of each slot. */
  readonly schedulers: Map<SchedulerSlot, UpdraftProcess>;
  /** Starts a scheduler in a slot (default a) and waits until it serves (as leader or standby). */
  startScheduler(slot?: SchedulerSlot): Promise<UpdraftProcess>;
  /** The live scheduler that leads (from the processes' logs), if any. */
  leader(): { slot: SchedulerSlot; process: UpdraftProcess } | undefined;
  /** Live worker processes by worker name. */
  readonly workers: Map<string, UpdraftProcess>;
  /** Starts a worker (a new name each time: the process log file is per name) and waits for its first heartbeat. */
  startWorker(): Promise<UpdraftProcess>;
  records(runId: string): ExecutionRecord[];
  /** SQL on the stack's database, retried while the database is restarting. */
  query<R>(text: string, values?: unknown[]): Promise<R[]>;
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startFaultStack(): Promise<FaultStack> {
  const postgres = await startPostgres();
  let stack: Stack;
  try {
    stack = await startStack({
      dagFiles: ['test/fixtures/dags-faults/fault_matrix.ts'],
      databaseUrl: postgres.url,
      // The scheduler is started below as a process of our own (so that it can be killed and started again).
      inProcessScheduler: async () => ({ stop: async () => undefined }),
      workers: [],
    });
  } catch (err) {
    await postgres.stop();
    throw err;
  }
  let incarnation = 0;
  let workerCount = 0;
  const workers = new Map<string, UpdraftProcess>();
  const schedulers: UpdraftProcess[] = [];
  const live = new Map<SchedulerSlot, UpdraftProcess>();
  const addresses: Record<SchedulerSlot, string> = { a: stack.grpcAddress, b: `127.0.0.1:${await freePort()}` };

  const query = async <R>(text: string, values: unknown[] = []): Promise<R[]> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await stack.pool.query(text, values)).rows as R[];
      } catch (err) {
        if (attempt >= 150) throw err;
        await sleep(200);
      }
    }
  };

  const fs: FaultStack = {
    stack,
    postgres,
    get scheduler() {
      return schedulers[schedulers.length - 1]!;
    },
    schedulers: live,
    workers,
    async startScheduler(slot = 'a') {
      incarnation++;
      const p = spawnUpdraft(`scheduler-${incarnation}`, ['scheduler', '--listen', addresses[slot]], {
        env: { ...stack.env, ...FAULT_SETTINGS },
        logFile: join(stack.dir, 'proc', `scheduler-${incarnation}.log`),
        cwd: stack.dir,
      });
      schedulers.push(p);
      live.set(slot, p);
      void p.exited.then(() => {
        if (live.get(slot) === p) live.delete(slot);
      });
      await p.waitForOutput(/scheduler ready/, 120_000);
      return p;
    },
    leader() {
      for (const [slot, p] of live) {
        if (p.hasExited()) continue;
        const out = p.output();
        if (count(out, 'scheduler is now the leader') > count(out, 'stepping down to standby')) return { slot, process: p };
      }
      return undefined;
    },
    async startWorker() {
      workerCount++;
      const name = `fw${workerCount}`;
      const p = await stack.startWorker({
        name, concurrency: 2, env: { ...FAULT_SETTINGS, UPDRAFT__WORKER__SCHEDULER_ADDRESS: `${addresses.a},${addresses.b}` },
      });
      workers.set(name, p);
      // Ready once its first heartbeat is in (registration alone precedes the runner prewarm).
      await waitFor(`worker ${name} heartbeating`, async () => {
        const rows = await query<{ ok: boolean }>(
          "SELECT last_heartbeat > registered_at AS ok FROM worker WHERE worker_name = $1 AND state = 'online'", [name]);
        return rows[0]?.ok === true ? true : undefined;
      });
      return p;
    },
    records(runId) {
      const file = join(stack.workDir, `${FAULT_DAG}.records`);
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').split('\n').flatMap((line) => {
        const [event, run, taskId, tryNumber, pid, at] = line.trim().split(' ');
        if (run !== runId || (event !== 'start' && event !== 'end')) return [];
        return [{ event, runId: run, taskId: taskId!, tryNumber: Number(tryNumber), pid: Number(pid), at: Number(at) }];
      });
    },
    query,
    async stop() {
      await Promise.allSettled([...workers.values()].map((w) => w.stop('SIGTERM', 20_000)));
      await Promise.allSettled(schedulers.map((s) => s.stop('SIGTERM', 20_000)));
      await stack.stop();
      await postgres.stop();
    },
  };
  try {
    await fs.startScheduler();
    await Promise.all([fs.startWorker(), fs.startWorker()]);
  } catch (err) {
    await fs.stop().catch(() => undefined);
    throw err;
  }
  return fs;
}

const count = (text: string, needle: string): number => text.split(needle).length - 1;

/** Polls until `check` gives a value; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
