// The header's user menu: who is logged in (username, role) and "Log out".
import { Avatar, Badge, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api, ok } from '../api/client.js';

export function UserMenu() {
  const me = useQuery({ queryKey: ['me'], queryFn: () => ok(api.GET('/api/v1/auth/me')), staleTime: 60_000 });
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  if (!me.data) return null;
  const u = me.data;
  const fullName = [u.first_name, u.last_name].filter(Boolean).join(' ');

  const logOut = async () => {
    // Whatever the answer, the session is of no use here any more.
    await api.POST('/api/v1/auth/logout').catch(() => undefined);
    queryClient.clear();
    await navigate({ to: '/login', search: {} });
  };

  return (
    <Menu position="bottom-end" width={220} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`user menu: ${u.username}`}>
          <Group gap={8} wrap="nowrap">
            <Avatar size="sm" radius="xl" color="blue">
              {u.username.slice(0, 2).toUpperCase()}
            </Avatar>
            <Text size="sm" fw={500}>
              {u.username}
            </Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Group justify="space-between" wrap="nowrap">
            <span>{fullName || u.username}</span>
            <Badge size="xs" variant="light">
              {u.role}
            </Badge>
          </Group>
          {u.email && <Text size="xs">{u.email}</Text>}
        </Menu.Label>
        {u.authenticated_by === 'session' && (
          <>
            <Menu.Divider />
            <Menu.Item onClick={() => void logOut()}>Log out</Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
