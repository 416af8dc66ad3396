// Writes docs/configuration.md from the option table in packages/core/src/config/options.ts.
// test/unit/config-docs.test.ts fails when the committed file is out of date: run
//   node scripts/gen-config-docs.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = fileURLToPath(new URL('..', import.meta.url));
const { renderConfigDocs } = await tsImport('../packages/core/src/config/docs.ts', import.meta.url);
mkdirSync(`${root}/docs`, { recursive: true });
writeFileSync(`${root}/docs/configuration.md`, renderConfigDocs());
process.stdout.write('wrote docs/configuration.md\n');
