/**
 * Support for the engine integration tests: serialized DAGs written straight into the tables the
 * DAG processor fills, a recording QueuePublisher (the test double of the publisher port; the NATS
 * adapter has its own tests), and a tiny in-test "worker" that claims and reports.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { taskMessageId, type AttemptRef, type QueuePublisher, type TaskMessage } from '@updraft/core';
import { SERIALIZED_DAG_SCHEMA_VERSION, type SerializedDag, type SerializedTask } from '@updraft/sdk';
import type { AttemptOutcome, ClaimedTask, SchedulerEngine } from '@updraft/scheduler';

export type TaskSpecInput = Partial<SerializedTask> & { taskId: string; upstream?: string[] };

export function makeDag(d: Partial<Omit<SerializedDag, 'tasks'>> & { dagId: string; tasks: TaskSpecInput[] }): SerializedDag {
  const tasks: SerializedTask[] = d.tasks.map((t) => ({
    kind: 'bash', bashCommand: `echo ${t.taskId}`, upstream: [], downstream: [], retries: 0, retryDelayMs: 0,
    retryExponentialBackoff: false, maxRetryDelayMs: null, executionTimeoutMs: null, queue: 'default', pool: 'default_pool',
    priorityWeight: 1, triggerRule: 'all_success', owner: 'updraft', umask: null, runAsUser: null, runAsGroup: null, doc: null,
    ...t,
  }));
  for (const t of tasks) {
    for (const u of t.upstream) tasks.find((x) => x.taskId === u)!.downstream.push(t.taskId);
  }
  const source = `// DAG ${d.dagId}\n`;
  return {
    schemaVersion: SERIALIZED_DAG_SCHEMA_VERSION, fileloc: `${d.dagId}.ts`,
    fileHash: createHash('sha256').update(source).digest('hex'), schedule: null, timezone: 'UTC',
    startDate: null, endDate: null, catchup: false, maxActiveRuns: 16, tags: [], owner: 'updraft', description: null,
    params: {}, isPausedUponCreation: false, ...d, tasks,
  };
}

/** Writes the rows the DAG processor would write for `dag` (dag, dag_code, serialized_dag). */
export async function storeDag(db: pg.Pool, dag: SerializedDag, opts: { paused?: boolean } = {}): Promise<string> {
  const data = JSON.stringify(dag);
  const dagHash = createHash('sha256').update(data).digest('hex');
  await db.query(
    `INSERT INTO dag (dag_id, fileloc, is_paused, schedule, timezone, max_active_runs)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (dag_id) DO UPDATE SET is_paused = EXCLUDED.is_paused, schedule = EXCLUDED.schedule,
       timezone = EXCLUDED.timezone, max_active_runs = EXCLUDED.max_active_runs`,
    [dag.dagId, dag.fileloc, opts.paused ?? false, dag.schedule, dag.timezone, dag.maxActiveRuns],
  );
  await db.query(
    `INSERT INTO dag_code (file_hash, fileloc, source) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [dag.fileHash, dag.fileloc, Buffer.from(`// DAG ${dag.dagId}\n`)],
  );
  await db.query(
    `INSERT INTO serialized_dag (dag_id, fileloc, file_hash, schema_version, dag_hash, data, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, now())
     ON CONFLICT (dag_id) DO UPDATE SET data = EXCLUDED.data, dag_hash = EXCLUDED.dag_hash, updated_at = now()`,
    [dag.dagId, dag.fileloc, dag.fileHash, dag.schemaVersion, dagHash, data],
  );
  return dagHash;
}

/** Records every published message; waitFor(n) resolves once n messages were published in all. */
export class RecordingPublisher implements QueuePublisher {
  readonly messages: TaskMessage[] = [];
  /** Number of coming publishes that fail (to exercise the publish repair). */
  failNext = 0;
  /** When true, publishes "succeed" without recording (a message lost by a crash). */
  drop = false;
  private waiters: Array<{ n: number; resolve: () => void }> = [];

  async publish(message: TaskMessage): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('broker unavailable (test)');
    }
    if (this.drop) return;
    this.messages.push(message);
    this.waiters = this.waiters.filter((w) => {
      if (this.messages.length < w.n) return true;
      w.resolve();
      return false;
    });
  }

  waitFor(n: number): Promise<void> {
    if (this.messages.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  ids(): string[] {
    return this.messages.map(taskMessageId);
  }

  forTask(taskId: string, runId?: string): TaskMessage[] {
    return this.messages.filter((m) => m.key!.taskId === taskId && (runId === undefined || m.key!.runId === runId));
  }

  async depths(): Promise<Record<string, number>> {
    return {};
  }

  async close(): Promise<void> {}
}

/** The attempt a message names. */
export const attemptOf = (m: TaskMessage): AttemptRef => ({ ...m.key, tryNumber: m.tryNumber, attemptToken: m.attemptToken });

/** Claims the attempt of a message as `workerId`. */
export function claim(engine: SchedulerEngine, m: TaskMessage, workerId = 'w1'): Promise<ClaimedTask> {
  return engine.claimTask({ workerId, attempt: attemptOf(m), hostname: 'test-host' });
}

/** Reports the attempt of a message; resolves with the task instance's new state. */
export async function report(
  engine: SchedulerEngine, m: TaskMessage, success: boolean, extra: Partial<AttemptOutcome> = {},
): Promise<{ state: string }> {
  const { state } = await engine.reportTaskResult({
    workerId: 'w1', attempt: attemptOf(m), timedOut: false,
    outcome: { success, exitCode: success ? 0 : 1, error: success ? null : 'boom', durationMs: 5, returnValueJson: null, ...extra },
  });
  return { state };
}

/** Claims and reports a message in one go. */
export async function run(engine: SchedulerEngine, m: TaskMessage, success = true): Promise<string> {
  await claim(engine, m);
  return (await report(engine, m, success)).state;
}

export async function tiStates(db: pg.Pool, runId: string): Promise<Record<string, string>> {
  const { rows } = await db.query<{ task_id: string; state: string | null }>(
    'SELECT task_id, state FROM task_instance WHERE run_id = $1 ORDER BY task_id', [runId]);
  return Object.fromEntries(rows.map((r) => [r.task_id, r.state ?? 'none']));
}

export async function runState(db: pg.Pool, dagId: string, runId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ state: string }>('SELECT state FROM dag_run WHERE dag_id = $1 AND run_id = $2', [dagId, runId]);
  return rows[0]?.state;
}

export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };
