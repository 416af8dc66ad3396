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

/** Whether light text reads better than dark text on a #rgb or #rrggbb colour (WCAG relative luminance). */
export function isDarkColor(hex: string): boolean {
  const digits = hex.replace('#', '');
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits;
  const channel = (i: number) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
  // Where white and black text have the same contrast ratio.
  return luminance < 0.179;
}

export function useAppearance(): Appearance {
  const q = useQuery({ queryKey: ['ui-appearance'], queryFn: () => ok(api.GET('/ui/appearance')), staleTime: Infinity });
  const instanceName = q.data?.instance_name ?? null;
  const navbarColor = q.data?.navbar_color ?? null;
  useEffect(() => {
    document.title = instanceName ? `${instanceName} · Updraft` : 'Updraft';
  }, [instanceName]);
  return { instanceName, navbarColor, dark: navbarColor !== null && isDarkColor(navbarColor) };
}
