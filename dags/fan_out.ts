import { dag } from '@updraft/sdk';

/** One task fanning out to two that run in parallel. */
export default dag(
  {
    dagId: 'fan_out',
    description: 'print_date, then sleep and ls in parallel.',
    schedule: '@daily',
    startDate: '2024-01-01',
    tags: ['example'],
    isPausedUponCreation: true, // examples load paused, as Airflow's do
  },
  (d) => {
    d.bash('print_date', { command: 'date' }).then([
      d.bash('sleep', { command: 'sleep 5' }),
      d.bash('ls_tmp', { command: 'ls /tmp' }),
    ]);
  },
);
