// Generates the web UI's API types (packages/ui/src/api/schema.ts) from docs/openapi.json with
// openapi-typescript; the UI's client (openapi-fetch) is typed by them. Generated files are never
// edited by hand; test/unit/ui-client-fresh.test.ts fails when this one is stale
// (`npm run ui:client` fixes it). An optional argument writes somewhere else (the test does).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(root, process.argv[2] ?? 'packages/ui/src/api/schema.ts');
const document = JSON.parse(readFileSync(join(root, 'docs/openapi.json'), 'utf8'));
const ast = await openapiTS(document, { alphabetize: true });
const header = '// Generated from docs/openapi.json by `npm run ui:client` (scripts/gen-ui-client.mjs). Do not edit.\n';
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, header + astToString(ast));
