/** The home page's URL state: /?hours=N, the window of its run and task instance counts. */
export const HOME_WINDOWS = [1, 24, 168] as const;
export type HomeWindow = (typeof HOME_WINDOWS)[number];

export interface HomeSearch {
  /** Default 24. */
  hours?: HomeWindow;
}

export function parseHomeSearch(raw: Record<string, unknown>): HomeSearch {
  const hours = Number(raw.hours);
  return HOME_WINDOWS.includes(hours as HomeWindow) && hours !== 24 ? { hours: hours as HomeWindow } : {};
}

export const windowLabel = (hours: HomeWindow): string => (hours === 1 ? 'last hour' : hours === 24 ? 'last 24 hours' : 'last 7 days');
