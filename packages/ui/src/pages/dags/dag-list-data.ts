// The DAG list's reads (shared by the page and the entry's prefetch, so both use one cache key).
import { api, ok } from '../../api/client.js';
import { DAG_PAGE_SIZE, type DagListSearch } from './dag-list-search.js';

/** Runs shown per DAG in the list. */
export const RECENT_RUNS = 14;

function dagListQuery(search: DagListSearch) {
  return {
    limit: DAG_PAGE_SIZE,
    offset: ((search.page ?? 1) - 1) * DAG_PAGE_SIZE,
    order_by: 'dag_id',
    only_active: true,
    ...(search.q ? { dag_id_pattern: search.q } : {}),
    ...(search.tags?.length ? { tags: search.tags } : {}),
    ...(search.paused ? { paused: search.paused === 'paused' } : {}),
    ...(search.last_run ? { last_dag_run_state: search.last_run } : {}),
  };
}

export function dagListQueryOptions(search: DagListSearch) {
  return {
    queryKey: ['dags', search] as const,
    queryFn: () => ok(api.GET('/api/v1/dags', { params: { query: dagListQuery(search) } })),
  };
}

export function overviewQueryOptions(ids: string[]) {
  return {
    queryKey: ['recentRuns', ids] as const,
    queryFn: () => ok(api.GET('/ui/dags/overview', { params: { query: { dag_ids: ids, limit: RECENT_RUNS } } })),
  };
}
