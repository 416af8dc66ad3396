// The task instances an action would change (a dry run's answer), shown before it is confirmed.
import { Alert, Loader, ScrollArea, Table, Text } from '@mantine/core';
import { StateBadge } from '../StateBadge.js';

export interface AffectedTi {
  task_id: string;
  dag_run_id: string;
  map_index: number;
  state: string | null;
}

export function AffectedList({ items, loading, error, empty }: { items: AffectedTi[] | undefined; loading: boolean; error: Error | null; empty: string }) {
  if (error) return <Alert color="red" title="Could not preview">{error.message}</Alert>;
  if (loading || !items) return <Loader size="sm" aria-label="Loading the preview" />;
  if (items.length === 0) return <Text size="sm" c="dimmed">{empty}</Text>;
  return (
    <ScrollArea.Autosize mah={320}>
      <Table striped withTableBorder fz="sm" data-testid="affected-tis">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Task</Table.Th>
            <Table.Th style={{ whiteSpace: 'nowrap' }}>Map index</Table.Th>
            <Table.Th>Run</Table.Th>
            <Table.Th>State now</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((t) => (
            <Table.Tr key={`${t.dag_run_id}/${t.task_id}/${t.map_index}`} data-testid="affected-ti" data-task={t.task_id} data-map-index={t.map_index} data-run={t.dag_run_id}>
              <Table.Td ff="monospace">{t.task_id}</Table.Td>
              <Table.Td>{t.map_index < 0 ? '–' : t.map_index}</Table.Td>
              <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>{t.dag_run_id}</Table.Td>
              {/* nowrap: the badge would otherwise cut a long state such as "upstream failed" */}
              <Table.Td style={{ whiteSpace: 'nowrap', minWidth: 150 }}>
                <StateBadge state={t.state} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
