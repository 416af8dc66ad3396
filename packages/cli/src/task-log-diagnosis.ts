/**
 * What `updraft tasks logs` says when there is no log file here to print: the metadata database
 * tells which of these is the case (each a plain sentence, with the command that shows more):
 * no such DAG, run, task or try; the task has not run yet; the try failed before it started (with
 * the reason); or the log lives on the host of the worker that ran the try.
 */
import { dagRunsSql, dagsSql, taskInstancePagesSql, taskInstancesSql, type Queryable } from '@updraft/core';

export interface LogKey {
  dagId: string;
  runId: string;
  taskId: string;
}

/** Why there is no log of `key` (try `tryNumber`, default the latest) in `logFolder`. */
export async function explainMissingLog(db: Queryable, key: LogKey, tryNumber: number | undefined, logFolder: string): Promise<string> {
  const { dagId, runId, taskId } = key;
  const run = await dagRunsSql.findDagRun(db, dagId, runId);
  if (run === null) {
    if ((await dagsSql.currentDag(db, dagId)) === null) return `no DAG '${dagId}' (see \`updraft dags list\`)`;
    return `DAG '${dagId}' has no run '${runId}' (see \`updraft dags list-runs ${dagId}\`)`;
  }
  const instances = await taskInstancesSql.listRunTaskInstances(db, dagId, runId);
  const instance = instances.find((t) => t.taskId === taskId);
  if (instance === undefined) {
    const ids = [...new Set(instances.map((t) => t.taskId))].sort().join(', ');
    return `run '${runId}' of DAG '${dagId}' has no task '${taskId}' (its tasks: ${ids})`;
  }
  const tries = await taskInstancePagesSql.listTaskTries(db, { dagId, runId, taskId, mapIndex: instance.mapIndex });
  if (tries.length === 0) {
    return `task '${taskId}' of run '${runId}' has not run yet (state ${instance.state}): there is no log`;
  }
  const t = tryNumber === undefined ? tries.at(-1)! : tries.find((x) => x.tryNumber === tryNumber);
  if (t === undefined) {
    return `task '${taskId}' of run '${runId}' has no try ${tryNumber} (its tries: ${tries.map((x) => x.tryNumber).join(', ')})`;
  }
  const which = `try ${t.tryNumber} of task '${taskId}' (run '${runId}')`;
  if (t.startedAt === null) {
    if (t.error) return `${which} failed before it started, so it has no log: ${t.error}`;
    return `${which} has not started yet (state ${t.state ?? 'none'}): there is no log yet`;
  }
  if (t.operator === 'empty' && t.worker === null && t.endedAt !== null) {
    return `${which} has no log: the scheduler decided it itself (an empty task, a trigger or latest-only task, a deferred sensor), no worker ran it; it ended ${t.state ?? 'none'}` +
      (t.error ? `: ${t.error}` : '');
  }
  const host = t.hostname ?? 'an unknown host';
  const worker = t.worker ? ` (worker ${t.worker})` : '';
  return `the log of ${which} is on ${host}${worker}, in its logging.base_log_folder` +
    `${t.logPath ? ` at ${t.logPath}` : ''}; it is not in ${logFolder} on this host` +
    (t.error ? `. The try ended: ${t.error}` : '');
}
