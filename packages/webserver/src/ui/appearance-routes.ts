/**
 * GET /ui/appearance: the instance's name and header colour (webserver.instance_name,
 * webserver.navbar_color), public like /health: the login page shows them before anyone signs in.
 */
import { Type } from 'typebox';
import { isDarkColor } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { Nullable } from '../routes/common.schemas.js';

const AppearanceSchema = Type.Object({
  instance_name: Nullable(Type.String({ description: 'The name of this Updraft (webserver.instance_name), shown beside the logo and in the tab\'s title; null: none.' })),
  navbar_color: Nullable(Type.String({ description: 'The header\'s background colour as #rgb or #rrggbb (webserver.navbar_color); null: the theme\'s.' })),
  navbar_dark: Type.Boolean({ description: 'navbar_color is dark: text on it is white (else black).' }),
});

export function uiAppearanceRoutes(app: Api, ctx: RouteContext): void {
  const { instanceName, navbarColor } = ctx.appearance;
  const answer = { instance_name: instanceName || null, navbar_color: navbarColor || null, navbar_dark: navbarColor !== '' && isDarkColor(navbarColor) };
  app.get('/ui/appearance', {
    config: { public: true },
    schema: { tags: ['UI'], summary: 'The instance\'s name and header colour, for every page and the login page', response: { 200: AppearanceSchema } },
  }, () => Promise.resolve(answer));
}
