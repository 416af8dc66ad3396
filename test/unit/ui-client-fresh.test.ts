/**
 * The web UI's API types (packages/ui/src/api/schema.ts) must match docs/openapi.json: regenerate
 * into a scratch file (tmp/ is gitignored) and compare. Fix a failure with `npm run ui:client`.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const scratch = `tmp/ui-client-fresh-${randomBytes(4).toString('hex')}/schema.ts`;

describe('generated UI API types', () => {
  afterAll(() => {
    rmSync(join(root, scratch, '..'), { recursive: true, force: true });
    try {
      rmdirSync(join(root, 'tmp')); // only when nothing else is in it
    } catch {
      // not empty or already gone
    }
  });

  it('are up to date with docs/openapi.json (run `npm run ui:client` when this fails)', () => {
    execFileSync(process.execPath, ['scripts/gen-ui-client.mjs', scratch], { cwd: root, stdio: 'pipe' });
    const fresh = readFileSync(join(root, scratch), 'utf8');
    expect(fresh).toContain('"/api/v1/dags"');
    expect(readFileSync(join(root, 'packages/ui/src/api/schema.ts'), 'utf8'), 'packages/ui/src/api/schema.ts is stale: run npm run ui:client').toBe(fresh);
  });
});
