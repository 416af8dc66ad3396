/**
 * The faults of the matrix. Each waits for the right moment in a run of the fault DAG, breaks one
 * part of the stack, and says what it broke: how many faults it injected, when, and which tasks it
 * hit (recovery: when each of them started again) or none (recovery: when the next task started
 * after the fault). Worker and message faults hit the first wave; restarts hit while the first
 * task runs, so the run's next step (its report, queueing and publishing the wave, the claims)
 * needs the part that is down.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { proto } from '@updraft/core';
import { waitFor, type FaultStack } from './stack.js';
import { killHost } from './kill.js';

export interface Injection {
  /** Faults injected (messages removed, processes killed, servers restarted). */
  count: number;
  /** When (epoch ms). */
  at: number;
  /**
   * Tasks the fault hit, with the try they were on (recovery: a later try starts; 0 for a task that
   * had not started); null: the whole run (recovery: the next task start after the fault).
   */
  affected: Array<{ taskId: string; afterTry: number }> | null;
  /** Called after the run ended (e.g. replace a killed worker). */
  after?: () => Promise<void>;
  /** Scheduler takeovers: kill of the leader -> the standby leads (ms each). */
  takeoversMs?: number[];
  /** What went wrong while injecting (e.g. no takeover), reported as problems. */
  problems?: string[];
}

