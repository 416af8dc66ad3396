/**
 * The first API reads of the page being opened, started by the entry before the app loads: the
 * DAG list's page and its runs overview; a DAG's details, tasks and grid; a task log's end. Each
 * goes into the query cache under the key its page uses (or, for the log, is taken by the log
 * viewer), so the page finds its data there instead of asking after its first render. A read
 * whose key the page computes differently is only wasted, never wrong.
 */
import type { QueryClient } from '@tanstack/react-query';
import { dagListQueryOptions, overviewQueryOptions } from './pages/dags/dag-list-data.js';
import { parseDagListSearch } from './pages/dags/dag-list-search.js';
import { dagQueryOptions, dagTasksQueryOptions, gridQueryOptions } from './pages/dag/use-dag-data.js';
import { logTailUrl, taskLogUrl } from './pages/dag/log/log-urls.js';
import { uiFetch } from './api/http.js';

const prefetchedLogs = new Map<string, Promise<Response>>();

/** The log read started for this URL, once (a second viewer of it reads again). */
export function takePrefetchedLog(url: string): Promise<Response> | undefined {
  const p = prefetchedLogs.get(url);
  prefetchedLogs.delete(url);
  return p;
}

/** Search params as the router reads them: each value JSON when it parses as such, else the string. */
function searchRecord(search: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    let value: unknown = v;
    try {
      value = JSON.parse(v);
    } catch {
      // a plain string
    }
    const prev = out[k];
    out[k] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

export function prefetchPage(where: { pathname: string; search: string }, client: QueryClient): void {
  let parts: string[];
  try {
    parts = where.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return;
  }
  if (parts[0] !== 'dags') return;
  const search = searchRecord(where.search);
  if (parts.length === 1) {
    const options = dagListQueryOptions(parseDagListSearch(search));
    client.fetchQuery(options).then((page) => {
      const ids = page.dags.map((d) => d.dag_id);
      if (ids.length > 0) void client.prefetchQuery(overviewQueryOptions(ids));
    }, () => undefined);
    return;
  }
  const dagId = parts[1]!;
  void client.prefetchQuery(dagQueryOptions(dagId));
  void client.prefetchQuery(dagTasksQueryOptions(dagId));
  void client.prefetchQuery(gridQueryOptions(dagId));
  const tryNumber = search.try;
  if (parts[2] === 'runs' && parts[4] === 'tasks' && parts.length === 6 && typeof tryNumber === 'number' && Number.isInteger(tryNumber) && tryNumber > 0 && search.line === undefined) {
    const mapIndex = typeof search.map_index === 'number' && Number.isInteger(search.map_index) && search.map_index >= 0 ? search.map_index : -1;
    const url = logTailUrl(taskLogUrl(dagId, parts[3]!, parts[5]!, tryNumber, mapIndex));
    const read = uiFetch(url, { headers: { accept: 'application/json' } });
    read.catch(() => undefined);
    prefetchedLogs.set(url, read);
  }
}
