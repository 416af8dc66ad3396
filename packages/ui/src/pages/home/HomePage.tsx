// The home page (Airflow's dashboard): the DAGs at a glance (failing, running, active, paused, files
// that failed to import), each a link to the DAG list so filtered; the caller's favourite DAGs; the
// health of the database, the scheduler and the workers; the runs of a recent window and their task
// instances by state; each pool's slots.
// Live: a change anywhere refreshes it (at most every few seconds).
import { Anchor, Card, Group, SegmentedControl, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { api, ok } from '../../api/client.js';
import { useLiveEvents } from '../../api/live-events.js';
import { AnchorLink } from '../../components/AnchorLink.js';
import { useHealth } from '../../components/health.js';
import { useMonitorUrl } from '../../components/monitor-url.js';
import { formatDate, relativeTime } from '../../components/time.js';
import type { DagListSearch } from '../dags/dag-list-search.js';
import { HOME_WINDOWS, windowLabel, type HomeWindow } from './home-search.js';
import { FavoriteDags } from './FavoriteDags.js';
import { PoolSlots } from './PoolSlots.js';
import { StateBar } from './StateBar.js';

const RUN_STATES = ['success', 'failed', 'running', 'queued'] as const;
const TI_STATES = ['success', 'failed', 'upstream_failed', 'up_for_retry', 'running', 'queued', 'scheduled', 'deferred', 'up_for_reschedule', 'skipped', 'removed', 'none'] as const;

function DagStat({ label, value, color, search, testId }: { label: string; value: number | undefined; color?: string; search: DagListSearch; testId: string }) {
  return (
    <AnchorLink to="/dags" search={search} underline="never" c="inherit" data-testid={testId}>
      <Card withBorder padding="md" radius="md">
        <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
          {label}
        </Text>
        <Text fz={28} fw={700} c={value ? color : undefined} data-testid={`${testId}-value`}>
          {value ?? '–'}
        </Text>
      </Card>
    </AnchorLink>
  );
}

type Workers = { online: number; draining: number; slots: number; running: number };

function Health({ workers }: { workers: Workers | undefined }) {
  const health = useHealth();
  const monitor = useMonitorUrl();
  const h = health.data;
  // `good`: undefined while unknown.
  const line = (name: string, status: string | undefined, good: boolean | undefined, extra?: React.ReactNode) => (
    <Group gap="xs" data-testid="home-health" data-part={name}>
      <Text size="sm" c={good === undefined ? 'dimmed' : good ? 'teal' : 'red'} fw={700}>
        ●
      </Text>
      <Text size="sm">
        {name}: <b>{status ?? (health.isError ? 'unreachable' : '…')}</b>
        {extra}
      </Text>
    </Group>
  );
  const beat = h?.scheduler.latest_scheduler_heartbeat;
  return (
    <Stack gap={6}>
      {line('Metadatabase', h?.metadatabase.status, h && h.metadatabase.status === 'healthy')}
      {line('Scheduler', h?.scheduler.status, h && h.scheduler.status === 'healthy', beat ? (
        <>
          {' · heartbeat '}
          <Tooltip label={formatDate(beat)}>
            <Text span>{relativeTime(beat)}</Text>
          </Tooltip>
        </>
      ) : null)}
      {line('Workers', workers && `${workers.online} online`, workers && workers.online > 0, workers && (
        <>
          {workers.draining > 0 ? ` · ${workers.draining} draining` : ''}
          {` · ${workers.running} of ${workers.slots} slots busy`}
          {monitor && (
            <>
              {' · '}
              <Anchor href={monitor} size="sm">monitor</Anchor>
            </>
          )}
        </>
      ))}
    </Stack>
  );
}

export function HomePage() {
  const search = useSearch({ from: '/' });
  const hours: HomeWindow = search.hours ?? 24;
  const navigate = useNavigate({ from: '/' });
  const figures = useQuery({
    queryKey: ['dashboard', 'figures', hours],
    queryFn: () => ok(api.GET('/ui/dashboard', { params: { query: { hours } } })),
    // Workers' slots in use come with their heartbeats, which send no change event.
    refetchInterval: 30_000,
  });
  useLiveEvents(null);
  const d = figures.data;
  const runTypes = d ? Object.entries(d.dag_runs.types).filter(([, n]) => n > 0) : [];
  return (
    <Stack gap="lg">
      <Title order={2}>Home</Title>
      {figures.error && <Text c="red">Could not read the figures: {figures.error.message}</Text>}
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="md">
        <DagStat label="Failing DAGs" value={d?.dags.failing} color="red" search={{ paused: 'active', last_run: 'failed' }} testId="home-failing" />
        <DagStat label="Running DAGs" value={d?.dags.running} color="lime.8" search={{ last_run: 'running' }} testId="home-running" />
        <DagStat label="Active DAGs" value={d?.dags.active} search={{ paused: 'active' }} testId="home-active" />
        <DagStat label="Paused DAGs" value={d?.dags.paused} search={{ paused: 'paused' }} testId="home-paused" />
        <DagStat label="Import errors" value={d?.dags.import_errors} color="orange" search={{}} testId="home-import-errors" />
      </SimpleGrid>
      <Card withBorder radius="md" padding="md">
        <Text fw={700} mb="sm">Favourite DAGs</Text>
        <FavoriteDags />
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Card withBorder radius="md" padding="md">
          <Text fw={700} mb="sm">Health</Text>
          <Health workers={d?.workers} />
        </Card>
        <Card withBorder radius="md" padding="md">
          <Text fw={700} mb="sm">Pool slots</Text>
          <PoolSlots />
        </Card>
      </SimpleGrid>
      <Card withBorder radius="md" padding="md">
        <Group justify="space-between" mb="sm">
          <Text fw={700}>History: runs created in the {windowLabel(hours)}, and those still queued or running</Text>
          <SegmentedControl
            aria-label="History window"
            size="xs"
            value={String(hours)}
            onChange={(v) => void navigate({ search: Number(v) === 24 ? {} : { hours: Number(v) as HomeWindow }, replace: true })}
            data={HOME_WINDOWS.map((h) => ({ value: String(h), label: h === 1 ? '1 hour' : h === 24 ? '24 hours' : '7 days' }))}
          />
        </Group>
        {d && (
          <Stack gap="md">
            <div>
              <Text size="sm" fw={600} mb={4}>
                DAG runs{runTypes.length > 0 ? ` (${runTypes.map(([t, n]) => `${t.replaceAll('_', ' ')} ${n}`).join(' · ')})` : ''}
              </Text>
              <StateBar counts={d.dag_runs.states} order={RUN_STATES} label="home-runs" />
            </div>
            <div>
              <Text size="sm" fw={600} mb={4}>Task instances</Text>
              <StateBar counts={d.task_instances.states} order={TI_STATES} label="home-task-instances" />
              <AnchorLink to="/task-instances" search={{ hours }} size="sm" mt={6} display="inline-block" data-testid="home-browse-task-instances">
                The task instances started in the {windowLabel(hours)} →
              </AnchorLink>
            </div>
          </Stack>
        )}
      </Card>
    </Stack>
  );
}
