/**
 * `updraft dags delete DAG`: deletes a DAG and everything recorded of it, as Airflow's `dags
 * delete` (core's sql/dag-delete.ts): its runs, task instances, tries, XCom, versions, backfills,
 * callbacks and alerts; the event log and the task log files stay. Asks unless --yes; refused while
 * any of its task instances is queued or running. A DAG whose file is still in the DAGs folder
 * comes back, without history, when the scheduler parses the file again.
 */
import type { Command } from 'commander';
import { dagDeleteSql, dagsSql, UpdraftError } from '@updraft/core';
import { recordCliEvents } from '../cli-events.js';
import { confirm } from '../confirm.js';
import { identifierArg } from '../output.js';
import { dagsGroup, withDatabase } from './runs.js';

async function deleteDag(command: Command, dagId: string, o: { yes?: boolean }): Promise<void> {
  await withDatabase(command, async (db) => {
    const notFound = (): UpdraftError => new UpdraftError('DAG_NOT_FOUND', `no DAG '${dagId}' (see \`updraft dags list\`)`);
    if ((await dagsSql.currentDag(db.pool, dagId)) === null) throw notFound();
    const question = `Delete DAG '${dagId}' and all its runs, task instances, tries and XCom (the event log and log files stay)? [y/N] `;
    if (o.yes !== true && !(await confirm(question, 'not deleting'))) {
      process.stdout.write('nothing deleted\n');
      return;
    }
    const result = await dagDeleteSql.deleteDag(db.pool, dagId);
    if (result.outcome === 'not_found') throw notFound();
    if (result.outcome === 'active') {
      throw new UpdraftError('INVALID_ARGUMENT', `DAG '${dagId}' has ${result.active} task instance(s) queued or running: ` +
        `nothing deleted; wait for them to end (or mark their runs failed) and delete it again`);
    }
    await recordCliEvents(db.pool, [{ event: 'dag.delete', dagId, extra: { runs: result.runs, task_instances: result.taskInstances } }]);
    process.stdout.write(`deleted DAG '${dagId}': ${result.runs} run(s), ${result.taskInstances} task instance(s)\n` +
      `while its file ${result.fileloc} is in the DAGs folder, the scheduler parses it again and the DAG comes back without history; remove the file first to delete the DAG for good\n`);
  });
}

export function registerDagsDelete(program: Command): void {
  dagsGroup(program)
    .command('delete')
    .description(
      'delete a DAG and all its records: runs, task instances, tries, XCom, versions, backfills (the event log and task log files stay); ' +
        'asks unless --yes; refused while any of its tasks is queued or running. A DAG whose file is still in the DAGs folder comes back, ' +
        'without history, at the next parse',
    )
    .argument('<dag_id>', 'the DAG', identifierArg('dag id', 'dag_id'))
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (dagId: string, o: { yes?: boolean }, command: Command) => deleteDag(command, dagId, o));
}
