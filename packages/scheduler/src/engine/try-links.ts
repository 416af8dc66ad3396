/**
 * What callbacks and alerts tell about a try beyond the database: the link to it in the web UI
 * (webserver.base_url) and the last lines of its log when this host can read the log folder.
 */
import { open } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

const LOG_TAIL_BYTES = 16 * 1024;
export const LOG_TAIL_LINES = 20;

/** The UI page of a run, or of a task instance's try when `task` is given (it shows that try's log). */
export function uiLink(baseUrl: string, dagId: string, runId: string, task?: { taskId: string; tryNumber: number; mapIndex: number }): string {
  const runUrl = `${baseUrl.replace(/\/+$/, '')}/dags/${encodeURIComponent(dagId)}/runs/${encodeURIComponent(runId)}`;
  if (task === undefined) return runUrl;
  return `${runUrl}/tasks/${encodeURIComponent(task.taskId)}?try=${task.tryNumber}${task.mapIndex >= 0 ? `&map_index=${task.mapIndex}` : ''}`;
}

/** The last lines of a try's log when this host has it (same host or a shared log folder); [] otherwise. */
export async function logTail(logFolder: string | null, logPath: string | null, lines = LOG_TAIL_LINES): Promise<string[]> {
  if (logPath === null || logFolder === null) return [];
  const folder = resolve(logFolder);
  const file = resolve(folder, logPath);
  if (!file.startsWith(folder + sep)) return [];
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, LOG_TAIL_BYTES);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      const all = buffer.toString('utf8').split('\n');
      if (size > length) all.shift(); // a partial first line
      while (all.length > 0 && all.at(-1) === '') all.pop();
      return all.slice(-lines);
    } finally {
      await handle.close();
    }
  } catch {
    return [];
  }
}
