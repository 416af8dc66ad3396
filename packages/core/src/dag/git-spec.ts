/**
 * `core.dags_bundle`: where the DAG bundle comes from. Empty is the local DAGs folder
 * (`core.dags_folder`); `git:<url>#<branch>[:<subdir>]` is the tree of a branch of a git
 * repository (optionally one folder of it), fetched by the scheduler. Pure: parsing and the
 * masking of credentials in URLs (which never reach logs, errors or `updraft config list`).
 */

export interface GitBundleSpec {
  /** The repository URL as written (it may hold credentials: show it through maskUrl only). */
  url: string;
  branch: string;
  /** Folder of the repository holding the DAGs, '/' separators, no leading or trailing '/'; '' is the root. */
  subdir: string;
}

export type DagsBundleSpec = { kind: 'folder' } | ({ kind: 'git' } & GitBundleSpec);

export type DagsBundleParse = { ok: true; spec: DagsBundleSpec } | { ok: false; problem: string };

/** URL schemes git may use for a bundle (others, such as `ext::`, could run commands). */
export const GIT_URL_SCHEMES: readonly string[] = ['file', 'https', 'http', 'ssh', 'git'];

export const DAGS_BUNDLE_FORM = 'empty (the DAGs folder) or git:<url>#<branch>[:<subdir>], e.g. git:https://github.com/org/dags.git#main:dags';

/** `user:password@` and `user@` of a URL replaced by `***@` (scp-like `user@host:path` too). */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}

/** Every URL with credentials in `text` masked (git quotes the URL in its messages). */
export function maskUrlsIn(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s'"]*@/gi, '$1***@');
}

// eslint-disable-next-line no-control-regex -- control characters are what these refuse
const CONTROL = /[\x00-\x1f\x7f]/;

/** A branch name git accepts as a ref (the rules of git check-ref-format, for one branch). */
function branchProblem(branch: string): string | undefined {
  if (branch === '') return 'the branch after # is empty';
  if (branch.startsWith('-')) return `branch "${branch}" starts with -`;
  if (/[\s~^:?*[\\]/.test(branch) || CONTROL.test(branch) || branch.includes('..') || branch.includes('@{')
    || branch.startsWith('/') || branch.endsWith('/') || branch.endsWith('.') || branch.endsWith('.lock')
    || branch.includes('//') || branch.split('/').some((part) => part.startsWith('.'))) {
    return `"${branch}" is not a valid branch name`;
  }
  return undefined;
}

function subdirProblem(subdir: string): string | undefined {
  if (subdir.startsWith('/')) return `subdir "${subdir}" must be relative to the repository root`;
  if (subdir.split('/').some((part) => part === '..' || part === '.')) return `subdir "${subdir}" may not hold . or .. segments`;
  if (CONTROL.test(subdir) || subdir.includes('\\')) return `subdir "${subdir}" holds a control character or backslash`;
  return undefined;
}

function urlProblem(url: string): string | undefined {
  if (url === '') return 'the URL is empty';
  if (url.startsWith('-')) return 'the URL starts with -';
  if (/\s/.test(url)) return 'the URL holds a space';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!GIT_URL_SCHEMES.includes(scheme)) return `URL scheme ${scheme}:// is not one of ${GIT_URL_SCHEMES.map((s) => `${s}://`).join(', ')}`;
    if (scheme === 'file') return url.length > 'file://'.length ? undefined : 'the file:// URL names no path';
    try {
      new URL(url);
    } catch {
      return `"${maskUrl(url)}" is not a valid URL`;
    }
    return undefined;
  }
  // scp-like: [user@]host:path (what `git clone git@github.com:org/repo.git` takes).
  if (/^(?:[^@/:\s]+@)?[A-Za-z0-9.-]+:[^\s]+$/.test(url) && !url.includes('::')) return undefined;
  return `"${maskUrl(url)}" is neither a URL (${GIT_URL_SCHEMES.map((s) => `${s}://`).join(', ')}) nor user@host:path`;
}

/** Parses a `core.dags_bundle` value. */
export function parseDagsBundle(raw: string): DagsBundleParse {
  const text = raw.trim();
  if (text === '') return { ok: true, spec: { kind: 'folder' } };
  const fail = (problem: string): DagsBundleParse => ({ ok: false, problem: `${DAGS_BUNDLE_FORM} (${problem})` });
  if (!text.startsWith('git:')) return fail('only git: bundles are supported');
  const rest = text.slice('git:'.length);
  const hash = rest.lastIndexOf('#');
  if (hash < 0) return fail('missing #<branch> after the URL');
  const url = rest.slice(0, hash);
  const ref = rest.slice(hash + 1);
  const colon = ref.indexOf(':'); // git forbids ':' in branch names: the first one starts the subdir
  const branch = colon < 0 ? ref : ref.slice(0, colon);
  const subdir = (colon < 0 ? '' : ref.slice(colon + 1)).replace(/\/+$/, '');
  const problem = urlProblem(url) ?? branchProblem(branch) ?? subdirProblem(subdir);
  if (problem !== undefined) return fail(problem);
  return { ok: true, spec: { kind: 'git', url, branch, subdir } };
}

/** How a spec is shown in logs and messages: credentials masked. */
export function describeDagsBundle(spec: DagsBundleSpec): string {
  if (spec.kind === 'folder') return 'the DAGs folder';
  return `git:${maskUrl(spec.url)}#${spec.branch}${spec.subdir === '' ? '' : `:${spec.subdir}`}`;
}
