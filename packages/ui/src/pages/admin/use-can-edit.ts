// Whether the logged-in user may change connections, variables and pools (Op and Admin).
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client.js';

export function useCanEdit(): boolean {
  const me = useQuery({ queryKey: ['me'], queryFn: () => ok(api.GET('/api/v1/auth/me')), staleTime: 60_000 });
  return me.data?.role === 'Admin' || me.data?.role === 'Op';
}
