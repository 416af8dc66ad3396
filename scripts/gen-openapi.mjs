// Writes docs/openapi.json, the REST API's OpenAPI 3.1 document, from the routes' schemas, and
// docs/monitor-openapi.json, the monitor API's.
// test/unit/openapi-docs.test.ts fails when the committed file is out of date: run
//   npm run docs:openapi
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-b', 'packages/webserver'], { cwd: root, stdio: 'inherit' });
const { renderOpenApiDocument } = await import('@updraft/webserver');
mkdirSync(`${root}/docs`, { recursive: true });
writeFileSync(`${root}/docs/openapi.json`, await renderOpenApiDocument());
process.stdout.write('wrote docs/openapi.json\n');
// The monitor's API (docs/monitor-openapi.json), the same way.
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-b', 'packages/monitor'], { cwd: root, stdio: 'inherit' });
const { renderMonitorOpenApiDocument } = await import('@updraft/monitor');
writeFileSync(`${root}/docs/monitor-openapi.json`, await renderMonitorOpenApiDocument());
process.stdout.write('wrote docs/monitor-openapi.json\n');
