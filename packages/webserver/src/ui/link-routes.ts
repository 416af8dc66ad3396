/** GET /ui/links: where the UI links to outside itself (the worker monitor), from the webserver's configuration. */
import { Type } from 'typebox';
import type { Api, RouteContext } from '../api-types.js';
import { Nullable } from '../routes/common.schemas.js';

const LinksSchema = Type.Object({
  monitor_url: Nullable(Type.String({ description: 'Base URL of the worker monitor (a worker\'s page is `<monitor_url>/worker/<name>`); null: no links.' })),
});

export function uiLinkRoutes(app: Api, ctx: RouteContext): void {
  app.get('/ui/links', {
    config: { permission: 'dags.read' },
    schema: { tags: ['UI'], summary: 'Where the UI links to outside itself (the worker monitor)', response: { 200: LinksSchema } },
  }, async (request) => {
    const m = ctx.monitor;
    if (m === undefined) return { monitor_url: null };
    if ('url' in m) return { monitor_url: m.url };
    // A monitor listening on every address: the host the browser reached the webserver by.
    const host = request.hostname.replace(/:\d+$/, '');
    return { monitor_url: `${request.protocol}://${host}:${m.port}` };
  });
}
