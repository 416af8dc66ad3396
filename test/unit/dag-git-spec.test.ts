/** `core.dags_bundle`: the git:<url>#<branch>[:<subdir>] form, its config errors, and credentials masked everywhere. */
import { describe, expect, it } from 'vitest';
import { isUpdraftError, listOptions, loadConfig, maskUrl, maskUrlsIn, parseDagsBundle } from '@updraft/core';

function configError(value: string): string {
  try {
    loadConfig({ cwd: '/', env: { UPDRAFT__CORE__DAGS_BUNDLE: value } });
  } catch (err) {
    expect(isUpdraftError(err, 'CONFIG_INVALID')).toBe(true);
    return (err as Error).message;
  }
  throw new Error(`expected core.dags_bundle = ${value} to be refused`);
}

describe('parseDagsBundle', () => {
  it('reads empty as the DAGs folder and git:<url>#<branch>[:<subdir>] as a git branch', () => {
    expect(parseDagsBundle('')).toEqual({ ok: true, spec: { kind: 'folder' } });
    expect(parseDagsBundle('git:file:///srv/dags.git#main:dags')).toEqual({ ok: true, spec: { kind: 'git', url: 'file:///srv/dags.git', branch: 'main', subdir: 'dags' } });
    expect(parseDagsBundle('git:https://github.com/org/repo.git#release/2026')).toEqual(
      { ok: true, spec: { kind: 'git', url: 'https://github.com/org/repo.git', branch: 'release/2026', subdir: '' } });
    expect(parseDagsBundle('git:git@github.com:org/repo.git#main:a/b/')).toEqual(
      { ok: true, spec: { kind: 'git', url: 'git@github.com:org/repo.git', branch: 'main', subdir: 'a/b' } });
  });

  it.each([
    ['/srv/dags', /only git: bundles/],
    ['git:file:///srv/dags.git', /missing #<branch>/],
    ['git:file:///srv/dags.git#', /branch after # is empty/],
    ['git:file:///srv/dags.git#ma..in', /not a valid branch name/],
    ['git:file:///srv/dags.git#-x', /starts with -/],
    ['git:file:///srv/dags.git#main:../up', /\.\. segments/],
    ['git:file:///srv/dags.git#main:/abs', /relative to the repository root/],
    ['git:ext::sh -c touch% /tmp/pwned#main', /holds a space|neither a URL/],
    ['git:ftp://host/repo.git#main', /ftp:\/\/ is not one of/],
    ['git:--upload-pack=touch#main', /starts with -/],
  ])('refuses %s', (value, problem) => {
    const r = parseDagsBundle(value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(problem);
  });

  it('is a config error naming the option and what is wrong, without echoing the value', () => {
    const message = configError('git:https://bob:s3cret@example.com/repo.git');
    expect(message).toMatch(/core\.dags_bundle \(env UPDRAFT__CORE__DAGS_BUNDLE\): expected .*git:<url>#<branch>\[:<subdir>\].*missing #<branch>/);
    expect(message).not.toContain('s3cret');
  });
});

describe('credentials in URLs', () => {
  it('are masked in URLs, in messages quoting them and in `updraft config list`', () => {
    expect(maskUrl('https://bob:s3cret@example.com/repo.git')).toBe('https://***@example.com/repo.git');
    expect(maskUrl('https://token@example.com/repo.git')).toBe('https://***@example.com/repo.git');
    expect(maskUrl('file:///srv/dags.git')).toBe('file:///srv/dags.git');
    expect(maskUrlsIn("fatal: unable to access 'https://bob:s3cret@example.com/repo.git/': refused")).toBe("fatal: unable to access 'https://***@example.com/repo.git/': refused");
    const cfg = loadConfig({ cwd: '/', env: { UPDRAFT__CORE__DAGS_BUNDLE: 'git:https://bob:s3cret@example.com/repo.git#main' } });
    expect(cfg.core.dagsBundle).toBe('git:https://bob:s3cret@example.com/repo.git#main');
    expect(listOptions(cfg).find((r) => r.key === 'dags_bundle')?.value).toBe('git:https://***@example.com/repo.git#main');
  });
});
