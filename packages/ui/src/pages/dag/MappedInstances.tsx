// The instances of a mapped task in a run (one per map index, as Airflow's "Mapped Tasks" list):
// map index, state, start, duration and tries, a page at a time; a row opens that instance (?map_index=N).
import { Alert, Group, Pagination, Skeleton, Table, Text } from '@mantine/core';
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
  /** One page of the task's instances in the run (the list route, filtered on the task). */
  instances: readonly MappedInstance[] | undefined;
  /** How many instances the task has in the run (every page). */
  total: number | undefined;
  error: Error | null;
  selected: number | undefined;
  /** The page shown (from 0), its size, and how to show another. */
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
}

export function MappedInstances({ instances, total, error, selected, page, pageSize, onPage }: Props) {
  const navigate = useNavigate();
  if (error) return <Alert color="red" title="Could not load the mapped instances">{error.message}</Alert>;
  if (!instances) return <Skeleton height={120} />;
  const rows = [...instances].filter((t) => t.map_index >= 0).sort((a, b) => a.map_index - b.map_index);
  const open = (mapIndex: number) => void navigate({ to: '.', search: (s) => ({ ...s, map_index: mapIndex, try: undefined, line: undefined }) });
  const count = total ?? rows.length;
  const pages = Math.ceil(count / pageSize);
  return (
    <div>
      <Group justify="space-between" mb={4}>
        <Text size="sm" fw={600}>
          Mapped instances ({count})
        </Text>
        {pages > 1 && (
          <Group gap="xs">
            <Text size="xs" c="dimmed" data-testid="mapped-range">
              {page * pageSize + 1}–{Math.min(count, (page + 1) * pageSize)} of {count}
            </Text>
            <Pagination size="xs" total={pages} value={page + 1} onChange={(p) => onPage(p - 1)} data-testid="mapped-pages" />
          </Group>
        )}
      </Group>
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
