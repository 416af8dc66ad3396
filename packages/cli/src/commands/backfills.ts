/**
 * `updraft dags backfill DAG --start-date D1 --end-date D2`: a backfill as a tracked job (a row in
 * the database that the scheduler works through; it goes on if this command exits), then its
 * progress until it ends. `updraft backfills list|pause|resume|cancel` manage the jobs.
 */
import type { Command } from 'commander';
import { backfillsSql, createBackfill, dagsSql, planBackfill, UpdraftError, type BackfillRequest, type PlannedInterval } from '@updraft/core';
import { followBackfill } from '../backfill-progress.js';
import type { OpenDatabase } from '../database.js';
import { formatInstant, formatTable, identifierArg, integerAtLeast, oneOf, parseConf, parseDateArgument } from '../output.js';
import { dagsGroup, withDatabase } from './runs.js';
import { cliOwner, recordCliEvents } from '../cli-events.js';

type Output = 'text' | 'json';

interface BackfillOptions {
  startDate: string;
  endDate: string;
  reprocessBehavior: backfillsSql.ReprocessBehavior;
  maxActiveRuns?: number;
  runBackwards?: boolean;
  dryRun?: boolean;
  conf?: string;
  detach?: boolean;
  output: Output;
}

const actionText = (i: PlannedInterval): string =>
  i.action === 'create' ? 'create' : i.action === 'reprocess' ? `rerun (${i.existing!.state})` : `skip: ${i.reason}`;

function printPlan(intervals: readonly PlannedInterval[]): void {
  process.stdout.write(`${formatTable([
    ['LOGICAL_DATE', 'DATA_INTERVAL', 'ACTION'],
    ...intervals.map((i) => [formatInstant(i.logicalDate), `${formatInstant(i.dataIntervalStart)} .. ${formatInstant(i.dataIntervalEnd)}`, actionText(i)]),
  ])}\n`);
}

/** Resolves on the first Ctrl-C (the backfill goes on); a second one exits at once. */
function detachSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => {
      process.once('SIGINT', () => process.exit(130));
      resolve();
    });
  });
}

async function backfill(command: Command, dagId: string, o: BackfillOptions): Promise<void> {
  const conf = o.conf === undefined ? undefined : parseConf(o.conf);
  await withDatabase(command, async (db) => {
    const current = await dagsSql.currentDag(db.pool, dagId, { withData: true });
    if (current === null) throw new UpdraftError('DAG_NOT_FOUND', `no DAG '${dagId}' (see \`updraft dags list\`)`);
    const tz = current.dag.timezone;
    const req: BackfillRequest = {
      dagId, fromDate: parseDateArgument(o.startDate, tz, '--start-date'), toDate: parseDateArgument(o.endDate, tz, '--end-date'),
      reprocessBehavior: o.reprocessBehavior, maxActiveRuns: o.maxActiveRuns, runBackwards: o.runBackwards === true, conf,
      createdBy: `cli:${cliOwner() ?? 'unknown'}`,
    };
    if (o.dryRun === true) {
      const plan = await planBackfill(db.pool, req);
      if (o.output === 'json') {
        process.stdout.write(`${JSON.stringify(plan.intervals.map((i) => ({ ...i, existing: i.existing?.runId ?? null })), null, 2)}\n`);
        return;
      }
      printPlan(plan.intervals);
      const n = (a: string): number => plan.intervals.filter((i) => i.action === a).length;
      process.stdout.write(`dry run: would create ${n('create')} run(s), rerun ${n('reprocess')}, skip ${n('skip')} of ${plan.intervals.length} interval(s)\n`);
      return;
    }
    const made = await createBackfill(db.pool, req);
    await recordCliEvents(db.pool, [{ event: 'backfill.create', dagId, extra: { backfill_id: Number(made.backfillId), from_date: req.fromDate, to_date: req.toDate } }]);
    if (o.output === 'json') {
      process.stdout.write(`${JSON.stringify({ backfillId: made.backfillId, dagId, created: made.created, reprocessed: made.reprocessed, skipped: made.skipped }, null, 2)}\n`);
    } else {
      process.stdout.write(`backfill ${made.backfillId} of ${dagId}: ${made.plan.intervals.length} interval(s) from ${formatInstant(req.fromDate)} to ${formatInstant(req.toDate)}; `
        + `${made.created} run(s) created, ${made.reprocessed} rerun, ${made.skipped} skipped; at most ${made.plan.maxActiveRuns} running at once\n`);
    }
    if (made.plan.dagIsPaused) {
      process.stderr.write(`updraft: DAG '${dagId}' is paused: its backfill runs wait until \`updraft dags unpause ${dagId}\`\n`);
    }
    if (o.detach === true || o.output === 'json') return;
    process.stdout.write('following its progress (Ctrl-C stops following; the backfill goes on: `updraft backfills list`)\n');
    const end = await followBackfill({ read: () => backfillsSql.getBackfill(db.pool, made.backfillId), out: process.stdout, detach: detachSignal() });
    if (end === null) process.stdout.write(`detached: backfill ${made.backfillId} goes on\n`);
    else if (end.state === 'cancelled' || end.runs.failed > 0) process.exitCode = 1;
  });
}

function printList(list: readonly backfillsSql.BackfillView[]): void {
  if (list.length === 0) {
    process.stdout.write('no backfills\n');
    return;
  }
  process.stdout.write(`${formatTable([
    ['ID', 'DAG_ID', 'STATE', 'FROM', 'TO', 'RUNS', 'DONE', 'FAILED', 'RUNNING', 'QUEUED', 'MAX_ACTIVE', 'CREATED'],
    ...list.map((b) => [b.id, b.dagId, b.state, formatInstant(b.fromDate), formatInstant(b.toDate), String(b.runs.total),
      String(b.runs.success + b.runs.failed), String(b.runs.failed), String(b.runs.running), String(b.runs.queued), String(b.maxActiveRuns),
      formatInstant(b.createdAt)]),
  ])}\n`);
}

