// The event log: who changed what and when, newest first, a page at a time.
import { Code, Group, Pagination, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client.js';
import { LoadError } from './LoadError.js';
import classes from './AdminTable.module.css';

const PAGE_SIZE = 50;

export function EventLogPage() {
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['eventLogs', page],
    queryFn: () => ok(api.GET('/api/v1/eventLogs', { params: { query: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, order_by: '-when' } } })),
    placeholderData: keepPreviousData,
  });
  const total = list.data?.total_entries ?? 0;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={2}>Event log</Title>
        {list.data && (
          <Text c="dimmed" size="sm">
            {total} {total === 1 ? 'event' : 'events'}
          </Text>
        )}
      </Group>
      <LoadError error={list.error} what="the event log" />
      <Table striped aria-label="event log">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Who</Table.Th>
            <Table.Th>Event</Table.Th>
            <Table.Th>DAG / task</Table.Th>
            <Table.Th>Extra</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data?.event_logs ?? []).map((e) => (
            <Table.Tr key={e.event_log_id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{new Date(e.when).toLocaleString()}</Table.Td>
              <Table.Td>{e.owner}</Table.Td>
              <Table.Td>{e.event}</Table.Td>
              <Table.Td>{[e.dag_id, e.task_id].filter(Boolean).join(' / ')}</Table.Td>
              <Table.Td className={classes.cell}>{e.extra && <Code>{e.extra}</Code>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {total > PAGE_SIZE && <Pagination aria-label="event log pages" total={Math.ceil(total / PAGE_SIZE)} value={page} onChange={setPage} />}
    </Stack>
  );
}
