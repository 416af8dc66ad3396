/**
 * Creating a manual DAG run for an end-to-end test: `updraft dags trigger DAG_ID` when the CLI has
 * it; otherwise (while that command is being built) a queued run is inserted with core's
 * insertDagRun, and the scheduler's tick starts it (within about a second).
 */
import type pg from 'pg';
import { getSerializedDag, inferManualDataInterval, insertDagRun, maxTriesOf, timetableParamsOf } from '@updraft/core';
import type { CliResult } from '../harness/index.js';

export interface TriggerOptions {
  conf?: Record<string, unknown>;
  logicalDate?: Date;
}

interface TriggerDeps {
  cli(args: string[]): Promise<CliResult>;
  pool: pg.Pool;
}

let cliHasTrigger: boolean | undefined;

export async function triggerDagRun(deps: TriggerDeps, dagId: string, o: TriggerOptions = {}): Promise<string> {
  if (cliHasTrigger !== false) {
    const args = ['dags', 'trigger', dagId, '--output', 'json'];
    if (o.conf) args.push('--conf', JSON.stringify(o.conf));
    if (o.logicalDate) args.push('--logical-date', o.logicalDate.toISOString());
    const r = await deps.cli(args);
    if (r.code === 0) {
      cliHasTrigger = true;
      return runIdFromOutput(r.stdout);
    }
    if (!/unknown command|unknown option/i.test(r.stderr)) {
      throw new Error(`updraft ${args.join(' ')} failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
    }
    cliHasTrigger = false;
  }
  return insertManualRun(deps.pool, dagId, o);
}

/** The run id in `dags trigger` output: JSON with runId, or a line naming `manual__...`. */
function runIdFromOutput(stdout: string): string {
  try {
    const parsed = JSON.parse(stdout) as { runId?: string };
    if (typeof parsed.runId === 'string') return parsed.runId;
  } catch {
    // not JSON
  }
  const match = /\b(manual__\S+?)(?=[\s,'")]|$)/m.exec(stdout);
  if (!match?.[1]) throw new Error(`cannot find the run id in the output of dags trigger:\n${stdout}`);
  return match[1];
}

async function insertManualRun(pool: pg.Pool, dagId: string, o: TriggerOptions): Promise<string> {
  const dag = await getSerializedDag(pool, dagId);
  if (!dag) throw new Error(`DAG ${dagId} is not in the database`);
  const { rows } = await pool.query<{ dag_hash: string }>('SELECT dag_hash FROM serialized_dag WHERE dag_id = $1', [dagId]);
  const logicalDate = o.logicalDate ?? new Date();
  const info = inferManualDataInterval(timetableParamsOf(dag), logicalDate);
  const runId = `manual__${logicalDate.toISOString()}`;
  const id = await insertDagRun(pool, {
    dagId,
    runId,
    runType: 'manual',
    logicalDate,
    dataIntervalStart: info.dataIntervalStart,
    dataIntervalEnd: info.dataIntervalEnd,
    conf: o.conf ?? {},
    dagHash: rows[0]!.dag_hash,
    tasks: dag.tasks.map((t) => ({
      taskId: t.taskId, operator: t.kind, queue: t.queue, pool: t.pool, priorityWeight: t.priorityWeight, maxTries: maxTriesOf(t),
    })),
  });
  if (id === null) throw new Error(`a run of ${dagId} at ${logicalDate.toISOString()} exists already`);
  return runId;
}
