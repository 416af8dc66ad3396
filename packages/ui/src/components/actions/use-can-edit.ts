// Whether the logged-in user may change runs and task instances (every role but Viewer). The
// webserver checks again; this only hides controls a Viewer could not use.
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client.js';

export function useCanEdit(): boolean {
  const me = useQuery({ queryKey: ['me'], queryFn: () => ok(api.GET('/api/v1/auth/me')), staleTime: 60_000 });
  return me.data !== undefined && me.data.role !== 'Viewer';
}
