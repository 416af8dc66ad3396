/**
 * `updraft dags next-execution ID [-n N]`: the DAG's next scheduled runs as its timetable computes
 * them (logical date, data interval, when the run is created), in the DAG's timezone.
 */
import type { Command } from 'commander';
import { dagsSql, nextRunsOf, scheduleSummary, UpdraftError, type DagRunInfo } from '@updraft/core';
import { formatInZone } from './dags.js';
import { dagsGroup, withDatabase } from './runs.js';
import { formatTable, identifierArg, integerAtLeast, oneOf } from '../output.js';

function runJson(r: DagRunInfo): Record<string, string> {
  return {
    logicalDate: r.logicalDate.toISOString(), dataIntervalStart: r.dataIntervalStart.toISOString(),
    dataIntervalEnd: r.dataIntervalEnd.toISOString(), runAfter: r.runAfter.toISOString(),
  };
}

export function registerDagsNextExecution(program: Command): void {
  dagsGroup(program)
    .command('next-execution')
    .description('the next scheduled runs of a DAG: logical date, data interval and when each is created, in the DAG\'s timezone')
    .argument('<dag_id>', 'the DAG', identifierArg('dag id', 'dag_id'))
    .option('-n, --num-executions <n>', 'how many runs', integerAtLeast(1), 1)
    .option('-o, --output <format>', 'table or json', oneOf('--output', ['table', 'json']), 'table')
    .action(async (dagId: string, options: { numExecutions: number; output: string }, command: Command) =>
      withDatabase(command, async (db) => {
        const dag = (await dagsSql.listDags(db.pool, { includeInactive: true })).find((d) => d.dagId === dagId);
        if (dag === undefined) throw new UpdraftError('DAG_NOT_FOUND', `no DAG '${dagId}' (see \`updraft dags list\`)`);
        const runs = nextRunsOf(dag, Math.min(options.numExecutions, 1000), new Date());
        if (options.output === 'json') {
          process.stdout.write(`${JSON.stringify({ dagId, schedule: scheduleSummary(dag), timezone: dag.timezone, runs: runs.map(runJson) }, null, 2)}\n`);
          return;
        }
        process.stdout.write(`${dagId}: ${scheduleSummary(dag)} (${dag.timezone})${dag.isPaused ? ', paused' : ''}\n`);
        if (runs.length === 0) {
          process.stdout.write('no scheduled runs (manual only, or past its end date)\n');
          return;
        }
        const z = (d: Date): string => formatInZone(d, dag.timezone);
        const rows = runs.map((r) => [z(r.logicalDate), z(r.dataIntervalStart), z(r.dataIntervalEnd), z(r.runAfter)]);
        process.stdout.write(`${formatTable([['LOGICAL DATE', 'DATA INTERVAL START', 'DATA INTERVAL END', 'CREATED AT'], ...rows])}\n`);
      }),
    );
}
