// The instances of a mapped task in a run (one per map index, as Airflow's "Mapped Tasks" list):
// map index, state, start, duration and tries; a row opens that instance (?map_index=N).
import { Alert, Skeleton, Table, Text } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import type { Ok } from '../../api/client.js';
import { StateBadge } from '../../components/StateBadge.js';
import { formatDate, formatDuration } from '../../components/time.js';
import classes from './MappedInstances.module.css';

/** What a row shows of an instance (from the run's task instance list). */
export type MappedInstance = Pick<
  Ok<'/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances'>['task_instances'][number],
  'map_index' | 'rendered_map_index' | 'state' | 'start_date' | 'duration' | 'try_number'
>;

interface Props {
  /** The task's instances in the run (the list route, filtered on the task). */
  instances: readonly MappedInstance[] | undefined;
  error: Error | null;
  selected: number | undefined;
}

export function MappedInstances({ instances, error, selected }: Props) {
  const navigate = useNavigate();
  if (error) return <Alert color="red" title="Could not load the mapped instances">{error.message}</Alert>;
  if (!instances) return <Skeleton height={120} />;
  const rows = [...instances].filter((t) => t.map_index >= 0).sort((a, b) => a.map_index - b.map_index);
  const open = (mapIndex: number) => void navigate({ to: '.', search: (s) => ({ ...s, map_index: mapIndex, try: undefined, line: undefined }) });
  return (
    <div>
      <Text size="sm" fw={600} mb={4}>
        Mapped instances ({rows.length})
      </Text>
      <div className={classes.scroll}>
        <Table highlightOnHover verticalSpacing={4} fz="sm" data-testid="mapped-instances" stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Map index</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Duration</Table.Th>
              <Table.Th>Tries</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((t) => (
              <Table.Tr
                key={t.map_index}
                className={classes.row}
                data-map-index={t.map_index}
                data-state={t.state ?? 'none'}
                data-selected={t.map_index === selected || undefined}
                aria-selected={t.map_index === selected}
                tabIndex={0}
                onClick={() => open(t.map_index)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') open(t.map_index);
                }}
              >
                <Table.Td className={classes.index}>{t.rendered_map_index ?? t.map_index}</Table.Td>
                <Table.Td><StateBadge state={t.state} /></Table.Td>
                <Table.Td>{formatDate(t.start_date)}</Table.Td>
                <Table.Td>{formatDuration(t.duration)}</Table.Td>
                <Table.Td data-field="tries">{t.try_number}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </div>
  );
}
