// Where a try's log is read (shared by the log viewer and the entry's prefetch).

/** How much of the log's end is read first, and each earlier page (about 2,000 lines of 128 bytes). */
export const TAIL_BYTES = 256 * 1024;

export const taskInstancePath = (dagId: string, runId: string, taskId: string) =>
  `/api/v1/dags/${encodeURIComponent(dagId)}/dagRuns/${encodeURIComponent(runId)}/taskInstances/${encodeURIComponent(taskId)}`;

/** A try's log; a mapped instance's (map index 0 and up) carries its map_index. */
export const taskLogUrl = (dagId: string, runId: string, taskId: string, tryNumber: number, mapIndex = -1) =>
  `${taskInstancePath(dagId, runId, taskId)}/logs/${tryNumber}${mapIndex >= 0 ? `?map_index=${mapIndex}` : ''}`;

/** The log URL with more query parameters (it may already have its map_index). */
export const logQuery = (logUrl: string, query: string) => `${logUrl}${logUrl.includes('?') ? '&' : '?'}${query}`;

/** The first read of a log opened at its end. */
export const logTailUrl = (logUrl: string) => logQuery(logUrl, `tail_bytes=${TAIL_BYTES}`);
