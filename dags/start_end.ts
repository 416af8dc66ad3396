import { chain, dag } from '@updraft/sdk';

/**
 * Empty start and end tasks around two parallel bash tasks. `end` depends on its past: an hour's
 * run finishes only after the previous hour's did (Airflow's depends_on_past).
 */
export default dag(
  {
    dagId: 'start_end',
    description: 'start -> [ls1, ls2] -> end',
    schedule: '@hourly',
    startDate: '2024-01-01',
    tags: ['example'],
    isPausedUponCreation: true, // examples load paused, as Airflow's do
  },
  (d) => {
    chain(d.empty('start'), [d.bash('ls1', { command: 'ls /' }), d.bash('ls2', { command: 'ls /tmp' })], d.empty('end', { dependsOnPast: true }));
  },
);
