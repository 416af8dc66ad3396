/**
 * Who task processes run as: umask parsing and uid/gid resolution of `worker.run_as_user` /
 * `worker.run_as_group` (names or numeric ids), plus the check that the worker can switch to them.
 * Names are looked up in /etc/passwd and /etc/group first, then through `getent` (NSS: LDAP, sssd).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UpdraftError } from '@updraft/core';

/** The OS identity of task processes. */
export interface TaskIdentity {
  uid: number;
  gid: number;
  /** User name (USER / LOGNAME of the task); the uid as text when it has no passwd entry. */
  user: string;
  /** Home directory (HOME of the task); `/` when the user has no passwd entry. */
  home: string;
  /** True when task processes must be spawned with another uid/gid than the worker's own. */
  switches: boolean;
}

export interface IdentityRequest {
  /** User name or numeric uid; undefined/empty = the worker's own user. */
  runAsUser?: string | number | undefined;
  /** Group name or numeric gid; undefined/empty = the run-as user's primary group. */
  runAsGroup?: string | number | undefined;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

interface GroupEntry {
  name: string;
  gid: number;
}

/** Parses an octal umask ('0022', '022', '0002', '0077'); `what` names the setting in errors. */
export function parseUmask(value: string, what = 'worker.umask'): number {
  const text = value.trim();
  if (!/^[0-7]{1,4}$/.test(text)) {
    throw new UpdraftError('CONFIG_INVALID', `${what}: ${JSON.stringify(value)} is not an octal umask like 0022 or 0002`);
  }
  const mask = parseInt(text, 8);
  if (mask > 0o777) {
    throw new UpdraftError('CONFIG_INVALID', `${what}: ${JSON.stringify(value)} is out of range (0000..0777)`);
  }
  return mask;
}

/** A umask as the 4-digit octal string the protocol uses ("0022"). */
export function formatUmask(mask: number): string {
  return mask.toString(8).padStart(4, '0');
}

function readColonFile(path: string): string[][] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split(':'));
  } catch {
    return [];
  }
}

