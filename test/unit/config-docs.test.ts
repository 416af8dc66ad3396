import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_OPTIONS, envVarName, renderConfigDocs } from '@updraft/core/internal';

describe('docs/configuration.md', () => {
  it('is up to date with the option table (regenerate: node scripts/gen-config-docs.mjs)', () => {
    const committed = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderConfigDocs());
  });

  it('documents every key with its environment variable and default', () => {
    const docs = renderConfigDocs();
    for (const o of CONFIG_OPTIONS) {
      const row = docs.split('\n').find((line) => line.startsWith(`| \`${o.key}\` | \`${envVarName(o)}\` |`));
      expect(row, `${o.section}.${o.key}`).toBeDefined();
      expect(row).toContain(o.default === '' ? '*(empty)*' : `\`${o.default}\``);
    }
  });
});
