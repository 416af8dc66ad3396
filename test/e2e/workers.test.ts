/**
 * End to end, two `updraft worker` processes on one queue behind a real nats-server and an
 * `updraft scheduler` process: a DAG of 200 independent tasks is shared between them and no task
 * runs twice; a duplicate JetStream message for an attempt that is already claimed is refused at
 * claim and the task runs once. "Ran" is judged by execution records written on the workers' side:
 * every task appends `<pid of the worker that ran it> <task> <try>` to a file (see the fixture
 * DAGs), and each worker writes a per-try log whose header names it (`worker=<name> ... pid=<pid>`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskMessageId, type TaskMessage } from '@updraft/core';
import { encodeTaskMessage } from '@updraft/core/internal';
import { failedTries, taskInstances, taskTries, waitFor, waitForRunEnd } from './db.js';
import { startStack, type Stack } from './stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-e2e/many_tasks.ts', 'test/fixtures/dags-e2e/slow_task.ts'],
    workers: [
      { name: 'e2e-wa', concurrency: 4 },
      { name: 'e2e-wb', concurrency: 4 },
    ],
  });
});

afterAll(async () => {
  await stack?.stop();
});

interface ExecutionRecord {
  workerPid: number;
  taskId: string;
  tryNumber: number;
}

function readRecords(file: string): ExecutionRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [pid, taskId, tryNumber] = line.split(' ');
      return { workerPid: Number(pid), taskId: taskId!, tryNumber: Number(tryNumber) };
    });
}

/** pid of each worker process by its registered worker_id. */
async function workerPids(): Promise<Map<string, number>> {
  const { rows } = await stack.pool.query<{ worker_id: string; pid: number }>('SELECT worker_id, pid FROM worker');
  return new Map(rows.map((r) => [r.worker_id, r.pid]));
}

const claimRefusals = (): number =>
  stack.workers.reduce((n, w) => n + w.output().split('\n').filter((l) => l.includes('claim refused')).length, 0);

describe('two workers on one queue', () => {
  it('run a DAG of 200 independent tasks: both do work and no task runs twice', async () => {
    const dagId = 'e2e_many_tasks';
    const runId = await stack.trigger(dagId);
    const run = await waitForRunEnd(stack.pool, dagId, runId, { timeoutMs: 180_000, diagnostics: () => stack.diagnostics() });
    expect(run.state, await failedTries(stack.pool, dagId, runId)).toBe('success');

    const expectedIds = Array.from({ length: 200 }, (_, i) => `t${String(i).padStart(3, '0')}`);
    const records = readRecords(join(stack.workDir, 'many_tasks.records'));
    // The workers' own records: 200 executions, each task exactly once, on try 1.
    expect(records).toHaveLength(200);
    expect(records.map((r) => r.taskId).sort()).toEqual(expectedIds);
    expect(records.every((r) => r.tryNumber === 1)).toBe(true);

    // Both workers did work, and every record comes from one of the two worker processes.
    const [wa, wb] = stack.workers;
    const byWorker = new Map<number, number>();
    for (const r of records) byWorker.set(r.workerPid, (byWorker.get(r.workerPid) ?? 0) + 1);
    expect([...byWorker.keys()].sort()).toEqual([wa!.pid, wb!.pid].sort());
    expect(byWorker.get(wa!.pid)).toBeGreaterThan(0);
    expect(byWorker.get(wb!.pid)).toBeGreaterThan(0);

    // The database agrees: one try per task, by the worker whose process wrote the record.
    const tasks = await taskInstances(stack.pool, dagId, runId);
    expect([...tasks.values()].every((t) => t.state === 'success' && t.tryNumber === 1)).toBe(true);
    const tries = await taskTries(stack.pool, dagId, runId);
    expect(tries).toHaveLength(200);
    const pids = await workerPids();
    const recordPid = new Map(records.map((r) => [r.taskId, r.workerPid]));
    const mismatched = tries.filter((t) => pids.get(t.workerId ?? '') !== recordPid.get(t.taskId));
    expect(mismatched).toEqual([]);

    // Each worker's own per-try log: one header (one execution) per task, naming the same worker process.
    const headerProblems: string[] = [];
    for (const t of tries) {
      const log = readFileSync(join(stack.logFolder, t.logPath!), 'utf8');
      const headers = [...log.matchAll(/\[updraft\] worker=\S+ host=\S+ pid=(\d+)/g)].map((m) => Number(m[1]));
      if (headers.length !== 1 || headers[0] !== recordPid.get(t.taskId)) headerProblems.push(`${t.taskId}: ${JSON.stringify(headers)}`);
    }
    expect(headerProblems).toEqual([]);
  });

  it('a duplicate message for an already claimed task is refused at claim and the task runs once', async () => {
    const dagId = 'e2e_slow_task';
    const records = join(stack.workDir, 'slow_task.records');
    const refusalsBefore = claimRefusals();
    const runId = await stack.trigger(dagId);

    // The task is running (claimed, its process started): read its attempt from the database.
    const attempt = await waitFor('slow to be running', async () => {
      const { rows } = await stack.pool.query<{ state: string; try_number: number; attempt_token: string; queue: string; priority_weight: number }>(
        `SELECT state, try_number, attempt_token, queue, priority_weight FROM task_instance
          WHERE dag_id = $1 AND run_id = $2 AND task_id = 'slow'`,
        [dagId, runId],
      );
      return rows[0]?.state === 'running' && readRecords(records).length === 1 ? rows[0] : undefined;
    }, { diagnostics: () => stack.diagnostics() });

    const message: TaskMessage = {
      key: { dagId, runId, taskId: 'slow', mapIndex: -1 },
      tryNumber: attempt.try_number,
      attemptToken: attempt.attempt_token,
      queue: attempt.queue,
      priorityWeight: attempt.priority_weight,
    };
    const nc = await connect({ servers: stack.nats.url });
    try {
      const js = jetstream(nc);
      const subject = `updraft.tasks.${attempt.queue}`;
      const payload = encodeTaskMessage(message);
      // Another Nats-Msg-Id, so JetStream's deduplication does not swallow it: a real second delivery.
      await js.publish(subject, payload, { msgID: `${taskMessageId(message)}/duplicate-while-running` });

      const run = await waitForRunEnd(stack.pool, dagId, runId, { diagnostics: () => stack.diagnostics() });
      expect(run.state).toBe('success');
      // And once more after the task ended.
      await js.publish(subject, payload, { msgID: `${taskMessageId(message)}/duplicate-after-success` });

      // Both duplicates were delivered to a worker, refused at claim and acked (nothing left in the stream).
      await waitFor('both duplicates to be refused at claim', async () => (claimRefusals() - refusalsBefore >= 2 ? true : undefined), {
        diagnostics: () => stack.diagnostics(),
      });
      const jsm = await jetstreamManager(nc);
      await waitFor('the stream to be empty', async () => ((await jsm.streams.info('UPDRAFT_TASKS')).state.messages === 0 ? true : undefined));
    } finally {
      await nc.close();
    }

    expect(claimRefusals() - refusalsBefore).toBe(2);
    expect(readRecords(records)).toEqual([{ workerPid: expect.any(Number), taskId: 'slow', tryNumber: 1 }]);
    const tries = await taskTries(stack.pool, dagId, runId);
    expect(tries.map((t) => [t.taskId, t.tryNumber, t.state])).toEqual([['slow', 1, 'success']]);
  });
});
