import { chain, dag } from '@updraft/sdk';

/**
 * Eight 1.5 s bash tasks in a chain: every step needs the scheduler (report, queue the next), so a
 * scheduler that loses its link mid-run is noticed at once. Each task appends
 * `<host> <task> <try>` to `<conf.work_dir>/failover.records`.
 */
export default dag({ dagId: 'netns_failover', description: 'a chain that runs on while its scheduler loses its link' }, (d) => {
  const records = '"{{ conf.work_dir }}/failover.records"';
  chain(...Array.from({ length: 8 }, (_, i) =>
    d.bash(`step_${i + 1}`, { command: `echo "$(hostname) {{ task_id }} {{ try_number }}" >> ${records}; sleep 1.5` })));
});
