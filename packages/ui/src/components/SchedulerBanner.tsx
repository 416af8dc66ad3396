// Says so on every page when no scheduler runs (Airflow's "The scheduler does not appear to be
// running"): runs stay queued and tasks wait in the meantime, which otherwise looks like a hang.
import { Alert, Text, Tooltip } from '@mantine/core';
import { formatDate, relativeTime } from './time.js';
import { useHealth } from './health.js';

export function SchedulerBanner() {
  const health = useHealth();
  const scheduler = health.data?.scheduler;
  if (scheduler?.status !== 'unhealthy') return null;
  const last = scheduler.latest_scheduler_heartbeat;
  return (
    <Alert color="orange" title="The scheduler does not appear to be running" mb="md" role="alert">
      <Text size="sm">
        {last ? (
          <>
            Its last heartbeat was{' '}
            <Tooltip label={formatDate(last)}>
              <Text span fw={600}>{relativeTime(last)}</Text>
            </Tooltip>
            .{' '}
          </>
        ) : (
          'No scheduler has run against this database yet. '
        )}
        New runs are not created and tasks are not queued until one runs (<Text span ff="monospace">updraft scheduler</Text>, or{' '}
        <Text span ff="monospace">npm start</Text> on one machine).
      </Text>
    </Alert>
  );
}
