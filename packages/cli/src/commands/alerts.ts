/**
 * `updraft alerts list [--failed] [--dag-id D] [--run-id R] [--limit N]`: the alert outbox of the
 * declarative notifiers (slack(), email(), webhook()): what was sent, what waits for a retry, and
 * what failed with which error.
 */
import type { Command } from 'commander';
import { alertsSql } from '@updraft/core';
import type { AlertTarget } from '@updraft/sdk';
import { formatInstant, formatTable, identifierArg, integerAtLeast, oneOf } from '../output.js';
import { withDatabase } from './runs.js';

type Output = 'table' | 'json';

/** Where an alert goes, in a few words (never a secret: the connection's id, not its contents). */
export function targetText(t: AlertTarget): string {
  switch (t.kind) {
    case 'slack': return `slack ${t.channel} (${t.connId})`;
    case 'email': return `email ${t.to.join(',')} (${t.connId})`;
    case 'webhook': return t.connId === null ? `webhook ${t.url === null ? '' : new URL(t.url).origin}` : `webhook (${t.connId})`;
    default: return JSON.stringify(t);
  }
}

function alertsTable(rows: readonly alertsSql.AlertRow[]): string {
  return formatTable([
    ['ID', 'DAG_ID', 'RUN_ID', 'TASK', 'TRY', 'EVENT', 'TO', 'STATE', 'ATTEMPTS', 'CREATED', 'SENT / NEXT', 'ERROR'],
    ...rows.map((r) => [
      r.id, r.dagId, r.runId, r.taskId === null ? '' : r.mapIndex >= 0 ? `${r.taskId}[${r.mapIndex}]` : r.taskId,
      r.taskId === null ? '' : String(r.tryNumber), r.event, targetText(r.target), r.state, String(r.attempts),
      formatInstant(r.createdAt), r.state === 'sent' ? formatInstant(r.sentAt) : r.state === 'pending' ? `next ${formatInstant(r.nextAttemptAt)}` : '',
      r.error ?? '',
    ]),
  ]);
}

interface ListOptions {
  failed: boolean;
  dagId?: string;
  runId?: string;
  limit: number;
  output: Output;
}

async function list(command: Command, o: ListOptions): Promise<void> {
  await withDatabase(command, async (db) => {
    const rows = await alertsSql.listAlerts(db.pool, { failed: o.failed, dagId: o.dagId, runId: o.runId, limit: o.limit });
    if (o.output === 'json') process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else if (rows.length > 0) process.stdout.write(`${alertsTable(rows)}\n`);
    else process.stdout.write(o.failed ? 'no failed alerts\n' : 'no alerts recorded\n');
  });
}

export function register(program: Command): void {
  const alerts = program.command('alerts').description('the alert outbox of slack(), email() and webhook() notifiers');
  alerts
    .command('list')
    .description('list alerts, newest first: where each goes, its state (pending, sending, sent, failed), attempts and last error')
    .option('--failed', 'only alerts that failed for good', false)
    .option('-d, --dag-id <dag_id>', 'only this DAG\'s alerts', identifierArg('dag id', 'dag_id'))
    .option('-r, --run-id <run_id>', 'only this run\'s alerts', identifierArg('run id', 'run_id'))
    .option('--limit <n>', 'at most this many alerts', integerAtLeast(1), 50)
    .option('-o, --output <format>', 'table or json', oneOf('--output', ['table', 'json'] as const), 'table' as Output)
    .action(async (o: ListOptions, command: Command) => list(command, o));
}
