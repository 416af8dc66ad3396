import { dag, type MappedTaskContext } from '@updraft/sdk';

/**
 * One task per file, decided at run time: `list_files` returns the day's files, `count_lines` is
 * mapped over them (one instance per file, map_index 0..n-1, each with its own tries and log),
 * `report` reads all the counts in map-index order. A bash task is mapped over a literal list.
 */
export default dag(
  {
    dagId: 'mapped_files',
    description: 'Counts the lines of each file of the day, one task instance per file.',
    schedule: null,
    tags: ['example', 'mapping'],
    isPausedUponCreation: true, // examples load paused, as Airflow's do
    defaultArgs: { retries: 1, retryDelay: '5s' },
  },
  (d) => {
    const files = d.fn('list_files', (ctx) => [`events-${ctx.ds}.csv`, `users-${ctx.ds}.csv`, `orders-${ctx.ds}.csv`]);
    const counts = d.fn('count_lines', (ctx: MappedTaskContext<string>) => {
      ctx.log(`counting ${ctx.item} (instance ${ctx.mapIndex})`);
      return { file: ctx.item, lines: ctx.item.length * 10 };
    }, { maxActiveTisPerDagrun: 2 }).expand(files); // at most two files counted at once in a run
    const report = d.fn('report', async (ctx) => {
      const all = (await ctx.xcom.pull(counts)) ?? [];
      return all.map((c) => `${c.file}: ${c.lines}`).join(', ');
    });
    counts.then(report);
    d.bash('notify', { command: 'echo "notifying {{ item }} about {{ ds }}"' }).expand(['ops', 'analytics']).after(report);
  },
);
