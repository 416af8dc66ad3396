// The queries of the DAG page, shared by its tabs (one cache entry each, refreshed by live events).
import { useQuery } from '@tanstack/react-query';
import { getJson } from '../../api/http.js';
import type { Dag } from '../../api/types.js';
import type { GridData, TaskNode } from './grid-model.js';

export const GRID_RUNS = 25;
const dagPath = (dagId: string) => `/api/v1/dags/${encodeURIComponent(dagId)}`;

export function useDag(dagId: string) {
  return useQuery({ queryKey: ['dag', dagId], queryFn: () => getJson<Dag>(dagPath(dagId)) });
}

export function useDagTasks(dagId: string) {
  return useQuery({
    queryKey: ['dag', dagId, 'tasks'],
    queryFn: () => getJson<{ tasks: TaskNode[] }>(`${dagPath(dagId)}/tasks`),
    staleTime: 60_000,
  });
}

export function useGrid(dagId: string) {
  return useQuery({
    queryKey: ['dag', dagId, 'grid'],
    queryFn: () => getJson<GridData>(`/ui/dags/${encodeURIComponent(dagId)}/grid?limit=${GRID_RUNS}`),
  });
}
