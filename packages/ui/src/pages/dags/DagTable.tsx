// One row per DAG: id, description and tags; owner; schedule with its time zone; next run;
// the last runs' states; pause switch and trigger button.
import { Alert, Badge, Group, Skeleton, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Dag } from '../../api/types.js';
import { AnchorLink } from '../../components/AnchorLink.js';
import { FavoriteStar } from '../../components/favorites.js';
import { AssetProgress, hasAssetProgress } from '../../components/AssetProgress.js';
import { PauseSwitch, TriggerButton } from '../../components/DagActions.js';
import { RunStrip } from '../../components/RunStrip.js';
import { StateBadge } from '../../components/StateBadge.js';
import { describeSchedule } from '../../components/schedule.js';
import { formatDate, relativeTime } from '../../components/time.js';
import { overviewQueryOptions, RECENT_RUNS } from './dag-list-data.js';
import classes from './DagTable.module.css';


export function DagTable(props: { dags: Dag[] | undefined; error: Error | null; loading: boolean; onTagClick(tag: string): void }) {
  const ids = props.dags?.map((d) => d.dag_id) ?? [];
  const overview = useQuery({
    ...overviewQueryOptions(ids),
    enabled: ids.length > 0,
  });
  const overviewOf = new Map(overview.data?.dags.map((d) => [d.dag_id, d]));

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
            <Table.Th>Last run</Table.Th>
            <Table.Th>Next run</Table.Th>
            <Table.Th>Recent runs</Table.Th>
            <Table.Th w={110}>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.dags.map((dag) => {
            const schedule = describeSchedule(dag);
            const o = overviewOf.get(dag.dag_id);
            const nextRun = dag.next_dagrun_create_after ?? dag.next_dagrun;
            return (
              <Table.Tr key={dag.dag_id} data-testid="dag-row" data-dag-id={dag.dag_id} className={dag.is_paused ? classes.paused : undefined}>
                <Table.Td>
                  <Stack gap={4}>
                    <Group gap={4} wrap="nowrap">
                      <FavoriteStar dagId={dag.dag_id} />
                      <AnchorLink to="/dags/$dagId" params={{ dagId: dag.dag_id }} fw={600} size="sm">
                        {dag.dag_id}
                      </AnchorLink>
                    </Group>
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
                  <Text size="sm">{schedule.words}</Text>
                  <Text size="xs" c="dimmed" ff={schedule.expression ? 'monospace' : undefined}>
                    {[schedule.expression, schedule.expression ? o?.timezone : undefined].filter(Boolean).join(' · ')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {o?.dag_runs[0] ? (
                    <Stack gap={2} align="flex-start">
                      <StateBadge state={o.dag_runs[0].state} />
                      <Tooltip label={`logical date ${formatDate(o.dag_runs[0].logical_date)}`}>
                        <Text size="xs" c="dimmed">
                          {relativeTime(o.dag_runs[0].start_date ?? o.dag_runs[0].logical_date)}
                        </Text>
                      </Tooltip>
                    </Stack>
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {hasAssetProgress(dag) ? (
                    <AssetProgress dag={dag} />
                  ) : nextRun && !dag.is_paused ? (
                    <Tooltip label={`starts ${formatDate(nextRun)}; logical date ${formatDate(dag.next_dagrun)}`}>
                      <Text size="sm">{relativeTime(nextRun)}</Text>
                    </Tooltip>
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <RunStrip runs={o?.dag_runs ?? []} slots={RECENT_RUNS} />
                    {o && o.running_runs > 0 && (
                      <Badge size="sm" color="lime" variant="light" title="running runs">
                        {o.running_runs} running
                      </Badge>
                    )}
                    {o && o.queued_runs > 0 && (
                      <Badge size="sm" color="gray" variant="light" title="queued runs">
                        {o.queued_runs} queued
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap="sm" justify="flex-end" wrap="nowrap">
                    <PauseSwitch dag={dag} readOnlyBadge />
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
