// The worker monitor's base URL (GET /ui/links: webserver.monitor_url), or null when the webserver
// knows none; read once per page load.
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client.js';

export function useMonitorUrl(): string | null {
  const links = useQuery({ queryKey: ['ui-links'], queryFn: () => ok(api.GET('/ui/links')), staleTime: Infinity });
  return links.data?.monitor_url ?? null;
}
