// The webserver's /api/v1/health, read by the header's badge and the scheduler banner (one query).
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client.js';

export function useHealth() {
  return useQuery({ queryKey: ['health'], queryFn: () => ok(api.GET('/api/v1/health')), refetchInterval: 30_000 });
}
