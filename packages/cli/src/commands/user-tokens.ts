/**
 * `updraft users token create | list | revoke`: API tokens for scripts (`Authorization: Bearer
 * updraft_...` on the webserver and the monitor), bound to a user and its role. The token is
 * printed once; only its hash is stored. Revoking one refuses it at once.
 */
import type { Command } from 'commander';
import { apiTokensSql, assertIdentifier, newApiToken, parseDurationMs, UpdraftError } from '@updraft/core';
import { formatInstant, formatTable, oneOf } from '../output.js';
import { withDatabase } from './runs.js';
import { recordCliEvents } from '../cli-events.js';

function tokenName(value: string): string {
  assertIdentifier('pool', value, 'token name');
  return value;
}

function expiry(value: string | undefined): Date | null {
  if (value === undefined || value === 'never') return null;
  const ms = parseDurationMs(value);
  if (ms === undefined || ms <= 0) throw new UpdraftError('INVALID_ARGUMENT', `--expires must be a duration such as 30d, 12h or 90m, or never; got '${value}'`);
  return new Date(Date.now() + ms);
}

async function create(command: Command, name: string, o: { username: string; expires?: string }): Promise<void> {
  const expiresAt = expiry(o.expires);
  const { token, hash } = newApiToken();
  await withDatabase(command, async (db) => {
    const row = await apiTokensSql.createApiToken(db.pool, { username: o.username, name, tokenHash: hash, expiresAt });
    if (row === null) {
      throw new UpdraftError('INVALID_ARGUMENT', `user '${o.username}' does not exist or already has a token named '${name}' (see \`updraft users token list\`)`);
    }
    await recordCliEvents(db.pool, [{ event: 'api_token.create', extra: { username: o.username, name } }]);
    process.stderr.write(`API token '${name}' of '${o.username}' (${expiresAt === null ? 'never expires' : `expires ${formatInstant(expiresAt)}`}); shown only now:\n`);
    process.stdout.write(`${token}\n`);
  });
}

async function list(command: Command, o: { username?: string; output: 'table' | 'json' }): Promise<void> {
  await withDatabase(command, async (db) => {
    const tokens = await apiTokensSql.listApiTokens(db.pool, o.username ?? null);
    if (o.output === 'json') {
      process.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
      return;
    }
    const state = (t: apiTokensSql.ApiTokenRow): string =>
      t.revokedAt !== null ? 'revoked' : t.expiresAt !== null && t.expiresAt <= new Date() ? 'expired' : 'active';
    process.stdout.write(tokens.length === 0 ? 'no API tokens\n' : `${formatTable([
      ['USERNAME', 'NAME', 'STATE', 'CREATED', 'EXPIRES', 'LAST_USED'],
      ...tokens.map((t) => [t.username, t.name, state(t), formatInstant(t.createdAt), t.expiresAt === null ? 'never' : formatInstant(t.expiresAt), formatInstant(t.lastUsed)]),
    ])}\n`);
  });
}

async function revoke(command: Command, name: string, o: { username: string }): Promise<void> {
  await withDatabase(command, async (db) => {
    if (!(await apiTokensSql.revokeApiToken(db.pool, o.username, name))) {
      throw new UpdraftError('INVALID_ARGUMENT', `user '${o.username}' has no active token named '${name}'`);
    }
    await recordCliEvents(db.pool, [{ event: 'api_token.revoke', extra: { username: o.username, name } }]);
    process.stdout.write(`API token '${name}' of '${o.username}' revoked: it is refused from now on\n`);
  });
}

export function registerTokens(users: Command, checkUsername: (u: string) => string): void {
  const tokens = users.command('token').description('API tokens for scripts: create, list, revoke (Authorization: Bearer <token>)');
  tokens.command('create')
    .description('create an API token for a user and print it (once)')
    .argument('<name>', 'a name for the token (e.g. the script using it)', tokenName)
    .requiredOption('-u, --username <name>', 'whose token (it acts with this user\'s role)', checkUsername)
    .option('--expires <duration>', 'lifetime, such as 30d, 12h (default: never)')
    .action((name: string, o: { username: string; expires?: string }, command: Command) => create(command, name, o));
  tokens.command('list')
    .description('API tokens (never the tokens themselves): user, name, state, created, expires, last used')
    .option('-u, --username <name>', 'only this user\'s', checkUsername)
    .option('-o, --output <format>', 'table or json', oneOf('--output', ['table', 'json'] as const), 'table')
    .action((o: { username?: string; output: 'table' | 'json' }, command: Command) => list(command, o));
  tokens.command('revoke')
    .description('revoke an API token: refused at once')
    .argument('<name>', 'the token\'s name', tokenName)
    .requiredOption('-u, --username <name>', 'whose token', checkUsername)
    .action((name: string, o: { username: string }, command: Command) => revoke(command, name, o));
}
