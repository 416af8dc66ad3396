/** The DAG list's URL state: /dags?q=&tags=a&tags=b&paused=active|paused&page=N. */
export type PausedFilter = 'all' | 'active' | 'paused';

export interface DagListSearch {
  q?: string;
  tags?: string[];
  paused?: PausedFilter;
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
  const page = Number(raw.page);
  if (Number.isInteger(page) && page > 1) out.page = page;
  return out;
}
