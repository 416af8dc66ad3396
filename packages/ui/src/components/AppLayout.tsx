// The frame of every page: header with the product name (and the instance's name and colour when
// configured), navigation, the health of the metadata database and the user menu; a banner while
// no scheduler runs; the page below. The login page has no frame.
import { AppShell, Badge, Group, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { AdminMenu } from '../pages/admin/AdminMenu.js';
import { useAppearance } from './appearance.js';
import { useHealth } from './health.js';
import { Logo } from './Logo.js';
import { SchedulerBanner } from './SchedulerBanner.js';
import { UserMenu } from './UserMenu.js';
import classes from './AppLayout.module.css';

function HealthBadge() {
  const health = useHealth();
  const status = health.data?.metadatabase?.status ?? (health.isError ? 'unreachable' : undefined);
  if (!status) return null;
  const healthy = status === 'healthy';
  return (
    <Tooltip label={`Metadata database: ${status}`}>
      <Badge variant="dot" color={healthy ? 'teal' : 'red'} aria-label={`metadata database ${status}`}>
        {healthy ? 'healthy' : status}
      </Badge>
    </Tooltip>
  );
}

export function AppLayout() {
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const look = useAppearance();
  if (pathname === '/login') return <Outlet />;
  const tint = look.navbarColor === null ? undefined : look.dark ? 'dark' : 'light';
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header className={classes.header} data-tint={tint} style={look.navbarColor === null ? undefined : { background: look.navbarColor }}>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <UnstyledButton component={Link} to="/" className={classes.brand} aria-label="Updraft home">
              <Logo size={26} />
              <Text fw={700} fz="lg">
                Updraft
              </Text>
              {look.instanceName !== null && (
                <Text component="span" className={classes.instance} data-testid="instance-name">
                  {look.instanceName}
                </Text>
              )}
            </UnstyledButton>
            <nav className={classes.nav} aria-label="main">
              <Link to="/" className={classes.link} activeProps={{ 'data-active': true }} activeOptions={{ exact: true }}>
                Home
              </Link>
              <Link to="/dags" className={classes.link} activeProps={{ 'data-active': true }}>
                DAGs
              </Link>
              <Link to="/assets" search={{}} className={classes.link} activeProps={{ 'data-active': true }}>
                Assets
              </Link>
              <Link to="/task-instances" search={{ hours: 24 }} className={classes.link} activeProps={{ 'data-active': true }}>
                Task instances
              </Link>
              <Link to="/dependencies" search={{}} className={classes.link} activeProps={{ 'data-active': true }}>
                Dependencies
              </Link>
              <AdminMenu className={classes.link} />
            </nav>
          </Group>
          <Group gap="md" wrap="nowrap">
            <HealthBadge />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <SchedulerBanner />
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
