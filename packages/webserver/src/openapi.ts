/**
 * The OpenAPI 3.1 document, generated from the routes' TypeBox schemas by @fastify/swagger, and
 * the interactive docs at /api/docs. `renderOpenApi()` builds the app without a database to
 * write docs/openapi.json (scripts/gen-openapi.mjs; a test fails when the committed file drifts).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export const OPENAPI_INFO = {
  title: 'Updraft REST API',
  description: 'The stable REST API of Updraft, shaped like Airflow 2\'s `/api/v1` (paths, parameters, snake_case fields). '
    + 'Errors are RFC 7807 problem documents naming the field at fault. Authentication: HTTP basic auth, '
    + 'an API token (`Authorization: Bearer ...`) or a browser session. Permissions: docs/security.md.',
  version: '1',
};

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      servers: [],
      components: {
        securitySchemes: {
          Basic: { type: 'http', scheme: 'basic' },
          Bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ Basic: [] }, { Bearer: [] }],
    },
    // Only the API is documented (not /health, the UI's assets or the docs themselves).
    hideUntagged: true,
  });
  // The docs are public (like the login page): they describe the API, not its data.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...route.config, public: true };
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { deepLinking: false }, staticCSP: true });
}
