/**
 * Task working directories (pure unit test on a real disk): a directory a task left empty is kept
 * for a later task, one it left something in is removed, also when the emptiness of the kept one
 * is read from its mtime (found empty long enough after it) instead of from a listing.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@updraft/core';
import { WorkDirs } from '../../packages/worker/src/executor/work-dirs.js';
import type { TaskIdentity } from '../../packages/worker/src/identity.js';

const me: TaskIdentity = { uid: process.getuid!(), gid: process.getgid!(), user: 'me', home: '/', switches: false };
let root: string;
let dirs: WorkDirs;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'updraft-workdirs-'));
  dirs = new WorkDirs(root, silentLogger);
});

afterEach(async () => {
  await dirs.close();
  await rm(root, { recursive: true, force: true });
});

/** Takes directories until `dir` comes back (kept ones go last, after the spares); all others are released empty. */
async function takeUntil(dir: string): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const d = await dirs.take(me);
    if (d === dir) return;
    dirs.release(d, me);
    await dirs.settled();
  }
  throw new Error(`${dir} did not come back`);
}

describe('task working directories', () => {
  it('keep an empty one for a later task and remove one with something left in it, whether or not its mtime is trusted', async () => {
    const d = await dirs.take(me);
    // Found empty at once: its mtime is too recent to trust, the listing decides.
    dirs.release(d, me);
    await dirs.settled();
    expect(existsSync(d)).toBe(true);
    // Old enough now: the next time it is found empty, its mtime is trusted from then on.
    const past = new Date(Date.now() - 10_000);
    await utimes(d, past, past);
    await takeUntil(d);
    dirs.release(d, me);
    await dirs.settled();
    expect(existsSync(d)).toBe(true);
    // Taken again with a trusted mtime; the task leaves a file: the mtime moves, the listing sees it.
    await takeUntil(d);
    await writeFile(join(d, 'left-behind.txt'), 'x');
    dirs.release(d, me);
    await dirs.settled();
    expect(existsSync(d)).toBe(false);
  });

  it('remove one whose mode the task changed', async () => {
    const d = await dirs.take(me);
    await chmod(d, 0o755);
    dirs.release(d, me);
    await dirs.settled();
    expect(existsSync(d)).toBe(false);
  });
});
