/**
 * `updraft tasks clear DAG`: rerun task instances of a range of runs from the failure point, as
 * Airflow's `tasks clear`. The selection is the tasks matching --task-regex (all by default), with
 * their downstream / upstream tasks, in the runs whose logical date is in [--start-date,
 * --end-date] (or one --run-id); --only-failed keeps failed and upstream_failed instances. It lists
 * what it will clear and asks, unless --yes; --dry-run only lists.
 */
import type { Command } from 'commander';
import { clearEventExtra, clearItems, clearSql, dagsSql, instancesToClear, UpdraftError } from '@updraft/core';
import { formatInstant, formatTable, identifierArg, parseDateArgument } from '../output.js';
import { withDatabase } from './runs.js';
import { recordCliEvents } from '../cli-events.js';
import { confirm } from '../confirm.js';

interface ClearOptions {
  startDate?: string;
  endDate?: string;
  runId?: string;
  taskRegex?: string;
  downstream?: boolean;
  upstream?: boolean;
  onlyFailed?: boolean;
  dryRun?: boolean;
  yes?: boolean;
}

function compileRegex(value: string | undefined): RegExp | undefined {
  if (value === undefined) return undefined;
  try {
    return new RegExp(value);
  } catch (err) {
    throw new UpdraftError('INVALID_ARGUMENT', `--task-regex is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

async function clear(command: Command, dagId: string, o: ClearOptions): Promise<void> {
  if (o.runId !== undefined && (o.startDate !== undefined || o.endDate !== undefined)) {
    throw new UpdraftError('INVALID_ARGUMENT', '--run-id selects one run: do not combine it with --start-date / --end-date');
  }
  const regex = compileRegex(o.taskRegex);
  await withDatabase(command, async (db) => {
    const current = await dagsSql.currentDag(db.pool, dagId, { withData: true });
    if (current === null) throw new UpdraftError('DAG_NOT_FOUND', `no DAG '${dagId}' (see \`updraft dags list\`)`);
    const tz = current.dag.timezone;
    const from = o.startDate === undefined ? undefined : parseDateArgument(o.startDate, tz, '--start-date');
    const to = o.endDate === undefined ? undefined : parseDateArgument(o.endDate, tz, '--end-date');
    if (from !== undefined && to !== undefined && from > to) throw new UpdraftError('INVALID_ARGUMENT', '--start-date is after --end-date');
    const instances = await instancesToClear(db.pool, current.dag, {
      from, to, runId: o.runId, include: regex === undefined ? undefined : (taskId) => regex.test(taskId),
      downstream: o.downstream === true, upstream: o.upstream === true, onlyFailed: o.onlyFailed === true,
    });
    if (instances.length === 0) {
      process.stdout.write('nothing to clear\n');
      return;
    }
    process.stdout.write(`${formatTable([
      ['RUN_ID', 'LOGICAL_DATE', 'TASK_ID', 'STATE', 'TRY'],
      ...instances.map((i) => [i.runId, formatInstant(i.logicalDate), i.mapIndex >= 0 ? `${i.taskId}[${i.mapIndex}]` : i.taskId, i.state, String(i.tryNumber)]),
    ])}\n`);
    const runIds = [...new Set(instances.map((i) => i.runId))];
    const runs = runIds.length;
    const what = `${instances.length} task instance(s) in ${runs} run(s) of ${dagId}`;
    if (o.dryRun === true) {
      process.stdout.write(`dry run: would clear ${what}\n`);
      return;
    }
    if (o.yes !== true && !(await confirm(`Clear ${what}? [y/N] `, 'not clearing'))) {
      process.stdout.write('nothing cleared\n');
      return;
    }
    const cleared = await clearSql.clearTaskInstances(db.pool, dagId, clearItems(current.dag, instances));
    await recordCliEvents(db.pool, runIds.map((runId) => ({
      event: 'task_instances.clear', dagId, runId, extra: clearEventExtra(instances, runId),
    })));
    process.stdout.write(`cleared ${cleared} task instance(s) in ${runs} run(s); the scheduler runs them again (old tries and their logs stay)\n`);
  });
}

export function registerClear(tasks: Command): void {
  tasks
    .command('clear')
    .description(
      'rerun task instances: those of the runs with a logical date in [--start-date, --end-date] (or of --run-id) ' +
        'whose task matches --task-regex (default all), with their downstream / upstream tasks; lists them and asks unless --yes. ' +
        'Cleared instances run again with a new try number; old tries and logs stay',
    )
    .argument('<dag_id>', 'the DAG', identifierArg('dag id', 'dag_id'))
    .option('-s, --start-date <date>', 'first logical date (ISO-8601; without an offset in the DAG\'s timezone)')
    .option('-e, --end-date <date>', 'last logical date (inclusive)')
    .option('-r, --run-id <id>', 'only this run', identifierArg('run id', '--run-id'))
    .option('-t, --task-regex <regex>', 'only tasks whose id matches this regular expression')
    .option('-d, --downstream', 'also the downstream tasks of those selected')
    .option('-u, --upstream', 'also the upstream tasks of those selected')
    .option('-f, --only-failed', 'only failed and upstream_failed instances')
    .option('--dry-run', 'list what would be cleared, clear nothing')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (dagId: string, o: ClearOptions, command: Command) => clear(command, dagId, o));
}
