import { dag } from '@updraft/sdk';

/**
 * Task groups: `transform` holds a nested `checks` group; ids are `transform.clean`,
 * `transform.checks.count`, ...; the groups are dependency ends (`extract.then(transform)` points
 * to the group's first tasks, `transform.then(load)` waits for its last ones). The checks retry
 * more often than the rest (group default arguments). The UI draws and collapses each group.
 */
export default dag(
  {
    dagId: 'task_groups',
    description: 'Extract, a transform group with nested checks, and a load.',
    schedule: null,
    tags: ['example', 'task-groups'],
    isPausedUponCreation: true, // examples load paused, as Airflow's do
    defaultArgs: { retries: 1, retryDelay: '10s' },
  },
  (d) => {
    const extract = d.fn('extract', () => [3, 1, 2]);
    const transform = d.taskGroup('transform', (g) => {
      const clean = g.fn('clean', async (ctx) => [...((await ctx.xcom.pull(extract)) ?? [])].sort());
      const checks = g.taskGroup('checks', (c) => {
        c.fn('count', async (ctx) => ((await ctx.xcom.pull<number[]>('transform.clean')) ?? []).length);
        c.bash('not_empty', { command: `test "{{ ti.xcom_pull('transform.clean') }}" != "[]"` });
      }, { defaultArgs: { retries: 3 }, tooltip: 'Data quality checks' });
      clean.then(checks);
    }, { tooltip: 'Clean and check the extracted rows' });
    const load = d.bash('load', { command: `echo "loading {{ ti.xcom_pull('transform.checks.count') }} rows"` });
    extract.then(transform).then(load);
  },
);
