import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chain, dag, type CallbackContext } from '@updraft/sdk';

// Every run works in its own directory named by its logical date.
const DATA_DIR = '${UPDRAFT_DATA_DIR:-/tmp/updraft-data}/etl_daily/{{ ds }}';

// Failure callbacks run once per event in an isolated process on the scheduler's host; what they
// print goes to the scheduler's log. To be alerted in Slack or by e-mail instead, add a notifier
// (delivered by the scheduler, retried, sent once) after adding its connection:
//   onFailure: [report, slack({ channel: '#etl' }), email({ to: 'oncall@example.com' })]
// with `updraft connections add slack_default --conn-type slack --conn-password xoxb-...`.
const report = (ctx: CallbackContext): void => {
  const task = ctx.taskInstance ? ` task ${ctx.taskInstance.taskId} try ${ctx.taskInstance.tryNumber}` : '';
  console.log(`etl_daily ${ctx.runId}: ${ctx.event}${task}: ${ctx.exception ?? ''} (${ctx.logUrl})`);
};

/**
 * Extract (bash) -> transform (a TypeScript function) -> load (bash), each writing a file under
 * $UPDRAFT_DATA_DIR/etl_daily/<ds>/.
 */
export default dag(
  {
    dagId: 'etl_daily',
    description: 'Extract, transform and load files for each day.',
    schedule: '@daily',
    startDate: '2024-01-01',
    tags: ['example', 'etl'],
    isPausedUponCreation: true, // examples load paused, as Airflow's do
    params: { source: 'demo' },
    defaultArgs: { retries: 1, retryDelay: '10s', onFailure: report },
    onDagRunFailure: report,
  },
  (d) => {
    const extract = d.bash('extract', {
      command:
        `mkdir -p "${DATA_DIR}" && ` +
        `printf 'id,value\\n1,10\\n2,20\\n3,30\\n' > "${DATA_DIR}/extract.csv" && ` +
        `echo "extracted {{ params.source }} for {{ ds }}"`,
    });

    const transform = d.fn('transform', async (ctx) => {
      const dir = join(process.env.UPDRAFT_DATA_DIR ?? '/tmp/updraft-data', 'etl_daily', ctx.ds);
      const lines = (await readFile(join(dir, 'extract.csv'), 'utf8')).trim().split('\n').slice(1);
      const total = lines.reduce((sum, line) => sum + Number(line.split(',')[1]), 0);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'transform.json'), JSON.stringify({ rows: lines.length, total }) + '\n');
      ctx.log(`transformed ${lines.length} rows, total ${total}`);
      return { rows: lines.length, total };
    });

    const load = d.bash('load', {
      command: `cp "${DATA_DIR}/transform.json" "${DATA_DIR}/loaded.json" && echo "loaded {{ ds }}"`,
    });

    chain(extract, transform, load);
  },
);
