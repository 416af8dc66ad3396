/**
 * `updraft workers credentials create NAME | revoke NAME | list`: per-worker tokens. A token is
 * bound to the worker name (the worker must register as NAME) and stored as its hash; it is shown
 * once, at creation. Revoking takes effect at the worker's next call: the schedulers drop the
 * credential at once (NOTIFY), the worker's heartbeats are refused, and its running tasks are
 * failed as zombies after scheduler.worker_heartbeat_timeout.
 */
import type { Command } from 'commander';
import { assertIdentifier, hashWorkerToken, newWorkerCredentialToken, UpdraftError, workerCredentialsSql } from '@updraft/core';
import { formatInstant, formatTable, identifierArg, oneOf } from '../output.js';
import { withDatabase } from './runs.js';
import { recordCliEvents } from '../cli-events.js';

type Output = 'table' | 'json';

/** Worker names follow the one identifier grammar (docs/identifiers.md): what registration accepts. */
function checkName(name: string): string {
  return assertIdentifier('worker name', name, 'NAME');
}

async function create(command: Command, name: string, o: { replace?: boolean }): Promise<void> {
  checkName(name);
  await withDatabase(command, async (db) => {
    const token = newWorkerCredentialToken();
    const created = await workerCredentialsSql.createCredential(db.pool, name, hashWorkerToken(token), o.replace === true);
    if (!created) {
      throw new UpdraftError('INVALID_ARGUMENT', `worker ${name} already has a valid credential: revoke it first, or pass --replace to issue a new one (the old one stops working)`);
    }
    await recordCliEvents(db.pool, [{ event: 'worker.credentials.create', extra: { worker: name, replace: o.replace === true } }]);
    // The token goes to stdout alone on its first line (scripts: `updraft workers credentials create w1 | head -1`).
    process.stdout.write(`${token}\n`);
    process.stderr.write(
      `credential for worker ${name} created; it is shown only now. On that worker set\n` +
      `  UPDRAFT__WORKER__NAME=${name}\n  UPDRAFT__SECURITY__WORKER_TOKEN=<the token above>\n` +
      'in its environment file (not on a command line).\n',
    );
  });
}

async function revoke(command: Command, name: string): Promise<void> {
  await withDatabase(command, async (db) => {
    if (!(await workerCredentialsSql.revokeCredential(db.pool, name))) {
      throw new UpdraftError('WORKER_NOT_FOUND', `worker ${name} has no valid credential (see \`updraft workers credentials list\`)`);
    }
    await recordCliEvents(db.pool, [{ event: 'worker.credentials.revoke', extra: { worker: name } }]);
    process.stdout.write(`credential of worker ${name} revoked: its next call to a scheduler is refused\n`);
  });
}

async function list(command: Command, o: { output: Output }): Promise<void> {
  await withDatabase(command, async (db) => {
    const rows = await workerCredentialsSql.listCredentials(db.pool);
    if (o.output === 'json') {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    if (rows.length === 0) {
      process.stdout.write('no per-worker credentials (create one with `updraft workers credentials create NAME`)\n');
      return;
    }
    process.stdout.write(`${formatTable([
      ['WORKER', 'STATE', 'CREATED', 'REVOKED'],
      ...rows.map((r) => [r.workerName, r.revokedAt ? 'revoked' : 'valid', formatInstant(r.createdAt), r.revokedAt ? formatInstant(r.revokedAt) : '']),
    ])}\n`);
  });
}

export function registerCredentials(workers: Command): void {
  const credentials = workers
    .command('credentials')
    .description('per-worker tokens bound to a worker name (stored hashed); the shared security.worker_token keeps working');
  credentials
    .command('create')
    .description('issue a token for worker NAME (printed once); the worker sets worker.name = NAME and security.worker_token = the token')
    .argument('<name>', 'the worker name the token is bound to')
    .option('--replace', 'issue a new token even if NAME has a valid one (the old one stops working)')
    .action(async (name: string, o: { replace?: boolean }, command: Command) => create(command, name, o));
  credentials
    .command('revoke')
    .description('revoke the token of worker NAME: its next call is refused and its running tasks become zombies')
    .argument('<name>', 'worker name', identifierArg('worker name', 'NAME'))
    .action(async (name: string, _o: unknown, command: Command) => revoke(command, name));
  credentials
    .command('list')
    .description('list per-worker credentials: worker, valid or revoked, when (never the tokens)')
    .option('-o, --output <format>', 'table or json', oneOf('--output', ['table', 'json'] as const), 'table' as Output)
    .action(async (o: { output: Output }, command: Command) => list(command, o));
}
