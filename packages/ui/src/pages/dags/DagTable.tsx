// One row per DAG: id, description and tags; owner; schedule with its time zone; next run;
// the last runs' states; pause switch and trigger button.
import { Alert, Badge, Group, Skeleton, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getJson } from '../../api/http.js';
import type { Dag, DagRun } from '../../api/types.js';
import { AnchorLink } from '../../components/AnchorLink.js';
import { PauseSwitch, TriggerButton } from '../../components/DagActions.js';
import { RunStrip } from '../../components/RunStrip.js';
import { formatDate, relativeTime } from '../../components/time.js';
import classes from './DagTable.module.css';

export const RECENT_RUNS = 14;

interface RecentRuns {
  dags: { dag_id: string; dag_runs: DagRun[] }[];
}

function scheduleText(dag: Dag): { main: string; detail?: string } {
  const s = dag.schedule_interval;
  if (!s) return { main: 'None', detail: 'manual runs only' };
  const expr = s.__type === 'CronExpression' ? s.value : undefined;
  return { main: dag.timetable_description ?? expr ?? s.__type, ...(expr && expr !== dag.timetable_description ? { detail: expr } : {}) };
}

export function DagTable(props: { dags: Dag[] | undefined; error: Error | null; loading: boolean; onTagClick(tag: string): void }) {
  const ids = props.dags?.map((d) => d.dag_id) ?? [];
  const recent = useQuery({
    queryKey: ['recentRuns', ids],
    queryFn: () =>
      getJson<RecentRuns>(`/ui/dags/recent_runs?limit=${RECENT_RUNS}&${ids.map((id) => `dag_ids=${encodeURIComponent(id)}`).join('&')}`),
    enabled: ids.length > 0,
  });
  const runsOf = new Map(recent.data?.dags.map((d) => [d.dag_id, d.dag_runs]));

  if (props.error) return <Alert color="red" title="Could not load the DAGs">{props.error.message}</Alert>;
  if (props.loading) return <Skeleton height={240} />;
  if (!props.dags || props.dags.length === 0) {
    return (
      <Text c="dimmed" ta="center" py="xl">
        No DAG matches these filters.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table verticalSpacing="sm" highlightOnHover className={classes.table}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>DAG</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th>Schedule</Table.Th>
            <Table.Th>Next run</Table.Th>
            <Table.Th>Recent runs</Table.Th>
            <Table.Th w={110}>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.dags.map((dag) => {
            const schedule = scheduleText(dag);
            return (
              <Table.Tr key={dag.dag_id} data-testid="dag-row" data-dag-id={dag.dag_id} className={dag.is_paused ? classes.paused : undefined}>
                <Table.Td>
                  <Stack gap={4}>
                    <AnchorLink to="/dags/$dagId" params={{ dagId: dag.dag_id }} fw={600} size="sm">
                      {dag.dag_id}
                    </AnchorLink>
                    {dag.description && (
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {dag.description}
                      </Text>
                    )}
                    {dag.tags && dag.tags.length > 0 && (
                      <Group gap={4}>
                        {dag.tags.map((t) => (
                          <Badge key={t.name} size="xs" variant="outline" className={classes.tag} onClick={() => props.onTagClick(t.name)}>
                            {t.name}
                          </Badge>
                        ))}
                      </Group>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{dag.owners?.join(', ')}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{schedule.main}</Text>
                  <Text size="xs" c="dimmed">
                    {[schedule.detail, dag.timezone].filter(Boolean).join(' · ')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {dag.next_dagrun ? (
                    <Tooltip label={formatDate(dag.next_dagrun)}>
                      <Text size="sm">{relativeTime(dag.next_dagrun)}</Text>
                    </Tooltip>
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <RunStrip runs={runsOf.get(dag.dag_id) ?? []} slots={RECENT_RUNS} />
                </Table.Td>
                <Table.Td>
                  <Group gap="sm" justify="flex-end" wrap="nowrap">
                    <PauseSwitch dag={dag} />
                    <TriggerButton dag={dag} />
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