function getent(database: 'passwd' | 'group', key: string): string[] | undefined {
  try {
    const out = execFileSync('getent', [database, key], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const line = out.split('\n')[0];
    return line ? line.split(':') : undefined;
  } catch {
    return undefined;
  }
}

function toPasswd(fields: string[]): PasswdEntry | undefined {
  const [name, , uid, gid, , home] = fields;
  if (name === undefined || uid === undefined || gid === undefined) return undefined;
  return { name, uid: Number(uid), gid: Number(gid), home: home || '/' };
}

function toGroup(fields: string[]): GroupEntry | undefined {
  const [name, , gid] = fields;
  if (name === undefined || gid === undefined) return undefined;
  return { name, gid: Number(gid) };
}

function isNumericId(value: string): boolean {
  return /^\d+$/.test(value);
}

/** The passwd entry of a user name or uid, or undefined when there is none. */
export function lookupUser(nameOrId: string): PasswdEntry | undefined {
  const byId = isNumericId(nameOrId);
  const match = readColonFile('/etc/passwd').find((f) => (byId ? f[2] === nameOrId : f[0] === nameOrId));
  const fields = match ?? getent('passwd', nameOrId);
  return fields ? toPasswd(fields) : undefined;
}

/** The group entry of a group name or gid, or undefined when there is none. */
export function lookupGroup(nameOrId: string): GroupEntry | undefined {
  const byId = isNumericId(nameOrId);
  const match = readColonFile('/etc/group').find((f) => (byId ? f[2] === nameOrId : f[0] === nameOrId));
  const fields = match ?? getent('group', nameOrId);
  return fields ? toGroup(fields) : undefined;
}

function currentUid(): number {
  return process.geteuid?.() ?? 0;
}

function currentGid(): number {
  return process.getegid?.() ?? 0;
}

function text(value: string | number | undefined): string {
  return value === undefined ? '' : String(value).trim();
}

/**
 * Resolves run-as user/group to ids. Unknown names are a CONFIG_INVALID error naming the setting;
 * numeric ids without a passwd entry are allowed (HOME is then `/`).
 */
export function resolveIdentity(req: IdentityRequest, what = 'worker'): TaskIdentity {
  const userText = text(req.runAsUser);
  const groupText = text(req.runAsGroup);
  let uid = currentUid();
  let entry = lookupUser(String(uid));
  if (userText !== '') {
    entry = lookupUser(userText);
    if (!entry && !isNumericId(userText)) {
      throw new UpdraftError(
        'CONFIG_INVALID',
        `${what}.run_as_user: no user named ${JSON.stringify(userText)} on this host (checked /etc/passwd and getent); ` +
          'create the user or give a numeric uid',
      );
    }
    uid = entry ? entry.uid : Number(userText);
  }
  let gid = userText !== '' ? (entry ? entry.gid : uid) : currentGid();
  if (groupText !== '') {
    const group = lookupGroup(groupText);
    if (!group && !isNumericId(groupText)) {
      throw new UpdraftError(
        'CONFIG_INVALID',
        `${what}.run_as_group: no group named ${JSON.stringify(groupText)} on this host (checked /etc/group and getent); ` +
          'create the group or give a numeric gid',
      );
    }
    gid = group ? group.gid : Number(groupText);
  }
  return {
    uid,
    gid,
    user: entry?.name ?? String(uid),
    home: entry?.home ?? '/',
    switches: uid !== currentUid() || gid !== currentGid(),
  };
}

/**
 * Refuses (WORKER_ERROR with what to fix) when task processes cannot be started as `identity`:
 * another uid/gid needs root, and the switch is tried once for real (containers may lack CAP_SETUID).
 */
export function assertCanSwitchTo(identity: TaskIdentity, what = 'worker'): void {
  if (!identity.switches) return;
  const me = currentUid();
  if (me !== 0) {
    throw new UpdraftError(
      'WORKER_ERROR',
      `${what}.run_as_user/run_as_group ask for uid ${identity.uid} gid ${identity.gid} (${identity.user}), ` +
        `but the worker runs as uid ${me} and is not root, so it cannot start task processes as another user. ` +
        `Fix: start the worker as root (it drops to ${identity.user} for every task), or unset ${what}.run_as_user ` +
        `and ${what}.run_as_group so tasks run as the worker's own user.`,
    );
  }
  const probe = spawnSync('/bin/sh', ['-c', 'exit 0'], { uid: identity.uid, gid: identity.gid, stdio: 'ignore', cwd: '/' });
  if (probe.error || probe.status !== 0) {
    throw new UpdraftError(
      'WORKER_ERROR',
      `${what}: cannot start a process as uid ${identity.uid} gid ${identity.gid} (${identity.user}): ` +
        `${probe.error?.message ?? `exit status ${probe.status}`}. Fix: give the worker the capability to switch users ` +
        '(CAP_SETUID/CAP_SETGID, e.g. run the container as root) or unset run_as_user/run_as_group.',
      { cause: probe.error },
    );
  }
}

/**
 * Refuses (WORKER_ERROR with what to fix) when a process running as `identity` cannot read `file`
 * (`setting` names the config key of its folder). Function tasks import their DAG file from the
 * DAG cache as the run-as user: a parent folder that user cannot search would otherwise surface
 * only at run time, as a bare "module not found" in every function task's log.
 */
export function assertCanReadAs(identity: TaskIdentity, file: string, setting: string): void {
  if (!identity.switches) return;
  const probe = spawnSync('/bin/sh', ['-c', 'test -r "$1"', 'updraft-read-check', file], {
    uid: identity.uid,
    gid: identity.gid,
    stdio: 'ignore',
    cwd: '/',
  });
  if (probe.error || probe.status !== 0) {
    const folder = dirname(file);
    throw new UpdraftError(
      'WORKER_ERROR',
      `task processes run as uid ${identity.uid} gid ${identity.gid} (${identity.user}) cannot read ${file} ` +
        `in ${folder} (${setting}), so they could not load their code. Fix: make every parent folder of ${folder} ` +
        `searchable by that user (chmod o+x), or set ${setting} to a folder whose parents are (e.g. /var/lib/updraft/...).`,
      { cause: probe.error },
    );
  }
}

/** Options to pass to child_process.spawn for this identity (none when no switch is needed). */
export function spawnIdentity(identity: TaskIdentity): { uid?: number; gid?: number } {
  return identity.switches ? { uid: identity.uid, gid: identity.gid } : {};
}

/** Stable key of an identity (runner processes are pooled per identity). */
export function identityKey(identity: TaskIdentity): string {
  return `${identity.uid}:${identity.gid}`;
}
