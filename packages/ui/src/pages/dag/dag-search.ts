/**
 * The DAG page's URL state besides the selection in the path (/dags/{dag}/runs/{run}/tasks/{task}):
 * ?tab=graph|gantt|calendar|durations|runs|code|details (grid when absent), map_index=N (an instance of a mapped task),
 * try=N, line=N (a log line), state= (runs filter), year=N (the calendar's year; this year when absent).
 */
export const DAG_TABS = ['grid', 'graph', 'gantt', 'calendar', 'durations', 'runs', 'code', 'details'] as const;
export type DagTab = (typeof DAG_TABS)[number];

export interface DagSearch {
  tab?: DagTab;
  /** The instance of a mapped task (0 and up; absent for an unmapped task). */
  map_index?: number;
  try?: number;
  /** A log line to scroll to and mark (1-based). */
  line?: number;
  /** Runs list filter. */
  state?: string;
  /** The calendar's year. */
  year?: number;
}

const positiveInt = (v: unknown): number | undefined => {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
};

export function parseDagSearch(raw: Record<string, unknown>): DagSearch {
  const out: DagSearch = {};
  if (typeof raw.tab === 'string' && (DAG_TABS as readonly string[]).includes(raw.tab) && raw.tab !== 'grid') out.tab = raw.tab as DagTab;
  const mapIndex = Number(raw.map_index);
  if (Number.isInteger(mapIndex) && mapIndex >= 0) out.map_index = mapIndex;
  const tryNumber = positiveInt(raw.try);
  if (tryNumber) out.try = tryNumber;
  const line = positiveInt(raw.line);
  if (line) out.line = line;
  if (typeof raw.state === 'string' && raw.state !== '') out.state = raw.state;
  const year = Number(raw.year);
  if (Number.isInteger(year) && year >= 1970 && year <= 9999) out.year = year;
  return out;
}
