import { dag } from '@updraft/sdk';

/**
 * Tasks handing values to each other through XCom: a function's return value is pulled by the
 * next function (typed through the Task object) and rendered into a bash command with
 * `{{ ti.xcom_pull('task') }}`; a pushed key is read with `{ key }`.
 */
export default dag(
  {
    dagId: 'xcom_handoff',
    description: 'Counts rows, then reports the count from a function and from bash.',
    schedule: null,
    tags: ['example', 'xcom'],
    isPausedUponCreation: true, // examples load paused, as Airflow's do
  },
  (d) => {
    const count = d.fn('count_rows', async (ctx) => {
      const rows = [{ id: 1, value: 10 }, { id: 2, value: 20 }, { id: 3, value: 30 }];
      await ctx.xcom.push('source', { table: 'events', ds: ctx.ds });
      return { rows: rows.length, total: rows.reduce((sum, r) => sum + r.value, 0) };
    });
    const summarize = d.fn('summarize', async (ctx) => {
      const counted = await ctx.xcom.pull(count);
      const source = await ctx.xcom.pull<{ table: string }>('count_rows', { key: 'source' });
      ctx.log(`table ${source?.table}: ${counted?.rows} rows, total ${counted?.total}`);
      return `${counted?.rows} rows in ${source?.table}`;
    });
    const report = d.bash('report', {
      command: `echo "summary: {{ ti.xcom_pull('summarize') }}; total {{ ti.xcom_pull('count_rows').total }}"`,
    });
    count.then(summarize).then(report);
  },
);
