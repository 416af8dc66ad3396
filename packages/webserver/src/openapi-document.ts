/**
 * The committed OpenAPI document (docs/openapi.json): the app built without a database (no route
 * runs), asked for its document. scripts/gen-openapi.mjs writes it; a test fails when it drifts.
 */
import { buildApp } from './app.js';

export async function renderOpenApiDocument(): Promise<string> {
  const unused = {
    query: () => Promise.reject(new Error('the OpenAPI document is rendered without a database')),
  };
  const app = await buildApp({ db: unused as never });
  try {
    await app.ready();
    return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app.close();
  }
}
