/**
 * GitBundleSource against real git repositories in a temp folder: fetch then checkout brings the
 * working tree to the branch head (the subdir is the DAGs folder); a fetch that fails changes
 * nothing (the last good commit stays checked out), names the bundle and git's reason, and never
 * shows credentials; a folder that is not a clone is left alone.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitBundleSource, isUpdraftError, parseDagsBundle, type GitBundleSpec } from '@updraft/core';
import { createGitRemote, git, type GitRemote } from '../harness/index.js';

let dir: string;
let repo: GitRemote;
let remote: string;
let work: string;

function spec(value: string): GitBundleSpec {
  const parsed = parseDagsBundle(value);
  if (!parsed.ok || parsed.spec.kind !== 'git') throw new Error(`not a git bundle: ${value}`);
  return parsed.spec;
}

function commit(file: string, text: string): string {
  mkdirSync(join(work, 'dags'), { recursive: true });
  writeFileSync(join(work, 'dags', file), text);
  return repo.commitAndPush(`${file}: ${text}`);
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    expect(isUpdraftError(err, 'GIT_ERROR')).toBe(true);
    return err as Error;
  }
  throw new Error('expected a GIT_ERROR');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'updraft-git-source-'));
  repo = createGitRemote(dir);
  ({ remote, work } = repo);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GitBundleSource', () => {
  it('checks out the fetched head; a failed fetch keeps the last good commit', async () => {
    const a = commit('a.ts', 'export const v = 1;\n');
    const source = new GitBundleSource({ spec: spec(`git:file://${remote}#main:dags`), folder: join(dir, 'clone') });
    expect(source.dagsFolder).toBe(join(dir, 'clone', 'dags'));
    expect(await source.fetch()).toBe(a);
    expect(await source.checkout()).toBe(a);
    expect(readFileSync(join(source.dagsFolder, 'a.ts'), 'utf8')).toBe('export const v = 1;\n');

    // A fetched commit is checked out only by checkout() (the scan's step), and files it drops go.
    git(work, 'rm', '-q', 'dags/a.ts');
    const b = commit('b.ts', 'export const v = 2;\n');
    expect(await source.fetch()).toBe(b);
    expect(existsSync(join(source.dagsFolder, 'a.ts'))).toBe(true);
    expect(await source.checkout()).toBe(b);
    expect([existsSync(join(source.dagsFolder, 'a.ts')), existsSync(join(source.dagsFolder, 'b.ts'))]).toEqual([false, true]);

    // Unreachable, then a branch that does not exist: the tree stays at b.
    const gone = new GitBundleSource({ spec: spec(`git:file://${dir}/nope.git#main:dags`), folder: join(dir, 'clone') });
    expect((await failure(gone.fetch())).message).toMatch(new RegExp(`^DAG bundle git:file://${dir}/nope.git#main:dags: git fetch failed: .*does not appear to be a git repository`));
    expect(await gone.checkout()).toBe(b);
    const branch = new GitBundleSource({ spec: spec(`git:file://${remote}#release:dags`), folder: join(dir, 'clone') });
    expect((await failure(branch.fetch())).message).toContain("couldn't find remote ref refs/heads/release");
    const subdir = new GitBundleSource({ spec: spec(`git:file://${remote}#main:missing`), folder: join(dir, 'clone') });
    expect((await failure(subdir.fetch())).message).toContain(`commit ${b} has no folder missing`);
    expect(await subdir.checkout()).toBe(b);
  });

  it('never shows the credentials of the URL, nor stores them in the clone', async () => {
    // A port nothing listens on: the fetch fails at once, with git's message quoting the URL.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const source = new GitBundleSource({ spec: spec(`git:https://bob:s3cret@127.0.0.1:${port}/org/dags.git#main`), folder: join(dir, 'clone-creds') });
    const err = await failure(source.fetch());
    expect(err.message).toContain(`DAG bundle git:https://***@127.0.0.1:${port}/org/dags.git#main: git fetch failed:`);
    expect(`${err.message} ${String(err.cause ?? '')}`).not.toMatch(/s3cret|bob/);
    const noCommit = await failure(source.checkout());
    expect(noCommit.message).toContain('no commit fetched yet');
    expect(noCommit.message).not.toMatch(/s3cret|bob/);
    expect(readFileSync(join(dir, 'clone-creds', '.git', 'config'), 'utf8')).not.toContain('s3cret');
  });

  it('leaves a non-empty folder that is not a clone alone', async () => {
    const folder = join(dir, 'not-a-clone');
    mkdirSync(folder);
    writeFileSync(join(folder, 'keep.txt'), 'mine\n');
    const source = new GitBundleSource({ spec: spec(`git:file://${remote}#main`), folder });
    expect((await failure(source.fetch())).message).toContain('is not empty and not a git working tree');
    expect(readFileSync(join(folder, 'keep.txt'), 'utf8')).toBe('mine\n');
  });
});
