/**
 * DAG run commands, added to the `dags` group: `updraft dags trigger | pause | unpause | state | test`.
 * trigger/pause/unpause/state work on the metadata database from any host (no scheduler needed:
 * a running scheduler is told through NOTIFY updraft_dag_runs); test runs a whole DAG here.
 */
import type { Command } from 'commander';
import {
  DAG_RUN_STATES,
  dagRunsSql,
  dagsSql,
  triggerDagRun,
  UpdraftError,
  type UpdraftConfig,
} from '@updraft/core';
import { openDatabase, type OpenDatabase } from '../database.js';
import { loadDagFromFiles } from '../local-dag.js';
import { localRunDefaults, runDagHere } from '../local-run.js';
import { formatDuration, formatInstant, formatTable, identifierArg, integerAtLeast, oneOf, parseConf, parseDateArgument } from '../output.js';
import { loadConfigForCommand } from './config.js';
import { recordCliEvents } from '../cli-events.js';

type Output = 'text' | 'json';

/** The `dags` group, whichever module registers first (dags.ts defines list/show/...). */
export function dagsGroup(program: Command): Command {
  return program.commands.find((c) => c.name() === 'dags')
    ?? program.command('dags').description('DAGs: list, validate, show, trigger, pause, test');
}

/** Opens the metadata database for one command and closes it after `fn`. */
export async function withDatabase<T>(command: Command, fn: (db: OpenDatabase, cfg: UpdraftConfig) => Promise<T>): Promise<T> {
  const cfg = loadConfigForCommand(command);
  const db = await openDatabase(cfg, { applicationName: `updraft-${command.parent?.name() ?? 'cli'}-${command.name()}`, max: 2 });
  try {
    return await fn(db, cfg);
  } finally {
    await db.close();
  }
}

interface TriggerOptions {
  conf?: string;
  logicalDate?: string;
  runId?: string;
  output: Output;
}

async function trigger(command: Command, dagId: string, o: TriggerOptions): Promise<void> {
  const conf = parseConf(o.conf);
  await withDatabase(command, async (db) => {
    let logicalDate: Date | undefined;
    if (o.logicalDate !== undefined) {
      // A naive date is wall-clock time in the DAG's timezone, as its start date is.
      const current = await dagsSql.currentDag(db.pool, dagId, { withData: true });
      logicalDate = parseDateArgument(o.logicalDate, current?.dag.timezone ?? 'UTC', '--logical-date');
    }
    const run = await triggerDagRun({ db: db.pool, dagId, conf, logicalDate, runId: o.runId });
    await recordCliEvents(db.pool, [{ event: 'trigger', dagId, runId: run.runId }]);
    if (o.output === 'json') {
      process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
    } else {
      process.stdout.write(
        `${formatTable([
          ['dag_id', run.dagId],
          ['run_id', run.runId],
          ['state', run.state],
          ['logical_date', formatInstant(run.logicalDate)],
          ['data_interval', `${formatInstant(run.dataIntervalStart)} .. ${formatInstant(run.dataIntervalEnd)}`],
          ['conf', JSON.stringify(run.conf)],
          ['tasks', String(run.taskCount)],
        ])}\n`,
      );
    }
    if (run.dagIsPaused) {
      process.stderr.write(`updraft: DAG '${dagId}' is paused: the run stays queued until \`updraft dags unpause ${dagId}\`\n`);
    }
    if (run.logicalDate.getTime() > Date.now()) {
      process.stderr.write(`updraft: the run's logical date is in the future: it stays queued until ${formatInstant(run.logicalDate)}\n`);
    }
  });
}

async function pause(command: Command, dagId: string, paused: boolean): Promise<void> {
  await withDatabase(command, async (db) => {
    const changed = await dagsSql.setDagPaused(db.pool, dagId, paused);
    if (changed === null) {
      throw new UpdraftError('DAG_NOT_FOUND', `no DAG '${dagId}' (see \`updraft dags list\`)`);
    }
    // Unpaused: queued runs and due intervals can start now; tell the scheduler.
    if (changed && !paused) await dagRunsSql.notifyDagRuns(db.pool, dagId);
    if (changed) await recordCliEvents(db.pool, [{ event: paused ? 'pause' : 'unpause', dagId }]);
    const word = paused ? 'paused' : 'unpaused';
    process.stdout.write(changed ? `DAG ${dagId} ${word}\n` : `DAG ${dagId} was already ${word}\n`);
  });
}

