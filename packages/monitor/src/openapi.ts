/**
 * The monitor API's OpenAPI 3.1 document, generated from the routes' TypeBox schemas by
 * @fastify/swagger and served at GET /api/openapi.json (public: it describes the API, not its
 * data). openapi-document.ts renders it for docs/monitor-openapi.json.
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Updraft monitor API',
        description: 'The fleet monitor\'s JSON API, shaped after Flower\'s: workers, queues, task events, remote control. '
          + 'Errors are RFC 7807 problem documents naming the parameter at fault. Authentication: HTTP basic auth or an API '
          + 'token (`Authorization: Bearer ...`) of a webserver user; reading needs Viewer, remote control Op or Admin. See docs/monitor.md.',
        version: '1',
      },
      servers: [],
      components: { securitySchemes: { Basic: { type: 'http', scheme: 'basic' }, Bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ Basic: [] }, { Bearer: [] }],
    },
    // Only the API is documented (not the pages, their assets or the event stream's keepalives).
    hideUntagged: true,
  });
}
