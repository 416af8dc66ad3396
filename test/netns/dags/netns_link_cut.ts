import { dag } from '@updraft/sdk';

/**
 * One long task with a retry. It appends `start <host> <try>` to `<conf.work_dir>/long.records`,
 * sleeps (try 1: 120 s, the try killed after the link cut, which must not end on its own however
 * slowly the loaded machine gets there; later tries: 20 s), then appends `end <host> <try>`: a try
 * that was killed has a start and no end.
 * The retry waits 8 s, longer than a worker's JetStream pull request lives (5 s): a pull request
 * worker-a sent just before its link was cut is still open on the server for up to that long, and a
 * retry published meanwhile would be handed to it, unseen, and wait out nats.ack_wait (30 s) before
 * worker-b gets it, by which time worker-a's copy has finished.
 */
export default dag({ dagId: 'netns_link_cut', description: 'a long task whose host loses its link' }, (d) => {
  const records = '"{{ conf.work_dir }}/long.records"';
  d.bash('long', {
    retries: 1,
    retryDelay: '8s',
    command: `echo "start $(hostname) {{ try_number }}" >> ${records}; if [ {{ try_number }} = 1 ]; then sleep 120; else sleep 20; fi; echo "end $(hostname) {{ try_number }}" >> ${records}`,
  });
});
