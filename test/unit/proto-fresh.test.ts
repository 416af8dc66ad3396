/**
 * The generated protocol code in packages/core/src/proto must match proto/: regenerate into a
 * scratch dir (tmp/ is gitignored) and compare file by file. Fix a failure with `npm run proto`.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const committed = join(root, 'packages/core/src/proto');
const scratch = `tmp/proto-fresh-${randomBytes(4).toString('hex')}`;

function filesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), readFileSync(path, 'utf8'));
  }
  return files;
}

describe('generated protocol code', () => {
  afterAll(() => {
    rmSync(join(root, scratch), { recursive: true, force: true });
    try {
      rmdirSync(join(root, 'tmp')); // only when nothing else is in it
    } catch {
      // not empty or already gone
    }
  });

  it('is up to date with proto/ (run `npm run proto` when this fails)', () => {
    execFileSync(process.execPath, ['scripts/gen-proto.mjs', scratch], { cwd: root, stdio: 'pipe' });
    const fresh = filesUnder(join(root, scratch));
    const current = filesUnder(committed);
    expect(fresh.size).toBeGreaterThan(0);
    expect([...current.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [path, text] of fresh) {
      expect(current.get(path), `packages/core/src/proto/${path} is stale: run npm run proto`).toBe(text);
    }
  });
});
