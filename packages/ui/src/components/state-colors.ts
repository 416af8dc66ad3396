/** Mantine colours of task-instance and run states (Airflow's palette, readable in both themes). */
const STATE_COLORS: Record<string, string> = {
  success: 'green',
  failed: 'red',
  running: 'lime',
  queued: 'gray',
  scheduled: 'yellow',
  up_for_retry: 'orange',
  up_for_reschedule: 'cyan',
  upstream_failed: 'orange',
  skipped: 'pink',
  removed: 'gray',
  deferred: 'violet',
  none: 'gray',
};

export function stateColor(state: string | null | undefined): string {
  return STATE_COLORS[state ?? 'none'] ?? 'gray';
}

/** The CSS colour of a state (a Mantine variable, so it follows the theme). */
export function stateCssColor(state: string | null | undefined): string {
  const c = stateColor(state);
  return state === 'queued' || state === 'removed' || !state ? `var(--mantine-color-${c}-5)` : `var(--mantine-color-${c}-filled)`;
}
