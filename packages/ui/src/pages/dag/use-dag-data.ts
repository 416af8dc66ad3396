// The queries of the DAG page, shared by its tabs (one cache entry each, refreshed by live events).
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client.js';

export const GRID_RUNS = 25;

export function useDag(dagId: string) {
  return useQuery({
    queryKey: ['dag', dagId, 'details'],
    queryFn: () => ok(api.GET('/api/v1/dags/{dag_id}/details', { params: { path: { dag_id: dagId } } })),
  });
}

export function useDagTasks(dagId: string) {
  return useQuery({
    queryKey: ['dag', dagId, 'tasks'],
    queryFn: () => ok(api.GET('/api/v1/dags/{dag_id}/tasks', { params: { path: { dag_id: dagId } } })),
    staleTime: 60_000,
  });
}

export function useGrid(dagId: string) {
  return useQuery({
    queryKey: ['dag', dagId, 'grid'],
    queryFn: () => ok(api.GET('/ui/dags/{dag_id}/grid', { params: { path: { dag_id: dagId }, query: { limit: GRID_RUNS } } })),
  });
}
