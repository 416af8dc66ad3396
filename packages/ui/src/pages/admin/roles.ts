// Which roles may open which Admin page (the webserver's permission matrix, docs/security.md:
// Viewer < User < Op < Admin). Pages a role could not use are not offered; the API refuses anyway.
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client.js';

export type Role = 'Viewer' | 'User' | 'Op' | 'Admin';
const RANK: Record<Role, number> = { Viewer: 0, User: 1, Op: 2, Admin: 3 };

export const ADMIN_PAGES = [
  { to: '/admin/connections', label: 'Connections', minRole: 'Op' },
  { to: '/admin/variables', label: 'Variables', minRole: 'Op' },
  { to: '/admin/pools', label: 'Pools', minRole: 'Viewer' },
  { to: '/admin/users', label: 'Users', minRole: 'Admin' },
  { to: '/admin/event-log', label: 'Event log', minRole: 'Viewer' },
] as const;

/** The logged-in user's role, once known. */
export function useRole(): Role | undefined {
  const me = useQuery({ queryKey: ['me'], queryFn: () => ok(api.GET('/api/v1/auth/me')), staleTime: 60_000 });
  return me.data?.role as Role | undefined;
}

export function roleAtLeast(role: Role | undefined, min: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[min];
}
