/**
 * Typed errors. Every error Updraft raises on purpose is an UpdraftError with a stable `code`
 * a caller can branch on, a message a person can act on, and the underlying `cause` when any.
 */
export type UpdraftErrorCode =
  | 'CONFIG_INVALID'
  | 'DB_ERROR'
  | 'MIGRATION_FAILED'
  | 'DAG_IMPORT_ERROR'
  | 'DAG_INVALID'
  | 'DAG_NOT_FOUND'
  | 'RUN_NOT_FOUND'
  | 'TASK_NOT_FOUND'
  | 'WORKER_NOT_FOUND'
  | 'CONNECTION_NOT_FOUND'
  | 'VARIABLE_NOT_FOUND'
  | 'BACKFILL_NOT_FOUND'
  | 'STALE_ATTEMPT'
  | 'INVALID_ARGUMENT'
  /** What a caller asked to create exists already (a DAG run with that run id or logical date, a user). */
  | 'ALREADY_EXISTS'
  | 'QUEUE_ERROR'
  | 'RPC_ERROR'
  | 'WORKER_ERROR'
  /** Remote storage (S3) refused or could not be reached. */
  | 'STORAGE_ERROR'
  /** A git command on the DAG bundle's repository failed (core.dags_bundle = git:...). */
  | 'GIT_ERROR'
  | 'TIMEOUT';

export class UpdraftError extends Error {
  readonly code: UpdraftErrorCode;
  constructor(code: UpdraftErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UpdraftError';
    this.code = code;
  }
}

export function isUpdraftError(err: unknown, code?: UpdraftErrorCode): err is UpdraftError {
  return err instanceof UpdraftError && (code === undefined || err.code === code);
}