async function state(command: Command, dagId: string, runId: string, o: { output: Output }): Promise<void> {
  await withDatabase(command, async (db) => {
    const run = await dagRunsSql.findDagRun(db.pool, dagId, runId);
    if (run === null) {
      throw new UpdraftError('RUN_NOT_FOUND', `DAG '${dagId}' has no run '${runId}'`);
    }
    process.stdout.write(o.output === 'json' ? `${JSON.stringify(run, null, 2)}\n` : `${run.state}\n`);
  });
}

interface ListRunsOptions {
  state?: string;
  limit: number;
  output: 'table' | 'json';
}

/** The newest runs of a DAG first: id, type, logical date, state, start, end. */
async function listRuns(command: Command, dagId: string, o: ListRunsOptions): Promise<void> {
  await withDatabase(command, async (db) => {
    if ((await dagsSql.currentDag(db.pool, dagId)) === null) {
      throw new UpdraftError('DAG_NOT_FOUND', `no DAG '${dagId}' (see \`updraft dags list\`)`);
    }
    const { rows } = await dagRunsSql.listDagRunPage(db.pool, {
      dagIds: [dagId], states: o.state === undefined ? undefined : [o.state], limit: o.limit, offset: 0,
      orderBy: { column: 'logical_date', desc: true },
    });
    if (o.output === 'json') {
      const json = rows.map((r) => ({
        runId: r.runId, runType: r.runType, logicalDate: r.logicalDate, state: r.state, startDate: r.startDate, endDate: r.endDate,
      }));
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      return;
    }
    if (rows.length === 0) {
      process.stdout.write(`DAG ${dagId} has no runs${o.state === undefined ? '' : ` in state ${o.state}`}\n`);
      return;
    }
    process.stdout.write(`${formatTable([
      ['RUN_ID', 'TYPE', 'LOGICAL_DATE', 'STATE', 'START', 'END'],
      ...rows.map((r) => [r.runId, r.runType, formatInstant(r.logicalDate), r.state, formatInstant(r.startDate), formatInstant(r.endDate)]),
    ])}\n`);
  });
}

interface TestOptions {
  file?: string;
  conf?: string;
  runId?: string;
  logFolder?: string;
}

async function test(command: Command, dagId: string, date: string | undefined, o: TestOptions): Promise<void> {
  const cfg = loadConfigForCommand(command);
  const conf = parseConf(o.conf);
  const { dag, dagFilePath } = await loadDagFromFiles(cfg, dagId, o.file);
  const logicalDate = date === undefined ? new Date() : parseDateArgument(date, dag.timezone, 'DATE');
  const out = (text: string): boolean => process.stdout.write(`${text}\n`);
  const result = await runDagHere({
    ...localRunDefaults(cfg), ...(o.logFolder ? { logFolder: o.logFolder } : {}), dag, dagFilePath, logicalDate, conf, ...(o.runId ? { runId: o.runId } : {}),
    output: (_taskId, line) => out(line),
    onTaskStart: (taskId) => out(`--- ${taskId} ---`),
    onTaskEnd: (e) => {
      if (e.result === undefined) out(`--- ${e.taskId}: ${e.state} (not run) ---`);
      else out(`--- ${e.taskId}: ${e.state} (exit code ${e.result.exitCode}, ${formatDuration(e.result.durationMs)}; log ${e.result.logFile}) ---`);
    },
  });
  out('');
  out(formatTable([
    ['TASK_ID', 'STATE', 'EXIT', 'DURATION'],
    ...result.tasks.map((t) => [t.taskId, t.state, t.result ? String(t.result.exitCode) : '', t.result ? formatDuration(t.result.durationMs) : '']),
  ]));
  out(`run ${result.runId} of DAG ${dagId}: ${result.state}`);
  if (result.state !== 'success') process.exitCode = 1;
}

