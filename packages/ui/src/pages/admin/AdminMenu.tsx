// The header's "Admin" menu: connections, variables, pools and the event log.
import { Menu, UnstyledButton } from '@mantine/core';
import { Link, useRouterState } from '@tanstack/react-router';

const PAGES = [
  { to: '/admin/connections', label: 'Connections' },
  { to: '/admin/variables', label: 'Variables' },
  { to: '/admin/pools', label: 'Pools' },
  { to: '/admin/event-log', label: 'Event log' },
] as const;

export function AdminMenu({ className }: { className?: string }) {
  // Highlighted like the other header links while an admin page is open.
  const active = useRouterState({ select: (s) => s.location.pathname.startsWith('/admin/') });
  return (
    <Menu position="bottom-start" withinPortal>
      <Menu.Target>
        <UnstyledButton className={className} data-active={active || undefined}>
          Admin
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        {PAGES.map((p) => (
          <Menu.Item key={p.to} component={Link} to={p.to}>
            {p.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
