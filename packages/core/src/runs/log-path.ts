/**
 * Where a try's log lives, relative to the log folder (`logging.base_log_folder`):
 * `dag_id=<d>/run_id=<r>/task_id=<t>/attempt=<n>.log`, with `map_index=<m>/` before the attempt
 * for a mapped task. One builder for the scheduler (ClaimTaskResponse.log_path) and the worker.
 * Every part is checked against the identifier grammar (docs/identifiers.md), which has no '/',
 * no NUL and no id of only dots: the path cannot leave its folder.
 */
import { UpdraftError } from '../errors.js';
import { assertIdentifier } from '../ids.js';

export interface TaskLogKey {
  dagId: string;
  runId: string;
  taskId: string;
  /** -1 (default) for an unmapped task. */
  mapIndex?: number;
}

/** `dag_id=<d>/run_id=<r>/task_id=<t>[/map_index=<m>]`: the folder of a task's try logs. */
export function taskLogFolder(key: TaskLogKey): string {
  const parts = [
    `dag_id=${assertIdentifier('dag id', key.dagId, 'task log path: dag_id')}`,
    `run_id=${assertIdentifier('run id', key.runId, 'task log path: run_id')}`,
    `task_id=${assertIdentifier('task id', key.taskId, 'task log path: task_id')}`,
  ];
  const mapIndex = key.mapIndex ?? -1;
  if (!Number.isInteger(mapIndex) || mapIndex < -1) {
    throw new UpdraftError('INVALID_ARGUMENT', `task log path: map index must be an integer >= -1, got ${mapIndex}`);
  }
  if (mapIndex >= 0) parts.push(`map_index=${mapIndex}`);
  return parts.join('/');
}

/** Relative path of a try's log file. */
export function taskLogRelativePath(key: TaskLogKey, tryNumber: number): string {
  if (!Number.isInteger(tryNumber) || tryNumber < 1) {
    throw new UpdraftError('INVALID_ARGUMENT', `task log path: try number must be an integer >= 1, got ${tryNumber}`);
  }
  return `${taskLogFolder(key)}/attempt=${tryNumber}.log`;
}
