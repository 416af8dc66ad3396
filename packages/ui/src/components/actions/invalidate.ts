import type { QueryClient } from '@tanstack/react-query';

/** After a change to a DAG's runs or task instances: refetch its grid, panels and the run lists. */
export function invalidateDag(qc: QueryClient, dagId: string): Promise<unknown> {
  return Promise.all([
    qc.invalidateQueries({ queryKey: ['dag', dagId] }),
    qc.invalidateQueries({ queryKey: ['dags'] }),
    qc.invalidateQueries({ queryKey: ['recentRuns'] }),
  ]);
}
