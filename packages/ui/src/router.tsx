/**
 * Routes (code-based, TanStack Router). Filters and selections live in typed search params, so
 * every view has a stable URL: /dags?q=etl&tags=daily&paused=active&page=2.
 */
import { createRootRoute, createRoute, createRouter, lazyRouteComponent } from '@tanstack/react-router';
import { AppLayout } from './components/AppLayout.js';
import { NotFound } from './pages/NotFound.js';
import { DagListPage } from './pages/dags/DagListPage.js';
import { parseDagListSearch } from './pages/dags/dag-list-search.js';
import { parseDagSearch } from './pages/dag/dag-search.js';
import { parseLoginSearch } from './pages/login/login-search.js';
import { parseAssetsSearch } from './pages/assets/assets-search.js';
import { parseHomeSearch } from './pages/home/home-search.js';
import { parseTaskInstanceSearch } from './pages/task-instances/ti-search.js';
import { queryClient } from './api/query-client.js';
import { dagQueryOptions, dagTasksQueryOptions, gridQueryOptions } from './pages/dag/use-dag-data.js';

// The DAG list is in the app's first file; every other page is its own, loaded when opened (or
// when a link to it is hovered: defaultPreload 'intent').
const DagPage = lazyRouteComponent(() => import('./pages/dag/DagPage.js'), 'DagPage');
const LoginPage = lazyRouteComponent(() => import('./pages/login/LoginPage.js'), 'LoginPage');
const ConnectionsPage = lazyRouteComponent(() => import('./pages/admin/ConnectionsPage.js'), 'ConnectionsPage');
const PoolsPage = lazyRouteComponent(() => import('./pages/admin/PoolsPage.js'), 'PoolsPage');
const EventLogPage = lazyRouteComponent(() => import('./pages/admin/EventLogPage.js'), 'EventLogPage');
const UsersPage = lazyRouteComponent(() => import('./pages/admin/UsersPage.js'), 'UsersPage');
const VariablesPage = lazyRouteComponent(() => import('./pages/admin/VariablesPage.js'), 'VariablesPage');
const DependenciesPage = lazyRouteComponent(() => import('./pages/dependencies/DependenciesPage.js'), 'DependenciesPage');
const AssetsPage = lazyRouteComponent(() => import('./pages/assets/AssetsPage.js'), 'AssetsPage');
const HomePage = lazyRouteComponent(() => import('./pages/home/HomePage.js'), 'HomePage');
const TaskInstancesPage = lazyRouteComponent(() => import('./pages/task-instances/TaskInstancesPage.js'), 'TaskInstancesPage');

const rootRoute = createRootRoute({ component: AppLayout, notFoundComponent: NotFound });

// Home (Airflow's dashboard): the DAGs at a glance, health, recent runs, pools.
export const homeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  validateSearch: parseHomeSearch,
  component: HomePage,
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

// A DAG, a run of it, a task instance of that run: one page, the selection in the path. Its reads
// start with the route (on a link's hover or click), beside its code's download, not after it.
const prefetchDag = (dagId: string) => {
  void queryClient.prefetchQuery(dagQueryOptions(dagId));
  void queryClient.prefetchQuery(dagTasksQueryOptions(dagId));
  void queryClient.prefetchQuery(gridQueryOptions(dagId));
};

export const dagRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dags/$dagId',
  validateSearch: parseDagSearch,
  loader: ({ params }) => prefetchDag(params.dagId),
  component: DagPage,
});

export const runRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dags/$dagId/runs/$runId',
  validateSearch: parseDagSearch,
  loader: ({ params }) => prefetchDag(params.dagId),
  component: DagPage,
});

export const taskInstanceRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dags/$dagId/runs/$runId/tasks/$taskId',
  validateSearch: parseDagSearch,
  loader: ({ params }) => prefetchDag(params.dagId),
  component: DagPage,
});

// How DAGs depend on each other (?dag=ID: what is connected to one DAG).
const dependenciesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dependencies',
  validateSearch: (raw: Record<string, unknown>): { dag?: string } => (typeof raw.dag === 'string' && raw.dag !== '' ? { dag: raw.dag } : {}),
  component: DependenciesPage,
});

// Assets, their events (?uri=ID: one asset's) and the DAGs they schedule.
export const assetsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/assets',
  validateSearch: parseAssetsSearch,
  component: AssetsPage,
});

// Admin pages: connections, variables, pools, users (Admin only), event log.
// Every task instance across DAGs (?state=&dag_id=&hours=&page=).
const taskInstancesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/task-instances',
  validateSearch: parseTaskInstanceSearch,
  component: TaskInstancesPage,
});
const connectionsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/admin/connections', component: ConnectionsPage });
const variablesRoute = createRoute({ getParentRoute: () => rootRoute, path: '/admin/variables', component: VariablesPage });
const poolsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/admin/pools', component: PoolsPage });
const usersRoute = createRoute({ getParentRoute: () => rootRoute, path: '/admin/users', component: UsersPage });
const eventLogRoute = createRoute({ getParentRoute: () => rootRoute, path: '/admin/event-log', component: EventLogPage });

const routeTree = rootRoute.addChildren([
  homeRoute, loginRoute, dagListRoute, taskInstancesRoute, dagRoute, runRoute, taskInstanceRoute, assetsRoute, dependenciesRoute,
  connectionsRoute, variablesRoute, poolsRoute, usersRoute, eventLogRoute,
]);

export const router = createRouter({ routeTree, defaultPreload: 'intent', scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
