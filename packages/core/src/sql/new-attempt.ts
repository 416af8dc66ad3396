/**
 * The columns a new attempt of a task instance sets (`ti`): the next try number, a fresh attempt
 * token, and every column of the previous try reset. One list for each statement that starts an
 * attempt (queueing in admission.ts and task-instances.ts, the chain claim in chain-claim.ts), so
 * a column added to the task instance is reset by all of them.
 */
export interface NewAttemptValues {
  /** When it was queued (an SQL expression). */
  queuedAt: string;
  /** Set when the attempt starts running in the same statement (the chain claim); default NULL. */
  startedAt?: string;
  workerId?: string;
  hostname?: string;
}

export function newAttemptColumns(v: NewAttemptValues): string {
  return `
    try_number = ti.try_number + 1, attempt_token = gen_random_uuid(), queued_at = ${v.queuedAt},
    next_retry_at = NULL, started_at = ${v.startedAt ?? 'NULL'}, ended_at = NULL, duration_ms = NULL, worker_id = ${v.workerId ?? 'NULL'},
    hostname = ${v.hostname ?? 'NULL'}, pid = NULL, exit_code = NULL, error = NULL, wait_reason = NULL, updated_at = now()`;
}
