/**
 * A git remote for tests of DAG bundles from git: a bare repository and a working clone that
 * commits and pushes to its `main` branch, in a folder of the caller's. Git runs without a shell
 * and never prompts.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs git in `cwd`; its trimmed output. */
export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }).trim();

export interface GitRemote {
  /** The bare repository (its path; `file://` + it is the URL). */
  remote: string;
  /** The working clone whose commits `commitAndPush` sends. */
  work: string;
  /** Commits everything in the working clone, pushes it to main; resolves with the commit. */
  commitAndPush(message: string): string;
}

export function createGitRemote(dir: string): GitRemote {
  const remote = join(dir, 'remote.git');
  const work = join(dir, 'work');
  git(dir, 'init', '-q', '--bare', '-b', 'main', remote);
  git(dir, 'init', '-q', '-b', 'main', work);
  git(work, 'config', 'user.email', 'dev@example.com');
  git(work, 'config', 'user.name', 'Dev');
  git(work, 'remote', 'add', 'origin', remote);
  return {
    remote,
    work,
    commitAndPush(message) {
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '-m', message);
      git(work, 'push', '-q', 'origin', 'HEAD:main');
      return git(work, 'rev-parse', 'HEAD');
    },
  };
}
