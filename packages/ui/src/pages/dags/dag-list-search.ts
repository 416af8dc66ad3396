/** The DAG list's URL state: /dags?q=&tags=a&tags=b&paused=active|paused&last_run=failed&page=N. */
export type PausedFilter = 'all' | 'active' | 'paused';

/** States a DAG's latest run may be filtered by. */
export const LAST_RUN_STATES = ['queued', 'running', 'success', 'failed'] as const;
export type LastRunFilter = (typeof LAST_RUN_STATES)[number];

export interface DagListSearch {
  q?: string;
  tags?: string[];
  paused?: PausedFilter;
  /** Only DAGs whose latest run is in this state. */
  last_run?: LastRunFilter;
  page?: number;
}

export const DAG_PAGE_SIZE = 25;

export function parseDagListSearch(raw: Record<string, unknown>): DagListSearch {
  const out: DagListSearch = {};
  if (typeof raw.q === 'string' && raw.q !== '') out.q = raw.q;
  const tags = Array.isArray(raw.tags) ? raw.tags : typeof raw.tags === 'string' ? [raw.tags] : [];
  const clean = tags.filter((t): t is string => typeof t === 'string' && t !== '');
  if (clean.length > 0) out.tags = clean;
  if (raw.paused === 'active' || raw.paused === 'paused') out.paused = raw.paused;
  if (LAST_RUN_STATES.includes(raw.last_run as LastRunFilter)) out.last_run = raw.last_run as LastRunFilter;
  const page = Number(raw.page);
  if (Number.isInteger(page) && page > 1) out.page = page;
  return out;
}
