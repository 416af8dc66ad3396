/**
 * `updraft alerts list [--failed] [--dag-id D] [--run-id R] [--limit N]`: the alert outbox of the
 * declarative notifiers (slack(), email(), webhook()): what was sent, what waits for a retry, and
 * what failed with which error. `updraft alerts mute DAG|--all --for 2h`, `unmute`, `mutes`: alerts
 * of a muted DAG are recorded but not sent until the mute ends.
 */
import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { alertMutesSql, alertsSql, alertTargetText, parseDurationMs, UpdraftError } from '@updraft/core';
import { formatInstant, formatTable, identifierArg, integerAtLeast, oneOf } from '../output.js';
import { withDatabase } from './runs.js';
import { recordCliEvents } from '../cli-events.js';

type Output = 'table' | 'json';

function alertsTable(rows: readonly alertsSql.AlertRow[]): string {
  return formatTable([
    ['ID', 'DAG_ID', 'RUN_ID', 'TASK', 'TRY', 'EVENT', 'TO', 'STATE', 'ATTEMPTS', 'CREATED', 'SENT / NEXT', 'ERROR'],
    ...rows.map((r) => [
      r.id, r.dagId, r.runId, r.taskId === null ? '' : r.mapIndex >= 0 ? `${r.taskId}[${r.mapIndex}]` : r.taskId,
      r.taskId === null ? '' : String(r.tryNumber), r.event, alertTargetText(r.target), r.state, String(r.attempts),
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

interface MuteOptions {
  all?: boolean;
  for: number;
  reason?: string;
}

/** `2h`, `30m`, `1d`: a positive duration, at most 90 days. */
function muteDuration(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('expected a duration such as 30m, 2h or 1d');
  if (ms > 90 * 86_400_000) throw new InvalidArgumentError('at most 90d');
  return ms;
}

/** The DAG argument or --all (one of them). */
function muteTarget(dagId: string | undefined, all: boolean | undefined): string {
  if ((dagId === undefined) === (all !== true)) throw new UpdraftError('INVALID_ARGUMENT', 'name one DAG, or pass --all for every DAG');
  return dagId ?? alertMutesSql.ALL_DAGS;
}

const mutedName = (dagId: string): string => (dagId === alertMutesSql.ALL_DAGS ? 'every DAG' : `DAG ${dagId}`);

async function mute(command: Command, dagId: string | undefined, o: MuteOptions): Promise<void> {
  const target = muteTarget(dagId, o.all);
  const until = new Date(Date.now() + o.for);
  await withDatabase(command, async (db) => {
    await alertMutesSql.muteAlerts(db.pool, { dagId: target, until, mutedBy: userInfo().username, reason: o.reason ?? '' });
    await recordCliEvents(db.pool, [{ event: 'alerts.mute', dagId: target === alertMutesSql.ALL_DAGS ? null : target, extra: { all: target === alertMutesSql.ALL_DAGS, until } }]);
    process.stdout.write(`alerts of ${mutedName(target)} muted until ${formatInstant(until)}\n`);
  });
}

async function unmute(command: Command, dagId: string | undefined, o: { all?: boolean }): Promise<void> {
  const target = muteTarget(dagId, o.all);
  await withDatabase(command, async (db) => {
    const ended = await alertMutesSql.unmuteAlerts(db.pool, target);
    if (ended) await recordCliEvents(db.pool, [{ event: 'alerts.unmute', dagId: target === alertMutesSql.ALL_DAGS ? null : target, extra: { all: target === alertMutesSql.ALL_DAGS } }]);
    process.stdout.write(ended ? `alerts of ${mutedName(target)} unmuted\n` : `alerts of ${mutedName(target)} were not muted\n`);
  });
}

async function mutes(command: Command, o: { output: Output }): Promise<void> {
  await withDatabase(command, async (db) => {
    const rows = await alertMutesSql.listAlertMutes(db.pool);
    if (o.output === 'json') process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else if (rows.length === 0) process.stdout.write('no alerts are muted\n');
    else process.stdout.write(`${formatTable([['DAG_ID', 'UNTIL', 'BY', 'REASON'], ...rows.map((m) => [m.dagId === alertMutesSql.ALL_DAGS ? '* (every DAG)' : m.dagId, formatInstant(m.until), m.mutedBy, m.reason])])}\n`);
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
  alerts
    .command('mute [dag_id]')
    .description('stop sending the alerts of a DAG (or of every DAG with --all) for a while; they are still recorded, as muted')
    .option('--all', 'every DAG')
    .requiredOption('--for <duration>', 'how long: 30m, 2h, 1d (at most 90d)', muteDuration)
    .option('--reason <text>', 'why (shown by `alerts mutes` and on the muted alerts)')
    .action(async (dagId: string | undefined, o: MuteOptions, command: Command) => mute(command, dagId === undefined ? undefined : identifierArg('dag id', 'dag_id')(dagId), o));
  alerts
    .command('unmute [dag_id]')
    .description('send the alerts of a DAG (or of every DAG with --all) again')
    .option('--all', 'every DAG')
    .action(async (dagId: string | undefined, o: { all?: boolean }, command: Command) => unmute(command, dagId, o));
  alerts
    .command('mutes')
    .description('the mutes in force and when each ends')
    .option('-o, --output <format>', 'table or json', oneOf('--output', ['table', 'json'] as const), 'table' as Output)
    .action(async (o: { output: Output }, command: Command) => mutes(command, o));
}
