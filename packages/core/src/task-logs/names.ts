/**
 * Where tries' logs live in NATS JetStream: stream UPDRAFT_LOGS, one subject per try,
 * `updraft.logs.<dag>.<run>.<task>.<map_index>.<try>`. Ids may hold characters that mean something
 * in a subject ('.', '*', '>', spaces are not in the grammar but '.' is), so dag, run and task ids
 * are base64url tokens (A-Z a-z 0-9 - _): every id maps to one token and back.
 */
import { UpdraftError } from '../errors.js';
import { taskLogRelativePath, type TaskLogKey } from '../runs/log-path.js';

export const TASK_LOG_STREAM = 'UPDRAFT_LOGS';
export const TASK_LOG_SUBJECT_PREFIX = 'updraft.logs';

const token = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');

/** `updraft.logs.<dag>.<run>.<task>.<map_index>`: the try-less part (ids checked against their grammar). */
function instancePrefix(key: TaskLogKey): string {
  // The same checks as the log file's path: a valid key has a valid subject.
  taskLogRelativePath(key, 1);
  return `${TASK_LOG_SUBJECT_PREFIX}.${token(key.dagId)}.${token(key.runId)}.${token(key.taskId)}.${key.mapIndex ?? -1}`;
}

/** The subject of one try's log. */
export function taskLogSubject(key: TaskLogKey, tryNumber: number): string {
  if (!Number.isInteger(tryNumber) || tryNumber < 1) {
    throw new UpdraftError('INVALID_ARGUMENT', `task log subject: try number must be an integer >= 1, got ${tryNumber}`);
  }
  return `${instancePrefix(key)}.${tryNumber}`;
}

/** A filter matching every try's subject of one task instance. */
export function taskLogTriesFilter(key: TaskLogKey): string {
  return `${instancePrefix(key)}.*`;
}

/** The try number a subject of `taskLogTriesFilter` names; undefined for another subject. */
export function tryNumberOfSubject(subject: string): number | undefined {
  const m = /\.(\d+)$/.exec(subject);
  return m ? Number(m[1]) : undefined;
}