export function register(program: Command): void {
  const dags = dagsGroup(program);
  const output = oneOf('--output', ['text', 'json'] as const);

  dags
    .command('trigger')
    .description(
      'create a manual run (queued) of a DAG\'s latest parsed version with its task instances; a running ' +
        'scheduler starts it at once. Works from any host that reaches the database',
    )
    .argument('<dag_id>', 'the DAG', identifierArg('dag id', 'dag_id'))
    .option('-c, --conf <json>', 'the run\'s conf, a JSON object (templates see it as dag_run.conf / conf)')
    .option('-l, --logical-date <date>', 'ISO-8601; without an offset, wall-clock time in the DAG\'s timezone (default: now)')
    .option('-r, --run-id <id>', 'run id (default: manual__<logical date>; see docs/identifiers.md)', identifierArg('run id', '--run-id'))
    .option('-o, --output <format>', 'text (a line saying what was created) or json (the run)', output, 'text' as Output)
    .action(async (dagId: string, o: TriggerOptions, command: Command) => trigger(command, dagId, o));

  dags
    .command('pause')
    .description('pause a DAG: no new runs are created or started (running tasks finish)')
    .argument('<dag_id>', 'the DAG', identifierArg('dag id', 'dag_id'))
    .action(async (dagId: string, _o: unknown, command: Command) => pause(command, dagId, true));

  dags
    .command('unpause')
    .description('unpause a DAG: its schedule and queued runs resume at once')
    .argument('<dag_id>', 'the DAG', identifierArg('dag id', 'dag_id'))
    .action(async (dagId: string, _o: unknown, command: Command) => pause(command, dagId, false));

  dags
    .command('state')
    .description('print the state of a DAG run (queued, running, success, failed)')
    .argument('<dag_id>', 'the DAG', identifierArg('dag id', 'dag_id'))
    .argument('<run_id>', 'the run', identifierArg('run id', 'run_id'))
    .option('-o, --output <format>', 'text (the state) or json (the run)', output, 'text' as Output)
    .action(async (dagId: string, runId: string, o: { output: Output }, command: Command) => state(command, dagId, runId, o));

  dags
    .command('list-runs')
    .description('list the runs of a DAG, newest logical date first: run id, type (scheduled, manual, backfill), logical date, state, start, end')
    .argument('<dag_id>', 'the DAG', identifierArg('dag id', 'dag_id'))
    .option('--state <state>', `only runs in this state (${DAG_RUN_STATES.join(', ')})`, oneOf('--state', DAG_RUN_STATES))
    .option('--limit <n>', 'at most this many runs', integerAtLeast(1), 25)
    .option('-o, --output <format>', 'table or json', oneOf('--output', ['table', 'json'] as const), 'table' as const)
    .action(async (dagId: string, o: ListRunsOptions, command: Command) => listRuns(command, dagId, o));

  dags
    .command('test')
    .description(
      'run one whole DAG run here: every task in dependency order, each once, through the worker\'s ' +
        'executor, printing each task\'s log; upstream failures are honoured. Needs no scheduler, queue or ' +
        'database and changes no state (the DAG is parsed from its file). Exit 1 when the run failed',
    )
    .argument('<dag_id>', 'the DAG', identifierArg('dag id', 'dag_id'))
    .argument('[date]', 'logical date, ISO-8601; without an offset in the DAG\'s timezone (default: now)')
    .option('-f, --file <path>', 'parse only this DAG file (default: every file of core.dags_folder)')
    .option('-c, --conf <json>', 'the run\'s conf, a JSON object')
    .option('-r, --run-id <id>', 'run id the tasks see (default: manual__<logical date>)', identifierArg('run id', '--run-id'))
    .option('--log-folder <dir>', 'task log root (default: <logging.base_log_folder>/local-runs, apart from the logs of the scheduler\'s tries)')
    .action(async (dagId: string, date: string | undefined, o: TestOptions, command: Command) => test(command, dagId, date, o));
}
