/** The web UI's own routes: its /ui/... data and live events (its built files: ../ui-static.ts). */
import type { Logger } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { uiAppearanceRoutes } from './appearance-routes.js';
import { uiCalendarRoutes } from './calendar-routes.js';
import { uiDashboardRoutes } from './dashboard-routes.js';
import { uiDependencyRoutes } from './dependency-routes.js';
import { uiEventRoutes } from './event-routes.js';
import { uiGanttRoutes } from './gantt-routes.js';
import { uiGridRoutes } from './grid-routes.js';
import { uiLinkRoutes } from './link-routes.js';

export function uiRoutes(app: Api, ctx: RouteContext, logger?: Logger): void {
  uiGridRoutes(app, ctx);
  uiGanttRoutes(app, ctx);
  uiEventRoutes(app, ctx, logger);
  uiLinkRoutes(app, ctx);
  uiAppearanceRoutes(app, ctx);
  uiDependencyRoutes(app, ctx);
  uiCalendarRoutes(app, ctx);
  uiDashboardRoutes(app, ctx);
}
