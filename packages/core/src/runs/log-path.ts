/**
 * Where a try's log lives, relative to the log folder (`logging.base_log_folder`):
 * `dag_id=<d>/run_id=<r>/task_id=<t>/attempt=<n>.log`, and for a mapped task's instance
 * `.../task_id=<t>/map_index=<m>.attempt=<n>.log`: the instances of a mapped task share their
 * task's folder (a folder per instance cost a mkdir per try, and creating a file or a folder is
 * the dearest call a short task makes on an ext4 disk). One builder for the scheduler
 * (ClaimTaskResponse.log_path) and the worker.
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

/** `dag_id=<d>/run_id=<r>/task_id=<t>`: the folder of a task's try logs (of all its map indexes). */
export function taskLogFolder(key: TaskLogKey): string {
  return [
    `dag_id=${assertIdentifier('dag id', key.dagId, 'task log path: dag_id')}`,
    `run_id=${assertIdentifier('run id', key.runId, 'task log path: run_id')}`,
    `task_id=${assertIdentifier('task id', key.taskId, 'task log path: task_id')}`,
  ].join('/');
}

function mapIndexOf(key: TaskLogKey): number {
  const mapIndex = key.mapIndex ?? -1;
  if (!Number.isInteger(mapIndex) || mapIndex < -1) {
    throw new UpdraftError('INVALID_ARGUMENT', `task log path: map index must be an integer >= -1, got ${mapIndex}`);
  }
  return mapIndex;
}

/** The file name prefix of an instance's try logs in its task's folder: '' or `map_index=<m>.`. */
export function taskLogFilePrefix(key: TaskLogKey): string {
  const mapIndex = mapIndexOf(key);
  return mapIndex >= 0 ? `map_index=${mapIndex}.` : '';
}

/**
 * A try's relative log path without its number: `prefix + <try number> + suffix` (for a statement
 * that learns the try number as it writes it).
 */
export function taskLogPathParts(key: TaskLogKey): { prefix: string; suffix: string } {
  return { prefix: `${taskLogFolder(key)}/${taskLogFilePrefix(key)}attempt=`, suffix: '.log' };
}

/** Relative path of a try's log file. */
export function taskLogRelativePath(key: TaskLogKey, tryNumber: number): string {
  if (!Number.isInteger(tryNumber) || tryNumber < 1) {
    throw new UpdraftError('INVALID_ARGUMENT', `task log path: try number must be an integer >= 1, got ${tryNumber}`);
  }
  const { prefix, suffix } = taskLogPathParts(key);
  return `${prefix}${tryNumber}${suffix}`;
}
