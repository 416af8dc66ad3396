import { dag } from '@updraft/sdk';

/** The smallest useful DAG: two bash tasks, one after the other, every day at 02:00 UTC. */
export default dag(
  {
    dagId: 'hello_world',
    description: 'Prints hello, then goodbye.',
    schedule: '0 2 * * *',
    timezone: 'UTC',
    startDate: '2024-01-01',
    tags: ['example'],
    isPausedUponCreation: true, // examples load paused, as Airflow's do
  },
  (d) => {
    const hello = d.bash('print_hello', { command: 'echo "hello from {{ dag_id }} for {{ ds }}"' });
    const goodbye = d.bash('print_goodbye', { command: 'echo "goodbye from {{ dag_id }} for {{ ds }}"' });
    hello.then(goodbye);
  },
);
