/**
 * The key of a worker's installed dependencies (BundleDeps.keyOf) over bundles read from real
 * folders: it follows package.json, the lockfile and every local file a `file:` dependency points
 * at (a folder's files, a tarball's bytes), and nothing else. A tarball that is not the one the
 * lockfile pins is refused before npm runs (npm would install whatever its cache holds for the pin).
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBundle } from '@updraft/core';
import { BundleDeps } from '@updraft/worker';

let dir: string;

const PKG = {
  name: 'dags',
  dependencies: { tarred: 'file:./vendor/tarred-1.0.0.tgz', folded: 'file:./local/folded' },
  devDependencies: { devtar: 'file:vendor/devtar-1.0.0.tgz' },
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'updraft-deps-key-'));
  await mkdir(join(dir, 'vendor'), { recursive: true });
  await mkdir(join(dir, 'local', 'folded'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify(PKG));
  await writeFile(join(dir, 'package-lock.json'), '{"lockfileVersion":3}\n');
  await writeFile(join(dir, 'vendor', 'tarred-1.0.0.tgz'), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
  await writeFile(join(dir, 'vendor', 'devtar-1.0.0.tgz'), Buffer.from([0x1f, 0x8b, 9, 9]));
  await writeFile(join(dir, 'local', 'folded', 'package.json'), '{"name":"folded","version":"1.0.0"}');
  await writeFile(join(dir, 'local', 'folded', 'index.js'), 'module.exports = 1;\n');
  await writeFile(join(dir, 'a.ts'), 'export const a = 1;\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function key(): Promise<string | null> {
  const b = await readBundle(dir);
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Parameters<typeof BundleDeps.keyOf>[1];
  return BundleDeps.keyOf(b.files, pkg);
}

describe('BundleDeps.keyOf', () => {
  it('changes when a file: tarball is replaced under the same name, with the lockfile unchanged', async () => {
    const before = await key();
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    await writeFile(join(dir, 'vendor', 'tarred-1.0.0.tgz'), Buffer.from([0x1f, 0x8b, 1, 2, 4]));
    const after = await key();
    expect(after).not.toBe(before);
    // Put back: the same bytes give the same key (an install is reused).
    await writeFile(join(dir, 'vendor', 'tarred-1.0.0.tgz'), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    expect(await key()).toBe(before);
  });

  it('changes with a devDependencies tarball and with a file of a file: folder', async () => {
    const before = await key();
    await writeFile(join(dir, 'vendor', 'devtar-1.0.0.tgz'), Buffer.from([0x1f, 0x8b, 9, 8]));
    const afterTar = await key();
    expect(afterTar).not.toBe(before);
    await writeFile(join(dir, 'local', 'folded', 'index.js'), 'module.exports = 2;\n');
    expect(await key()).not.toBe(afterTar);
  });

  it('stays the same when files no dependency points at change', async () => {
    const before = await key();
    await writeFile(join(dir, 'a.ts'), 'export const a = 2;\n');
    await writeFile(join(dir, 'vendor', 'unrelated-2.0.0.tgz'), Buffer.from([1]));
    // A file whose name merely starts like a dependency's tarball is not that tarball.
    await writeFile(join(dir, 'vendor', 'tarred-1.0.0.tgz.bak'), Buffer.from([2]));
    expect(await key()).toBe(before);
  });

  it('refuses a file: tarball the lockfile does not pin, naming it, before npm runs; installs a matching one', async () => {
    const pin = (bytes: Buffer): string => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
    const tarred = Buffer.from([0x1f, 0x8b, 1, 2, 3]);
    await writeFile(join(dir, 'package-lock.json'), JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { dependencies: PKG.dependencies },
        'node_modules/tarred': { version: '1.0.0', resolved: 'file:vendor/tarred-1.0.0.tgz', integrity: pin(tarred) },
        'node_modules/folded': { resolved: 'local/folded', link: true },
      },
    }));
    // A stand-in for npm that lays out the packages (npm ci itself needs real tarballs).
    const fakeNpm = [process.execPath, '-e', `const fs = require('fs');
      for (const n of ['tarred', 'folded']) { fs.mkdirSync('node_modules/' + n, { recursive: true }); fs.writeFileSync('node_modules/' + n + '/package.json', '{}'); }`];
    const deps = new BundleDeps({ folder: join(dir, 'deps'), npm: fakeNpm });
    const lines: string[] = [];
    expect(await deps.ensure(dir, (await key())!, (l) => lines.push(l))).toBe(join(dir, 'deps', (await key())!, 'node_modules'));

    await writeFile(join(dir, 'vendor', 'tarred-1.0.0.tgz'), Buffer.from([0x1f, 0x8b, 1, 2, 4]));
    const changed = (await key())!;
    lines.length = 0;
    await expect(deps.ensure(dir, changed, (l) => lines.push(l)))
      .rejects.toThrow(/dependency install failed: package 'tarred': the tarball vendor\/tarred-1\.0\.0\.tgz is not the one package-lock\.json was made with .*run npm install/);
    expect(lines.some((l) => l.includes('npm ci'))).toBe(false);
  });

  it('is null without a package-lock.json', async () => {
    await rm(join(dir, 'package-lock.json'));
    expect(await key()).toBeNull();
  });
});
