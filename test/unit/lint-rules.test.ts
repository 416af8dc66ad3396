/**
 * Proves each architectural lint restriction of eslint.config.js fires, by linting small
 * snippets with ESLint's Node API and the repository's real config. Snippets are linted as if
 * they lived in a package (`packages/<pkg>/src/__lint_probe__.ts`, never written to disk); the
 * only override gives such a file a TypeScript project so typed rules can run.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = 'packages/*/src/__lint_probe__.ts';
const eslint = new ESLint({
  cwd: ROOT,
  ignore: false, // the cycle fixture lives under test/fixtures, which `npm run lint` skips
  overrideConfig: [{
    files: [PROBE],
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: [PROBE], defaultProject: 'tsconfig.base.json' } } },
  }],
});

/** `ruleId: message` of every problem ESLint reports for `code` as a file of package `pkg`. */
async function lint(pkg: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}packages/${pkg}/src/__lint_probe__.ts` });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parser'}: ${m.message}`);
}

describe('lint: sdk stays free of server code', () => {
  it.each([
    ["import pg from 'pg';", /no-restricted-imports: 'pg' .*free of server code/],
    ["import { spawn } from 'node:child_process';", /no-restricted-imports: 'node:child_process'/],
    ["import { readFileSync } from 'fs';", /no-restricted-imports: 'fs'/],
    ["import { createServer } from 'node:net';", /no-restricted-imports: 'node:net'/],
    ["import { credentials } from '@grpc/grpc-js';", /no-restricted-imports: '@grpc\/grpc-js'/],
    ["import { jetstream } from '@nats-io/jetstream';", /no-restricted-imports: '@nats-io\/jetstream'/],
    ["import { pino } from 'pino';", /no-restricted-imports: 'pino'/],
    ["import { loadConfig } from '@updraft/core';", /no-restricted-imports: '@updraft\/core'.*packages\/sdk may not import/],
  ])('%s is an error', async (importLine, expected) => {
    const messages = await lint('sdk', `${importLine}\nexport {};\n`);
    expect(messages.some((m) => expected.test(m)), messages.join('\n')).toBe(true);
  });

  it('allows pure helpers and its own modules', async () => {
    const code = "import { join } from 'node:path';\nimport type { SerializedDag } from './serialized.js';\n"
      + 'export const f = (d: SerializedDag): string => join(String(d));\n';
    expect(await lint('sdk', code)).toEqual([]);
  });
});

describe('lint: dependency direction between packages', () => {
  it('a service package may not import another service package', async () => {
    const messages = await lint('scheduler', "import { x } from '@updraft/worker';\nexport const y = x;\n");
    expect(messages.join('\n')).toMatch(/packages\/scheduler may not import @updraft\/worker/);
  });

  it.each([['webserver', 'monitor'], ['monitor', 'scheduler'], ['worker', 'webserver']])('%s may not import @updraft/%s', async (from, to) => {
    const messages = await lint(from, `import { x } from '@updraft/${to}';\nexport const y = x;\n`);
    expect(messages.join('\n')).toContain(`packages/${from} may not import @updraft/${to}`);
  });

  it('core may not import a service or the cli', async () => {
    const messages = await lint('core', "import { x } from '@updraft/cli';\nexport const y = x;\n");
    expect(messages.join('\n')).toContain('packages/core may not import @updraft/cli');
  });

  it('a service may import core, and the cli may import services', async () => {
    expect(await lint('worker', "import { loadConfig } from '@updraft/core';\nexport const y = loadConfig;\n")).toEqual([]);
    expect(await lint('cli', "import * as worker from '@updraft/worker';\nexport const y = worker;\n")).toEqual([]);
  });
});

describe('lint: no deep imports across packages', () => {
  it('rejects @updraft/<pkg>/<path>', async () => {
    const messages = await lint('cli', "import { loadConfig } from '@updraft/core/src/config/load.js';\nexport const y = loadConfig;\n");
    expect(messages.join('\n')).toMatch(/no-restricted-imports: '@updraft\/core\/src\/config\/load\.js'.*entry point/);
  });

  it('rejects relative paths that climb into another package', async () => {
    const messages = await lint('scheduler', "import * as w from '../../worker/src/index.js';\nexport const y = w;\n");
    expect(messages.join('\n')).toMatch(/no-restricted-imports: '\.\.\/\.\.\/worker\/src\/index\.js'/);
    expect(messages.join('\n')).toContain('import-x/no-relative-packages');
  });
});

describe('lint: TypeScript hygiene', () => {
  it('reports floating promises', async () => {
    const messages = await lint('core', 'async function f(): Promise<void> {}\nf();\nexport {};\n');
    expect(messages.join('\n')).toContain('@typescript-eslint/no-floating-promises');
  });

  it('requires `import type` for type-only imports', async () => {
    const messages = await lint('cli', "import { UpdraftConfig } from '@updraft/core';\nexport let c: UpdraftConfig | undefined;\n");
    expect(messages.join('\n')).toContain('@typescript-eslint/consistent-type-imports');
  });

  it('reports import cycles', async () => {
    const [result] = await eslint.lintFiles([`${ROOT}test/fixtures/lint/cycle/a.ts`]);
    const messages = (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parser'}: ${m.message}`);
    expect(messages.join('\n')).toContain('import-x/no-cycle');
  });
});
