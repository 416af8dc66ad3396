// Users and their roles (Admin only): list, add, edit (role, names, e-mail, active, password)
// and delete, except oneself. Other roles get a sentence instead of the page.
import { Alert, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client.js';
import { formatDate, relativeTime } from '../../components/time.js';
import { ConfirmDelete } from './ConfirmDelete.js';
import { LoadError } from './LoadError.js';
import { noContent } from '../../api/no-content.js';
import { roleAtLeast, useRole } from './roles.js';
import { UserForm, type User } from './UserForm.js';

const QUERY_KEY = ['users'] as const;

export function UsersPage() {
  const role = useRole();
  const isAdmin = roleAtLeast(role, 'Admin');
  const me = useQuery({ queryKey: ['me'], queryFn: () => ok(api.GET('/api/v1/auth/me')), staleTime: 60_000 });
  const [form, setForm] = useState<{ editing: User | undefined }>();
  const list = useQuery({
    queryKey: QUERY_KEY,
    queryFn: () => ok(api.GET('/api/v1/users', { params: { query: { limit: 100, offset: 0 } } })),
    enabled: isAdmin,
  });

  if (role === undefined) return null;
  if (!isAdmin) {
    return (
      <Alert color="gray" role="alert" title="Users">
        Only Admins manage users and roles.
      </Alert>
    );
  }
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Users</Title>
        <Button onClick={() => setForm({ editing: undefined })}>Add user</Button>
      </Group>
      <LoadError error={list.error} what="users" />
      <Table.ScrollContainer minWidth={640}>
        <Table striped highlightOnHover aria-label="users">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Username</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>E-mail</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Active</Table.Th>
              <Table.Th>Last login</Table.Th>
              <Table.Th aria-label="actions" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(list.data?.users ?? []).map((u) => (
              <Table.Tr key={u.username}>
                <Table.Td fw={500}>{u.username}</Table.Td>
                <Table.Td>{[u.first_name, u.last_name].filter(Boolean).join(' ')}</Table.Td>
                <Table.Td>{u.email}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={u.roles[0]?.name === 'Admin' ? 'red' : u.roles[0]?.name === 'Op' ? 'orange' : 'blue'}>
                    {u.roles.map((r) => r.name).join(', ')}
                  </Badge>
                </Table.Td>
                <Table.Td>{u.active ? 'yes' : <Text span c="dimmed" inherit>no</Text>}</Table.Td>
                <Table.Td title={formatDate(u.last_login)}>{u.last_login ? relativeTime(u.last_login) : <Text span c="dimmed" inherit>never</Text>}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" variant="subtle" aria-label={`Edit user ${u.username}`} onClick={() => setForm({ editing: u })}>
                      Edit
                    </Button>
                    {u.username !== me.data?.username && (
                      <ConfirmDelete
                        what={`user ${u.username}`}
                        queryKey={QUERY_KEY}
                        remove={() => noContent(api.DELETE('/api/v1/users/{username}', { params: { path: { username: u.username } } }))}
                      />
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {form && <UserForm editing={form.editing} onClose={() => setForm(undefined)} />}
    </Stack>
  );
}
