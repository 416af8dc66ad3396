/** The task instance list's URL state: /task-instances?state=failed&state=up_for_retry&dag_id=ID&hours=24&page=N. */
export const TI_STATES = ['failed', 'upstream_failed', 'up_for_retry', 'running', 'queued', 'scheduled', 'deferred', 'up_for_reschedule',
  'success', 'skipped', 'removed', 'none'] as const;
export type TiState = (typeof TI_STATES)[number];

/** Windows of the start date (hours); absent: any time (or not started). */
export const TI_WINDOWS = [1, 24, 168] as const;
export type TiWindow = (typeof TI_WINDOWS)[number];

export interface TaskInstanceSearch {
  state?: TiState[];
  dag_id?: string;
  /** Started in the last this many hours. */
  hours?: TiWindow;
  page?: number;
}

export const TI_PAGE_SIZE = 50;

export function parseTaskInstanceSearch(raw: Record<string, unknown>): TaskInstanceSearch {
  const out: TaskInstanceSearch = {};
  const states = (Array.isArray(raw.state) ? raw.state : [raw.state]).filter((s): s is TiState => TI_STATES.includes(s as TiState));
  if (states.length > 0) out.state = [...new Set(states)];
  if (typeof raw.dag_id === 'string' && raw.dag_id !== '') out.dag_id = raw.dag_id;
  const hours = Number(raw.hours);
  if (TI_WINDOWS.includes(hours as TiWindow)) out.hours = hours as TiWindow;
  const page = Number(raw.page);
  if (Number.isInteger(page) && page > 1) out.page = page;
  return out;
}
