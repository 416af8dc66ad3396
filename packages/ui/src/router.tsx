/**
 * Routes (code-based, TanStack Router). Filters and selections live in typed search params, so
 * every view has a stable URL: /dags?q=etl&tags=daily&paused=active&page=2.
 */
import { createRootRoute, createRoute, createRouter, redirect } from '@tanstack/react-router';
import { AppLayout } from './components/AppLayout.js';
import { NotFound } from './pages/NotFound.js';
import { DagListPage } from './pages/dags/DagListPage.js';
import { parseDagListSearch } from './pages/dags/dag-list-search.js';

const rootRoute = createRootRoute({ component: AppLayout, notFoundComponent: NotFound });

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/dags' });
  },
});

export const dagListRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dags',
  validateSearch: parseDagListSearch,
  component: DagListPage,
});

const routeTree = rootRoute.addChildren([indexRoute, dagListRoute]);

export const router = createRouter({ routeTree, defaultPreload: 'intent', scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
