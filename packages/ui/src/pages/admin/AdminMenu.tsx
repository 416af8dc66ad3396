// The header's "Admin" menu: the admin pages the logged-in user's role may open (Users: Admin only).
import { Menu, UnstyledButton } from '@mantine/core';
import { Link, useRouterState } from '@tanstack/react-router';
import { ADMIN_PAGES, roleAtLeast, useRole } from './roles.js';

export function AdminMenu({ className }: { className?: string }) {
  // Highlighted like the other header links while an admin page is open.
  const active = useRouterState({ select: (s) => s.location.pathname.startsWith('/admin/') });
  const role = useRole();
  const pages = ADMIN_PAGES.filter((p) => roleAtLeast(role, p.minRole));
  if (pages.length === 0) return null;
  return (
    <Menu position="bottom-start" withinPortal>
      <Menu.Target>
        <UnstyledButton className={className} data-active={active || undefined}>
          Admin
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        {pages.map((p) => (
          <Menu.Item key={p.to} component={Link} to={p.to}>
            {p.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
