// Connections: the list (passwords never shown), add/edit/delete for Op and Admin;
// connections the webserver's environment defines are read-only.
import { Badge, Button, Group, Stack, Table, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client.js';
import { ConfirmDelete } from './ConfirmDelete.js';
import { LoadError } from './LoadError.js';
import { noContent } from '../../api/no-content.js';
import { ConnectionForm, type Connection } from './ConnectionForm.js';
import { useCanEdit } from './use-can-edit.js';
import classes from './AdminTable.module.css';

const QUERY_KEY = ['connections'] as const;

export function ConnectionsPage() {
  const canEdit = useCanEdit();
  const [form, setForm] = useState<{ editing: Connection | undefined }>();
  const list = useQuery({ queryKey: QUERY_KEY, queryFn: () => ok(api.GET('/api/v1/connections', { params: { query: { limit: 100, offset: 0 } } })) });
  const rows = list.data?.connections ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Connections</Title>
        {canEdit && <Button onClick={() => setForm({ editing: undefined })}>Add connection</Button>}
      </Group>
      <LoadError error={list.error} what="connections" />
      <Table striped highlightOnHover aria-label="connections">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Connection id</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Host</Table.Th>
            <Table.Th>Schema</Table.Th>
            <Table.Th>Login</Table.Th>
            <Table.Th>Password</Table.Th>
            <Table.Th>Port</Table.Th>
            <Table.Th>Description</Table.Th>
            {canEdit && <Table.Th aria-label="actions" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((c) => (
            <Table.Tr key={c.connection_id}>
              <Table.Td fw={500}>
                {c.connection_id}{' '}
                {c.read_only && (
                  <Badge size="xs" variant="light" color="gray">
                    environment
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{c.conn_type}</Table.Td>
              <Table.Td className={classes.cell}>{c.host}</Table.Td>
              <Table.Td>{c.schema}</Table.Td>
              <Table.Td>{c.login}</Table.Td>
              {/* The API never answers passwords. */}
              <Table.Td c="dimmed">***</Table.Td>
              <Table.Td>{c.port}</Table.Td>
              <Table.Td className={classes.cell}>{c.description}</Table.Td>
              {canEdit && (
                <Table.Td>
                  {!c.read_only && (
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="subtle" aria-label={`Edit connection ${c.connection_id}`} onClick={() => setForm({ editing: c })}>
                        Edit
                      </Button>
                      <ConfirmDelete
                        what={`connection ${c.connection_id}`}
                        queryKey={QUERY_KEY}
                        remove={() => noContent(api.DELETE('/api/v1/connections/{connection_id}', { params: { path: { connection_id: c.connection_id } } }))}
                      />
                    </Group>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
          {list.data && rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={9} c="dimmed">
                No connections.
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      {form && <ConnectionForm editing={form.editing} onClose={() => setForm(undefined)} />}
    </Stack>
  );
}
