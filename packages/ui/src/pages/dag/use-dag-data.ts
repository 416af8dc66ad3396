// The queries of the DAG page, shared by its tabs (one cache entry each, refreshed by live events).
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client.js';

export const GRID_RUNS = 25;

// The options are shared with the entry's prefetch (same keys).
export const dagQueryOptions = (dagId: string) => ({
  queryKey: ['dag', dagId, 'details'] as const,
  queryFn: () => ok(api.GET('/api/v1/dags/{dag_id}/details', { params: { path: { dag_id: dagId } } })),
});

export const dagTasksQueryOptions = (dagId: string) => ({
  queryKey: ['dag', dagId, 'tasks'] as const,
  queryFn: () => ok(api.GET('/api/v1/dags/{dag_id}/tasks', { params: { path: { dag_id: dagId } } })),
  staleTime: 60_000,
});

export const gridQueryOptions = (dagId: string) => ({
  queryKey: ['dag', dagId, 'grid'] as const,
  queryFn: () => ok(api.GET('/ui/dags/{dag_id}/grid', { params: { path: { dag_id: dagId }, query: { limit: GRID_RUNS } } })),
});

export function useDag(dagId: string) {
  return useQuery(dagQueryOptions(dagId));
}

export function useDagTasks(dagId: string) {
  return useQuery(dagTasksQueryOptions(dagId));
}

export function useGrid(dagId: string) {
  return useQuery(gridQueryOptions(dagId));
}
