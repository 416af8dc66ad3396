/**
 * Routes (code-based, TanStack Router). Filters and selections live in typed search params, so
 * every view has a stable URL: /dags?q=etl&tags=daily&paused=active&page=2.
 */
import { createRootRoute, createRoute, createRouter, redirect } from '@tanstack/react-router';
import { AppLayout } from './components/AppLayout.js';
import { NotFound } from './pages/NotFound.js';
import { DagListPage } from './pages/dags/DagListPage.js';
import { parseDagListSearch } from './pages/dags/dag-list-search.js';
import { DagPage } from './pages/dag/DagPage.js';
import { parseDagSearch } from './pages/dag/dag-search.js';
import { ConnectionsPage } from './pages/admin/ConnectionsPage.js';
import { PoolsPage } from './pages/admin/PoolsPage.js';
import { EventLogPage } from './pages/admin/EventLogPage.js';
import { UsersPage } from './pages/admin/UsersPage.js';
import { VariablesPage } from './pages/admin/VariablesPage.js';
import { LoginPage } from './pages/login/LoginPage.js';
import { parseLoginSearch } from './pages/login/login-search.js';

const rootRoute = createRootRoute({ component: AppLayout, notFoundComponent: NotFound });

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/dags' });
  },
});

export const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: parseLoginSearch,
  component: LoginPage,
});

export const dagListRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dags',
  validateSearch: parseDagListSearch,
  component: DagListPage,
});

// A DAG, a run of it, a task instance of that run: one page, the selection in the path.
export const dagRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dags/$dagId',
  validateSearch: parseDagSearch,
  component: DagPage,
});

export const runRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dags/$dagId/runs/$runId',
  validateSearch: parseDagSearch,
  component: DagPage,
});

export const taskInstanceRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dags/$dagId/runs/$runId/tasks/$taskId',
  validateSearch: parseDagSearch,
  component: DagPage,
});

// Admin pages: connections, variables, pools, users (Admin only), event log.
const connectionsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/admin/connections', component: ConnectionsPage });
const variablesRoute = createRoute({ getParentRoute: () => rootRoute, path: '/admin/variables', component: VariablesPage });
const poolsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/admin/pools', component: PoolsPage });
const usersRoute = createRoute({ getParentRoute: () => rootRoute, path: '/admin/users', component: UsersPage });
const eventLogRoute = createRoute({ getParentRoute: () => rootRoute, path: '/admin/event-log', component: EventLogPage });

const routeTree = rootRoute.addChildren([
  indexRoute, loginRoute, dagListRoute, dagRoute, runRoute, taskInstanceRoute,
  connectionsRoute, variablesRoute, poolsRoute, usersRoute, eventLogRoute,
]);

export const router = createRouter({ routeTree, defaultPreload: 'intent', scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
