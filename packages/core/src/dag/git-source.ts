/**
 * A git branch as the DAG bundle's folder: the scheduler keeps one working tree in
 * `core.dags_bundle_git_folder`, fetches the branch (fetch(), network, on an interval and on
 * `updraft dags refresh`) and checks the fetched commit out right before a DAG-folder scan reads
 * the tree (checkout(), local; the DAG processor calls it one scan at a time), so a scan never
 * reads a tree being replaced by a fetch. A failed fetch changes nothing: the last good commit
 * stays checked out and current.
 *
 * The `git` binary runs through execFile (no shell) and never prompts (GIT_TERMINAL_PROMPT=0, no
 * askpass, SSH in batch mode). The URL is given to each fetch and never stored in the clone's
 * config, and credentials in it are masked in every message.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UpdraftError } from '../errors.js';
import { describeDagsBundle, maskUrl, maskUrlsIn, type GitBundleSpec } from './git-spec.js';

export interface GitBundleSourceOptions {
  spec: GitBundleSpec;
  /** The working folder of the clone (core.dags_bundle_git_folder). */
  folder: string;
  /** Longest time one git command may take. Default 120000 ms. */
  timeoutMs?: number;
}

const REMOTE_REF = (branch: string): string => `refs/remotes/origin/${branch}`;

export class GitBundleSource {
  /** The spec as shown in logs and messages (credentials masked). */
  readonly description: string;
  /** Root of the working tree. */
  readonly repo: string;
  /** The folder the DAG processor reads: the working tree, or its subdir. */
  readonly dagsFolder: string;
  private readonly spec: GitBundleSpec;
  private readonly timeoutMs: number;
  /** The commit of the last successful fetch. */
  private fetched: string | undefined;
  private lastFetchError: Error | undefined;
  private fetching: Promise<unknown> = Promise.resolve();

  constructor(o: GitBundleSourceOptions) {
    this.spec = o.spec;
    this.description = describeDagsBundle({ kind: 'git', ...o.spec });
    this.repo = resolve(o.folder);
    this.dagsFolder = o.spec.subdir === '' ? this.repo : join(this.repo, ...o.spec.subdir.split('/'));
    this.timeoutMs = o.timeoutMs ?? 120_000;
  }

  /**
   * Fetches the branch (one fetch at a time) and resolves with its head commit, which the next
   * checkout() checks out. Throws a GIT_ERROR naming the bundle and git's message (masked).
   */
  fetch(): Promise<string> {
    const run = this.fetching.then(() => this.fetchOnce());
    this.fetching = run.catch(() => undefined);
    return run;
  }

  private async fetchOnce(): Promise<string> {
    try {
      await this.ensureRepo();
      const ref = REMOTE_REF(this.spec.branch);
      await this.git(['fetch', '--quiet', '--no-tags', '--depth=1', '--', this.spec.url, `+refs/heads/${this.spec.branch}:${ref}`], 'fetch');
      const commit = (await this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], 'rev-parse')).trim();
      if (this.spec.subdir !== '') {
        const type = (await this.git(['cat-file', '-t', `${commit}:${this.spec.subdir}`], 'cat-file').catch(() => '')).trim();
        if (type !== 'tree') {
          throw new UpdraftError('GIT_ERROR', `DAG bundle ${this.description}: commit ${commit} has no folder ${this.spec.subdir} (core.dags_bundle)`);
        }
      }
      this.fetched = commit;
      this.lastFetchError = undefined;
      return commit;
    } catch (err) {
      this.lastFetchError = err as Error;
      throw err;
    }
  }

  /**
   * Checks out the commit of the last successful fetch if the working tree holds another, and
   * resolves with the commit checked out. Before any successful fetch (e.g. the repository is
   * unreachable right after a restart) the tree stays at the last good commit; with none, this
   * throws, naming why the last fetch failed.
   */
  async checkout(): Promise<string> {
    const head = existsSync(join(this.repo, '.git')) ? (await this.git(['rev-parse', '--verify', '--quiet', 'HEAD'], 'rev-parse').catch(() => '')).trim() : '';
    const target = this.fetched ?? head;
    if (target === '') {
      throw new UpdraftError('GIT_ERROR', `DAG bundle ${this.description}: no commit fetched yet${this.lastFetchError ? `: ${this.lastFetchError.message}` : ''}`,
        { cause: this.lastFetchError });
    }
    if (target !== head) {
      await this.git(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', '--force', '--detach', target], 'checkout');
      // Files of the previous commit that the new one no longer tracks (ignored files, such as an installed node_modules, stay).
      await this.git(['clean', '-ffdq'], 'clean');
    }
    return target;
  }

  /** A new working folder gets an empty repository; an existing non-empty folder that is not one is left alone (an error). */
  private async ensureRepo(): Promise<void> {
    if (existsSync(join(this.repo, '.git'))) return;
    if (existsSync(this.repo) && readdirSync(this.repo).length > 0) {
      throw new UpdraftError('GIT_ERROR', `DAG bundle ${this.description}: ${this.repo} (core.dags_bundle_git_folder) is not empty and not a git working tree; point the option at an empty or new folder`);
    }
    mkdirSync(this.repo, { recursive: true });
    await this.git(['init', '--quiet'], 'init');
  }

  /** Runs git in the working tree; resolves with its stdout; a failure is a GIT_ERROR with git's message, credentials masked. */
  private git(args: string[], what: string): Promise<string> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GIT_TERMINAL_PROMPT: '0',
      GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
      LC_ALL: 'C',
    };
    delete env.GIT_ASKPASS;
    delete env.SSH_ASKPASS;
    return new Promise((resolveRun, reject) => {
      execFile('git', ['-C', this.repo, '-c', 'credential.interactive=never', ...args],
        { env, timeout: this.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
        (err, stdout, stderr) => {
          if (!err) {
            resolveRun(stdout);
            return;
          }
          const timedOut = (err as { killed?: boolean }).killed === true;
          const missing = (err as { code?: unknown }).code === 'ENOENT';
          // git's message on one line (it spreads hints over several).
          const said = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ');
          const detail = timedOut ? `timed out after ${this.timeoutMs} ms`
            : missing ? 'the git binary is not installed (or not on PATH)' : this.mask(said || err.message);
          reject(new UpdraftError('GIT_ERROR', `DAG bundle ${this.description}: git ${what} failed: ${detail}`));
        });
    });
  }

  private mask(text: string): string {
    return maskUrlsIn(text.split(this.spec.url).join(maskUrl(this.spec.url)));
  }
}
