/**
 * `updraft users create | list | delete | reset-password | set-role | token` (Airflow's flags): the people
 * and scripts that use the webserver, each with one role (Admin, Op, User, Viewer; see
 * docs/security.md). Passwords are stored as argon2id hashes.
 */
import type { Command } from 'commander';
import { assertText, hashPassword, ROLES, UpdraftError, usersSql, type Role } from '@updraft/core';
import { formatInstant, formatTable, oneOf } from '../output.js';
import { passwordFrom } from '../passwords.js';
import { withDatabase } from './runs.js';
import { registerTokens } from './user-tokens.js';
import { recordCliEvents } from '../cli-events.js';

const roleArg = oneOf<Role>('--role', ROLES);
const checkUsername = (u: string): string => {
  assertText(u, '--username', { maxLength: 256 });
  if (/[\s:]/.test(u)) throw new UpdraftError('INVALID_ARGUMENT', `--username '${u}' is not valid: it must not contain whitespace or ':'`);
  return u;
};

interface CreateOptions {
  username: string; password?: string; passwordStdin?: boolean; role: Role; email?: string; firstname?: string; lastname?: string;
}

async function create(command: Command, o: CreateOptions): Promise<void> {
  const username = checkUsername(o.username);
  const password = await passwordFrom(o);
  const passwordHash = await hashPassword(password);
  await withDatabase(command, async (db) => {
    const user = await usersSql.createUser(db.pool, {
      username, role: o.role, passwordHash,
      email: o.email === undefined ? null : assertText(o.email, '--email', { maxLength: 256 }),
      firstName: assertText(o.firstname ?? '', '--firstname', { maxLength: 256, allowEmpty: true }),
      lastName: assertText(o.lastname ?? '', '--lastname', { maxLength: 256, allowEmpty: true }),
    });
    if (user === null) throw new UpdraftError('ALREADY_EXISTS', `user '${username}' already exists`);
    await recordCliEvents(db.pool, [{ event: 'user.create', extra: { username, role: o.role } }]);
    process.stdout.write(`User '${username}' created with role ${o.role}\n`);
  });
}

async function list(command: Command, o: { output: 'table' | 'json' }): Promise<void> {
  await withDatabase(command, async (db) => {
    const { rows } = await usersSql.listUsers(db.pool);
    if (o.output === 'json') {
      process.stdout.write(`${JSON.stringify(rows.map((u) => ({
        id: Number(u.id), username: u.username, email: u.email, first_name: u.firstName, last_name: u.lastName, role: u.role,
        active: u.active, created_on: u.createdAt, last_login: u.lastLogin,
      })), null, 2)}\n`);
      return;
    }
    process.stdout.write(`${formatTable([
      ['ID', 'USERNAME', 'EMAIL', 'FIRST NAME', 'LAST NAME', 'ROLE', 'LAST LOGIN'],
      ...rows.map((u) => [u.id, u.username, u.email ?? '', u.firstName, u.lastName, u.role, formatInstant(u.lastLogin)]),
    ])}\n`);
  });
}

async function remove(command: Command, o: { username: string }): Promise<void> {
  await withDatabase(command, async (db) => {
    if (!(await usersSql.deleteUser(db.pool, o.username))) throw new UpdraftError('INVALID_ARGUMENT', `user '${o.username}' does not exist`);
    await recordCliEvents(db.pool, [{ event: 'user.delete', extra: { username: o.username } }]);
    process.stdout.write(`User '${o.username}' deleted\n`);
  });
}

async function resetPassword(command: Command, o: { username: string; password?: string; passwordStdin?: boolean }): Promise<void> {
  const passwordHash = await hashPassword(await passwordFrom(o));
  await withDatabase(command, async (db) => {
    if (!(await usersSql.setUserPassword(db.pool, o.username, passwordHash))) throw new UpdraftError('INVALID_ARGUMENT', `user '${o.username}' does not exist`);
    await recordCliEvents(db.pool, [{ event: 'user.reset_password', extra: { username: o.username } }]);
    process.stdout.write(`Password of '${o.username}' changed (its sessions are ended)\n`);
  });
}

async function setRole(command: Command, o: { username: string; role: Role }): Promise<void> {
  await withDatabase(command, async (db) => {
    if (!(await usersSql.setUserRole(db.pool, o.username, o.role))) throw new UpdraftError('INVALID_ARGUMENT', `user '${o.username}' does not exist`);
    await recordCliEvents(db.pool, [{ event: 'user.set_role', extra: { username: o.username, role: o.role } }]);
    process.stdout.write(`User '${o.username}' now has role ${o.role}\n`);
  });
}

export function register(program: Command): void {
  const users = program.command('users').description('users of the webserver and their roles (Admin, Op, User, Viewer)');
  users.command('create')
    .description('create a user (without --password or --password-stdin: prompts)')
    .requiredOption('-u, --username <name>', 'login name')
    .requiredOption('-r, --role <role>', `one of ${ROLES.join(', ')}`, roleArg)
    .option('-p, --password <password>', 'the password (visible in the process list: prefer --password-stdin)')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .option('-e, --email <email>', 'email address')
    .option('-f, --firstname <name>', 'first name')
    .option('-l, --lastname <name>', 'last name')
    .action((o: CreateOptions, command: Command) => create(command, o));
  users.command('list')
    .description('list users')
    .option('-o, --output <format>', 'table or json', oneOf('--output', ['table', 'json'] as const), 'table')
    .action((o: { output: 'table' | 'json' }, command: Command) => list(command, o));
  users.command('delete')
    .description('delete a user (its sessions and API tokens go with it)')
    .requiredOption('-u, --username <name>', 'login name')
    .action((o: { username: string }, command: Command) => remove(command, o));
  users.command('reset-password')
    .description('set a new password (ends the user\'s sessions)')
    .requiredOption('-u, --username <name>', 'login name')
    .option('-p, --password <password>', 'the new password')
    .option('--password-stdin', 'read the new password from the first line of standard input')
    .action((o: { username: string; password?: string; passwordStdin?: boolean }, command: Command) => resetPassword(command, o));
  users.command('set-role')
    .description('give a user another role')
    .requiredOption('-u, --username <name>', 'login name')
    .requiredOption('-r, --role <role>', `one of ${ROLES.join(', ')}`, roleArg)
    .action((o: { username: string; role: Role }, command: Command) => setRole(command, o));
  registerTokens(users, checkUsername);
}
