import { dag } from '@updraft/sdk';

/**
 * One long task with a retry. It appends `start <host> <try>` to `<conf.work_dir>/long.records`,
 * sleeps 20 s, then appends `end <host> <try>`: a try that was killed has a start and no end.
 */
export default dag({ dagId: 'netns_link_cut', description: 'a long task whose host loses its link' }, (d) => {
  const records = '"{{ conf.work_dir }}/long.records"';
  d.bash('long', {
    retries: 1,
    retryDelay: '1s',
    command: `echo "start $(hostname) {{ try_number }}" >> ${records}; sleep 20; echo "end $(hostname) {{ try_number }}" >> ${records}`,
  });
});
