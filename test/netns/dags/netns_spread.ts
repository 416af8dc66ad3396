import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { chain, dag } from '@updraft/sdk';

/**
 * Sixteen parallel tasks between a start and an end: bash tasks append `<host> <task> <try>` to
 * `<conf.work_dir>/spread.records`; function tasks return the host they ran on (stored as XCom),
 * which needs the DAG file itself on that host (fetched by hash from the scheduler). Each task
 * lasts 2 s, long enough that one worker cannot take them all before the other pulls some.
 */
export default dag({ dagId: 'netns_spread', description: 'bash and function tasks spread over the worker hosts' }, (d) => {
  const records = '"{{ conf.work_dir }}/spread.records"';
  const middle = [
    ...Array.from({ length: 12 }, (_, i) =>
      d.bash(`bash_${String(i).padStart(2, '0')}`, { command: `echo "$(hostname) {{ task_id }} {{ try_number }}" >> ${records}; sleep 2` }),
    ),
    ...Array.from({ length: 4 }, (_, i) =>
      d.fn(`fn_${i}`, async (ctx) => {
        await sleep(2000);
        return { hostname: hostname(), taskId: ctx.taskId, tryNumber: ctx.tryNumber };
      }),
    ),
  ];
  chain(d.empty('start'), middle, d.bash('end', { command: `echo "$(hostname) {{ task_id }} {{ try_number }}" >> ${records}` }));
});
