/**
 * The committed OpenAPI document of the monitor (docs/monitor-openapi.json): the app built without
 * a database (no route runs), asked for its document. scripts/gen-openapi.mjs writes it; a test
 * fails when it drifts.
 */
import { buildMonitorApp } from './app.js';

export async function renderMonitorOpenApiDocument(): Promise<string> {
  const unused = { query: () => Promise.reject(new Error('the OpenAPI document is rendered without a database')) };
  const { app } = await buildMonitorApp({ db: unused as never });
  try {
    return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app.close();
  }
}
