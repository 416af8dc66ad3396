// Where a try's log is read (shared by the log viewer and the entry's prefetch).

/** How much of the log's end is read first, and each earlier page (about 2,000 lines of 128 bytes). */
export const TAIL_BYTES = 256 * 1024;

export const taskInstancePath = (dagId: string, runId: string, taskId: string) =>
  `/api/v1/dags/${encodeURIComponent(dagId)}/dagRuns/${encodeURIComponent(runId)}/taskInstances/${encodeURIComponent(taskId)}`;

export const taskLogUrl = (dagId: string, runId: string, taskId: string, tryNumber: number) =>
  `${taskInstancePath(dagId, runId, taskId)}/logs/${tryNumber}`;

/** The first read of a log opened at its end. */
export const logTailUrl = (logUrl: string) => `${logUrl}?tail_bytes=${TAIL_BYTES}`;
