// The instance's name and header colour (GET /ui/appearance: webserver.instance_name and
// webserver.navbar_color), read once per page load. The browser tab's title carries the name, so
// that tabs of production and staging look different too.
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, ok } from '../api/client.js';

export interface Appearance {
  instanceName: string | null;
  navbarColor: string | null;
  /** The colour is dark: text on it is light. */
  dark: boolean;
}

export function useAppearance(): Appearance {
  const q = useQuery({ queryKey: ['ui-appearance'], queryFn: () => ok(api.GET('/ui/appearance')), staleTime: Infinity });
  const instanceName = q.data?.instance_name ?? null;
  const navbarColor = q.data?.navbar_color ?? null;
  useEffect(() => {
    document.title = instanceName ? `${instanceName} · Updraft` : 'Updraft';
  }, [instanceName]);
  return { instanceName, navbarColor, dark: q.data?.navbar_dark ?? false };
}