async function requireBackfill(db: OpenDatabase, id: string): Promise<backfillsSql.BackfillView> {
  const b = await backfillsSql.getBackfill(db.pool, id);
  if (b === null) throw new UpdraftError('BACKFILL_NOT_FOUND', `no backfill ${id} (see \`updraft backfills list\`)`);
  return b;
}

async function setPaused(command: Command, id: string, paused: boolean): Promise<void> {
  await withDatabase(command, async (db) => {
    const before = await requireBackfill(db, id);
    const state = await backfillsSql.setBackfillPaused(db.pool, id, paused);
    const wanted = paused ? 'paused' : 'running';
    if (state === wanted && before.state !== wanted) {
      await recordCliEvents(db.pool, [{ event: `backfill.${paused ? 'pause' : 'resume'}`, dagId: before.dagId, extra: { backfill_id: Number(id) } }]);
      process.stdout.write(paused ? `backfill ${id} paused: no new run of it starts; running ones finish\n` : `backfill ${id} resumed\n`);
    } else if (state === wanted) {
      process.stdout.write(`backfill ${id} was already ${paused ? 'paused' : 'running'}\n`);
    } else {
      throw new UpdraftError('INVALID_ARGUMENT', `backfill ${id} is ${state ?? 'gone'}: only a running backfill can be paused and a paused one resumed`);
    }
  });
}

async function cancel(command: Command, id: string): Promise<void> {
  await withDatabase(command, async (db) => {
    const before = await requireBackfill(db, id);
    if (before.state === 'completed' || before.state === 'cancelled') {
      throw new UpdraftError('INVALID_ARGUMENT', `backfill ${id} is already ${before.state}`);
    }
    const r = await backfillsSql.cancelBackfill(db.pool, id);
    await recordCliEvents(db.pool, [{ event: 'backfill.cancel', dagId: before.dagId, extra: { backfill_id: Number(id) } }]);
    process.stdout.write(`backfill ${id} cancelled: ${r?.failedQueued ?? 0} queued run(s) marked failed; running ones finish\n`);
  });
}

const backfillId = (value: string): string => {
  if (!/^[1-9]\d{0,17}$/.test(value)) throw new UpdraftError('INVALID_ARGUMENT', `a backfill id is a positive integer (see \`updraft backfills list\`), got "${value}"`);
  return value;
};

export function registerDagsBackfill(program: Command): void {
  dagsGroup(program)
    .command('backfill')
    .description('create runs for past intervals, tracked as a job the scheduler works through (see `updraft backfills`); follows its progress')
    .argument('<dag_id>', 'the DAG', identifierArg('dag id', 'dag_id'))
    .requiredOption('-s, --start-date <date>', 'first logical date (inclusive); without an offset, wall-clock time in the DAG\'s timezone')
    .requiredOption('-e, --end-date <date>', 'last logical date (inclusive)')
    .option('--reprocess-behavior <b>', 'existing runs to rerun: none, failed, or completed (failed and successful); queued and running ones are never touched',
      oneOf('--reprocess-behavior', backfillsSql.REPROCESS_BEHAVIORS), 'none' as backfillsSql.ReprocessBehavior)
    .option('--max-active-runs <n>', 'runs of this backfill running at once (default: the DAG\'s max_active_runs)', integerAtLeast(1))
    .option('--run-backwards', 'newest interval first')
    .option('--dry-run', 'print the logical dates and what would happen to each; create nothing')
    .option('-c, --conf <json>', 'conf of the runs it creates, a JSON object')
    .option('--detach', 'return once the backfill is created instead of following it')
    .option('-o, --output <format>', 'text or json (json: what was created, then return)', oneOf('--output', ['text', 'json'] as const), 'text' as Output)
    .action(async (dagId: string, o: BackfillOptions, command: Command) => backfill(command, dagId, o));
}

export function registerBackfills(program: Command): void {
  const group = program.command('backfills').description('backfill jobs: list, pause, resume, cancel (create one with `updraft dags backfill`)');
  group.command('list')
    .description('backfills, newest first, with the states of their runs')
    .option('-d, --dag-id <dag_id>', 'only this DAG\'s', identifierArg('dag id', '--dag-id'))
    .option('--active', 'only running and paused ones')
    .option('-l, --limit <n>', 'how many', integerAtLeast(1), 50)
    .option('-o, --output <format>', 'table or json', oneOf('--output', ['table', 'json'] as const), 'table' as const)
    .action(async (o: { dagId?: string; active?: boolean; limit: number; output: 'table' | 'json' }, command: Command) =>
      withDatabase(command, async (db) => {
        const { rows } = await backfillsSql.listBackfills(db.pool, { dagId: o.dagId, active: o.active === true, limit: o.limit, offset: 0 });
        if (o.output === 'json') process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else printList(rows);
      }));
  group.command('pause').description('no new run of the backfill starts; running ones finish')
    .argument('<id>', 'the backfill', backfillId)
    .action(async (id: string, _o: unknown, command: Command) => setPaused(command, id, true));
  group.command('resume').description('a paused backfill starts runs again')
    .argument('<id>', 'the backfill', backfillId)
    .action(async (id: string, _o: unknown, command: Command) => setPaused(command, id, false));
  group.command('cancel').description('stop a backfill: its queued runs end failed, running ones finish')
    .argument('<id>', 'the backfill', backfillId)
    .action(async (id: string, _o: unknown, command: Command) => cancel(command, id));
}
