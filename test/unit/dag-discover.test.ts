import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUpdraftError } from '@updraft/core';
import { displayPath, listDagFiles, readDagFile, sha256Hex } from '@updraft/core/internal';

describe('DAG file discovery', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'updraft-discover-'));
    const files = [
      'a.ts', 'b.mts', 'c.js', 'd.mjs', 'types.d.ts', 'notes.md', 'data.json', 'sub/deep/e.ts',
      '.hidden.ts', '.git/f.ts', 'node_modules/pkg/index.js', 'sub/node_modules/x.ts',
    ];
    for (const f of files) {
      await mkdir(join(dir, f, '..'), { recursive: true });
      await writeFile(join(dir, f), `// ${f}\n`);
    }
    await symlink(join(dir, 'sub'), join(dir, 'linked'));
    await symlink(join(dir, 'missing.ts'), join(dir, 'dangling.ts'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('finds ts/mts/js/mjs files, skipping dotfiles, node_modules, .d.ts and dangling links', async () => {
    const found = (await listDagFiles(dir)).map((p) => p.slice(dir.length + 1));
    expect(found).toEqual(['a.ts', 'b.mts', 'c.js', 'd.mjs', 'linked/deep/e.ts', 'sub/deep/e.ts']);
  });

  it('reads a file with its fileloc and sha256', async () => {
    const f = await readDagFile(join(dir, 'sub/deep/e.ts'), dir);
    expect(f.fileloc).toBe('sub/deep/e.ts');
    expect(f.fileHash).toBe(sha256Hex('// sub/deep/e.ts\n'));
    expect(f.source.toString()).toBe('// sub/deep/e.ts\n');
  });

  it('refuses a missing folder instead of reporting no DAGs', async () => {
    const err = await listDagFiles(join(dir, 'nope')).catch((e: unknown) => e);
    expect(isUpdraftError(err, 'INVALID_ARGUMENT')).toBe(true);
    expect((err as Error).message).toContain('is not a readable directory (core.dags_folder)');
  });

  it('shows paths relative to the working directory when inside it', () => {
    expect(displayPath('/work/x/dags/a.ts', '/work/x')).toBe('dags/a.ts');
    expect(displayPath('/elsewhere/a.ts', '/work/x')).toBe('/elsewhere/a.ts');
  });
});
