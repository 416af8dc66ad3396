// Pools: slots and how they are used (occupied, running, queued, open); Op and Admin add, edit
// and delete them (default_pool cannot be deleted).
import { Button, Group, Stack, Table, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client.js';
import { ConfirmDelete } from './ConfirmDelete.js';
import { LoadError } from './LoadError.js';
import { noContent } from '../../api/no-content.js';
import { PoolForm, type Pool } from './PoolForm.js';
import { useCanEdit } from './use-can-edit.js';

const QUERY_KEY = ['pools'] as const;
const DEFAULT_POOL = 'default_pool';
const count = (n: number) => (n === -1 ? '∞' : n);

export function PoolsPage() {
  const canEdit = useCanEdit();
  const [form, setForm] = useState<{ editing: Pool | undefined }>();
  const list = useQuery({ queryKey: QUERY_KEY, queryFn: () => ok(api.GET('/api/v1/pools', { params: { query: { limit: 100, offset: 0 } } })), refetchInterval: 10_000 });

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Pools</Title>
        {canEdit && <Button onClick={() => setForm({ editing: undefined })}>Add pool</Button>}
      </Group>
      <LoadError error={list.error} what="pools" />
      <Table striped highlightOnHover aria-label="pools">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th ta="right">Slots</Table.Th>
            <Table.Th ta="right">Occupied</Table.Th>
            <Table.Th ta="right">Running</Table.Th>
            <Table.Th ta="right">Queued</Table.Th>
            <Table.Th ta="right">Open</Table.Th>
            <Table.Th>Description</Table.Th>
            {canEdit && <Table.Th aria-label="actions" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data?.pools ?? []).map((p) => (
            <Table.Tr key={p.name}>
              <Table.Td fw={500}>{p.name}</Table.Td>
              <Table.Td ta="right">{count(p.slots)}</Table.Td>
              <Table.Td ta="right">{p.occupied_slots}</Table.Td>
              <Table.Td ta="right">{p.running_slots}</Table.Td>
              <Table.Td ta="right">{p.queued_slots}</Table.Td>
              <Table.Td ta="right">{count(p.open_slots)}</Table.Td>
              <Table.Td>{p.description}</Table.Td>
              {canEdit && (
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" variant="subtle" aria-label={`Edit pool ${p.name}`} onClick={() => setForm({ editing: p })}>
                      Edit
                    </Button>
                    {p.name !== DEFAULT_POOL && (
                      <ConfirmDelete
                        what={`pool ${p.name}`}
                        queryKey={QUERY_KEY}
                        remove={() => noContent(api.DELETE('/api/v1/pools/{pool_name}', { params: { path: { pool_name: p.name } } }))}
                      />
                    )}
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {form && <PoolForm editing={form.editing} onClose={() => setForm(undefined)} />}
    </Stack>
  );
}
