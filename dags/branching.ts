import { dag } from '@updraft/sdk';

/**
 * Picks today's path: a full reload on Mondays, an incremental load on other days (a branch), and
 * stops early when there is nothing new (a short-circuit). The join runs after whichever path ran
 * (`none_failed_min_one_success`; with the default `all_success` it would be skipped).
 */
export default dag(
  {
    dagId: 'branching',
    description: 'Branch between a full and an incremental load; skip the rest when nothing is new.',
    schedule: '@daily',
    startDate: '2024-01-01',
    tags: ['example', 'branching'],
    isPausedUponCreation: true, // examples load paused, as Airflow's do
    params: { newRows: 5 },
  },
  (d) => {
    const hasNewRows = d.shortCircuit('has_new_rows', (ctx) => Number(ctx.params.newRows) > 0);
    const choose = d.branch('choose_load', (ctx) => (ctx.logicalDate.getUTCDay() === 1 ? 'full_reload' : 'incremental_load'));
    const full = d.bash('full_reload', { command: 'echo "reloading everything for {{ ds }}"' });
    const incremental = d.bash('incremental_load', { command: 'echo "loading {{ params.newRows }} new rows for {{ ds }}"' });
    const join = d.empty('join', { triggerRule: 'none_failed_min_one_success' });
    const publish = d.bash('publish', { command: 'echo "published {{ ds }}"' });
    hasNewRows.then(choose).then([full, incremental]).then(join).then(publish);
  },
);
