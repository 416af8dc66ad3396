import { dag } from '@updraft/sdk';

/** One bash task printing a line a second for 12 s: its log is tailed from the master host while it runs. */
export default dag({ dagId: 'netns_tail', description: 'a task whose log is followed from another host' }, (d) => {
  d.bash('tick', { command: 'for i in $(seq 1 12); do echo "tick $i"; sleep 1; done' });
});