export interface Fault {
  name: string;
  inject(fs: FaultStack, runId: string): Promise<Injection>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface TiState {
  task_id: string;
  state: string | null;
  worker_name: string | null;
  attempt_token: string | null;
  try_number: number;
}

async function taskStates(fs: FaultStack, runId: string): Promise<TiState[]> {
  return fs.query<TiState>(
    `SELECT ti.task_id, ti.state, w.worker_name, ti.attempt_token::text AS attempt_token, ti.try_number
     FROM task_instance ti LEFT JOIN worker w ON w.worker_id = ti.worker_id
     WHERE ti.dag_id = 'fault_matrix' AND ti.run_id = $1`, [runId]);
}

/** Waits until `taskId` succeeded in the run; the name of the worker that ran that try. */
async function succeededOn(fs: FaultStack, runId: string, taskId: string): Promise<string> {
  return waitFor(`${taskId} to end`, async () => {
    const rows = await fs.query<{ worker_name: string | null }>(
      `SELECT w.worker_name FROM task_instance_try t LEFT JOIN worker w ON w.worker_id = t.worker_id
       WHERE t.dag_id = 'fault_matrix' AND t.run_id = $1 AND t.task_id = $2 AND t.state = 'success'`, [runId, taskId]);
    return rows[0]?.worker_name ?? undefined;
  }, 120_000);
}

/**
 * Waits until the first task runs (its process started): the run's next step (reporting it,
 * queueing and publishing the wave, claims) then needs every part of the stack.
 */
async function firstTaskRunning(fs: FaultStack, runId: string): Promise<void> {
  await waitFor('the first task running', async () =>
    (fs.records(runId).some((r) => r.taskId === 'start' && r.event === 'start') ? true : undefined));
}

/** Waits until at least `n` tasks of the first wave run (and `queued` more wait queued). */
async function firstWaveRunning(fs: FaultStack, runId: string, n: number, queued = 0): Promise<TiState[]> {
  return waitFor(`${n} work tasks running`, async () => {
    const rows = (await taskStates(fs, runId)).filter((r) => r.task_id.startsWith('work_'));
    const running = rows.filter((r) => r.state === 'running').length;
    const waiting = rows.filter((r) => r.state === 'queued').length;
    return running >= n && waiting >= queued ? rows : undefined;
  });
}

/**
 * Longest a first-wave task (3 s) may have run when its worker is killed. The fault is a worker
 * dying in the middle of its tasks; one that dies in the few milliseconds between a task's end and
 * its report makes that task run twice by design (its result never reached the scheduler), which
 * is not what the matrix measures.
 */
const MID_TASK_MS = 2000;

export const workerKill: Fault = {
  name: 'worker kill -9',
  async inject(fs, runId) {
    const rows = await waitFor('2 work tasks running, all started less than 2 s ago', async () => {
      const states = await firstWaveRunning(fs, runId, 2);
      const now = Date.now();
      const started = new Map(fs.records(runId).filter((r) => r.event === 'start').map((r) => [`${r.taskId} ${r.tryNumber}`, r.at]));
      const young = states.filter((r) => r.state === 'running').every((r) => now - (started.get(`${r.task_id} ${r.try_number}`) ?? now) < MID_TASK_MS);
      return young ? states : undefined;
    });
    const byWorker = new Map<string, Array<{ taskId: string; afterTry: number }>>();
    for (const r of rows) {
      if (r.state !== 'running' || !r.worker_name) continue;
      byWorker.set(r.worker_name, [...(byWorker.get(r.worker_name) ?? []), { taskId: r.task_id, afterTry: r.try_number }]);
    }
    const [name, tasks] = [...byWorker].sort((a, b) => b[1].length - a[1].length)[0]!;
    const victim = fs.workers.get(name)!;
    const at = Date.now();
    // The worker process only: its task processes must die with it (parent-death signal).
    process.kill(victim.pid, 'SIGKILL');
    fs.workers.delete(name);
    return { count: 1, at, affected: tasks, after: async () => void (await fs.startWorker()) };
  },
};

/**
 * Kill -9 of a worker right after the scheduler handed it a task in its report's answer (chain fast
 * path): `join` ends and one `tail_*` goes straight to the worker that ran `join`, unpublished. That
 * worker is killed as soon as the task runs there: supervision must end it as a zombie and retry it.
 */
export const workerKillAfterHandoff: Fault = {
  name: 'worker kill -9 after a hand-off',
  async inject(fs, runId) {
    const victimName = await succeededOn(fs, runId, 'join');
    const tasks = await waitFor(`a tail task running on ${victimName}`, async () => {
      const rows = (await taskStates(fs, runId)).filter((r) => r.state === 'running' && r.worker_name === victimName);
      return rows.some((r) => r.task_id.startsWith('tail_')) ? rows.map((r) => ({ taskId: r.task_id, afterTry: r.try_number })) : undefined;
    });
    const victim = fs.workers.get(victimName)!;
    const at = Date.now();
    process.kill(victim.pid, 'SIGKILL');
    fs.workers.delete(victimName);
    return { count: 1, at, affected: tasks, after: async () => void (await fs.startWorker()) };
  },
};

export const lostMessage: Fault = {
  name: 'lost message',
  async inject(fs, runId) {
    // All four slots busy and two tasks of the wave waiting: their messages sit in the stream.
    const rows = await firstWaveRunning(fs, runId, 4, 1);
    const queued = new Map(rows.filter((r) => r.state === 'queued').map((r) => [r.attempt_token, r.task_id]));
    const nc = await connect({ servers: fs.stack.nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      const stream = 'UPDRAFT_TASKS';
      const info = await jsm.streams.info(stream);
      const removed: string[] = [];
      let at = 0;
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
        const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
        if (!m) continue;
        const task = proto.TaskMessage.decode(m.data);
        const taskId = queued.get(task.attemptToken);
        if (task.key?.runId !== runId || taskId === undefined) continue;
        if (await jsm.streams.deleteMessage(stream, seq, false)) {
          at ||= Date.now();
          removed.push(taskId);
        }
      }
      if (removed.length === 0) throw new Error('lost message: no queued message found to remove');
      // A message the worker fetched just before it was removed still runs: count only those still queued.
      const still = new Set((await taskStates(fs, runId)).filter((r) => r.state === 'queued').map((r) => r.task_id));
      const affected = removed.filter((t) => still.has(t)).map((taskId) => ({ taskId, afterTry: 0 }));
      return { count: affected.length, at, affected };
    } finally {
      await nc.close();
    }
  },
};

export const natsRestart: Fault = {
  name: 'nats-server kill + restart',
  async inject(fs, runId) {
    await firstTaskRunning(fs, runId);
    const at = Date.now();
    await fs.stack.nats.kill();
    await sleep(2000);
    await fs.stack.nats.restart();
    return { count: 1, at, affected: null };
  },
};

export const postgresRestart: Fault = {
  name: 'PostgreSQL kill + restart',
  async inject(fs, runId) {
    await firstTaskRunning(fs, runId);
    const at = Date.now();
    await fs.postgres.kill();
    await sleep(2000);
    await fs.postgres.restart();
    return { count: 1, at, affected: null };
  },
};

export const schedulerRestart: Fault = {
  name: 'scheduler kill -9 + restart',
  async inject(fs, runId) {
    await firstTaskRunning(fs, runId);
    const at = Date.now();
    killHost(fs.scheduler.pid);
    await fs.scheduler.exited;
    await sleep(1000);
    await fs.startScheduler();
    return { count: 1, at, affected: null };
  },
};

/** When `p` logged that it leads, at or after `since` (epoch ms), from its JSON log lines. */
function ledSince(out: string, since: number): number | undefined {
  for (const line of out.split('\n')) {
    if (!line.includes('scheduler is now the leader')) continue;
    try {
      const at = Date.parse((JSON.parse(line) as { time: string }).time);
      if (at >= since) return at;
    } catch {
      // not a JSON line
    }
  }
  return undefined;
}

async function runEnded(fs: FaultStack, runId: string): Promise<boolean> {
  const rows = await fs.query<{ state: string }>("SELECT state FROM dag_run WHERE dag_id = 'fault_matrix' AND run_id = $1", [runId]);
  return rows[0]?.state === 'success' || rows[0]?.state === 'failed';
}

/**
 * Two schedulers (slots a and b): while the run goes on, the leader is killed with -9 every few
 * seconds (SIGSTOP then SIGKILL of its process tree, as a host crash), the standby takes over, and
 * the killed one is started again as the new standby. Takeover: kill -> the standby's log line
 * "scheduler is now the leader".
 */
const FAILOVER_KILLS = 10;

export const schedulerFailover: Fault = {
  name: 'scheduler failover',
  async inject(fs, runId) {
    for (const slot of ['a', 'b'] as const) if (!fs.schedulers.get(slot)) await fs.startScheduler(slot);
    await firstTaskRunning(fs, runId);
    const injection: Injection = { count: 0, at: Date.now(), affected: null, takeoversMs: [], problems: [] };
    let stop = false;
    const loop = (async () => {
      // At most FAILOVER_KILLS kills, then the last leader keeps leading: the run must end within
      // the test's time, and a try whose worker lost its way (the rare zombie) is only recovered by
      // a leader that has watched the heartbeats longer than their timeout.
      while (!stop && injection.count < FAILOVER_KILLS && !(await runEnded(fs, runId))) {
        const leader = fs.leader();
        const standbySlot = leader?.slot === 'a' ? 'b' : 'a';
        const standby = fs.schedulers.get(standbySlot);
        if (!leader || !standby) {
          injection.problems!.push(`no leader and standby to fail over (leader ${leader?.slot ?? 'none'})`);
          return;
        }
        const at = Date.now();
        killHost(leader.process.pid);
        await leader.process.exited;
        injection.count++;
        if (injection.count === 1) injection.at = at;
        try {
          const led = await waitFor(`scheduler ${standbySlot} to take over`, async () => ledSince(standby.output(), at), 30_000);
          injection.takeoversMs!.push(led - at);
        } catch (err) {
          injection.problems!.push((err as Error).message);
          return;
        }
        await fs.startScheduler(leader.slot);
        await sleep(2000 + Math.random() * 2000);
      }
    })();
    injection.after = async () => {
      stop = true;
      await loop;
    };
    return injection;
  },
};

/**
 * Kill -9 of a worker right after the statement that recorded `end`'s success claimed `final` for
 * it (a chain step: `final`'s only upstream is `end`, and `end`'s only downstream is `final`), so
 * `final` never went through a queue. That worker is killed as soon as `final` runs there:
 * supervision must end it as a zombie and retry it elsewhere.
 */
export const workerKillAfterChainClaim: Fault = {
  name: 'worker kill -9 after a chained hand-off',
  async inject(fs, runId) {
    const victimName = await succeededOn(fs, runId, 'end');
    const final = await waitFor(`final running on ${victimName}`, async () =>
      (await taskStates(fs, runId)).find((r) => r.task_id === 'final' && r.state === 'running' && r.worker_name === victimName));
    const victim = fs.workers.get(victimName)!;
    const at = Date.now();
    process.kill(victim.pid, 'SIGKILL');
    fs.workers.delete(victimName);
    // The same statement ended `end` and started `final` (one transaction: one timestamp).
    const [same] = await fs.query<{ one: boolean }>(
      `SELECT f.queued_at = f.started_at AND f.started_at = e.ended_at AS one
       FROM task_instance_try f JOIN task_instance_try e ON e.dag_id = f.dag_id AND e.run_id = f.run_id AND e.task_id = 'end' AND e.state = 'success'
       WHERE f.dag_id = 'fault_matrix' AND f.run_id = $1 AND f.task_id = 'final' AND f.try_number = $2`, [runId, final.try_number]);
    return {
      count: 1, at, affected: [{ taskId: 'final', afterTry: final.try_number }],
      ...(same?.one === true ? {} : { problems: ["'final' was not claimed by the statement that recorded end's success"] }),
      after: async () => void (await fs.startWorker()),
    };
  },
};

/** Faults run only when named (`npm run test:faults -- --only "..."`), not in the default matrix. */
export const EXTRA_FAULTS: Fault[] = [];

export const ALL_FAULTS: Fault[] = [workerKill, workerKillAfterHandoff, workerKillAfterChainClaim, lostMessage, natsRestart, postgresRestart, schedulerRestart, schedulerFailover];
