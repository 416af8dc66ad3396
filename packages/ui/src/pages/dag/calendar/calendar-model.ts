/**
 * The calendar's layout: a year as columns of weeks (Monday first) by seven weekdays, as GitHub's
 * and Airflow's calendars draw it, each day with its runs' states or planned. Dates are the DAG's
 * days (YYYY-MM-DD strings), so no time zone arithmetic happens here.
 */
export interface CalendarCell {
  date: string;
  /** 0 = Monday ... 6 = Sunday. */
  weekday: number;
  /** Column (week of the year, 0-based). */
  week: number;
  states: Record<string, number>;
  planned: boolean;
}

/** What a day's square shows: the most pressing state among its runs, or planned, or nothing. */
export type DayKind = 'failed' | 'running' | 'queued' | 'success' | 'planned' | 'empty';

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function dayKind(c: Pick<CalendarCell, 'states' | 'planned'>): DayKind {
  const s = c.states;
  if ((s.failed ?? 0) > 0) return 'failed';
  if ((s.running ?? 0) > 0) return 'running';
  if ((s.queued ?? 0) > 0) return 'queued';
  if ((s.success ?? 0) > 0) return 'success';
  return c.planned ? 'planned' : 'empty';
}

/** Every day of `year`, placed in its week column. */
export function yearCells(year: number, days: ReadonlyArray<{ date: string; states: Record<string, number> }>, planned: readonly string[]): CalendarCell[] {
  const byDate = new Map(days.map((d) => [d.date, d.states]));
  const plannedSet = new Set(planned);
  const jan1 = Date.UTC(year, 0, 1);
  const firstWeekday = (new Date(jan1).getUTCDay() + 6) % 7;
  const out: CalendarCell[] = [];
  for (let t = jan1, i = 0; new Date(t).getUTCFullYear() === year; t += 86_400_000, i++) {
    const d = new Date(t);
    const date = `${year}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    out.push({
      date, weekday: (d.getUTCDay() + 6) % 7, week: Math.floor((i + firstWeekday) / 7),
      states: byDate.get(date) ?? {}, planned: plannedSet.has(date),
    });
  }
  return out;
}

/** "2 success, 1 failed" (most first), or what else the day is. */
export function describeDay(c: Pick<CalendarCell, 'states' | 'planned'>): string {
  const parts = Object.entries(c.states).sort((a, b) => b[1] - a[1]).map(([state, n]) => `${n} ${state.replace(/_/g, ' ')}`);
  if (c.planned) parts.push('planned');
  return parts.length > 0 ? parts.join(', ') : 'no runs';
}
