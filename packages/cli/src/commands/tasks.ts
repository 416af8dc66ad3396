/**
 * `updraft tasks states | logs | test | render`: the task instances of a run (with tries and
 * requeues), the per-try log files, running one task here without scheduler or database, and a
 * task's templates rendered for a date.
 */
import type { Command } from 'commander';
import {
  buildRunnableTask, dagRunsSql, findTask, inferManualDataInterval, resolveTemplateSecrets, runIdFor,
  secretsContext, taskInstancePagesSql, taskInstancesSql, taskTemplatesOf, templateSecretRefs, templateXComRefs, UpdraftError, xcomRefText,
} from '@updraft/core';

type TaskInstanceView = taskInstancesSql.TaskInstanceView;
import { loadDagFromFiles } from '../local-dag.js';
import { registerClear } from './tasks-clear.js';
import { registerLogs } from './tasks-logs.js';
import { localRunDefaults, runTaskHere } from '../local-run.js';
import { formatDuration, formatInstant, formatTable, identifierArg, oneOf, parseConf, parseDateArgument } from '../output.js';
import { loadConfigForCommand } from './config.js';
import { withDatabase } from './runs.js';

type Output = 'table' | 'json';

/** A reason as one line of at most `max` characters. */
function truncated(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

const instanceName = (taskId: string, mapIndex: number): string => (mapIndex >= 0 ? `${taskId}[${mapIndex}]` : taskId);

function statesTable(tis: readonly TaskInstanceView[]): string {
  const rows = tis.map((t) => [
    instanceName(t.taskId, t.mapIndex),
    t.state,
    `${t.tryNumber}/${t.maxTries}`,
    t.queue,
    t.worker ?? '',
    t.hostname ?? '',
    formatInstant(t.startedAt),
    formatInstant(t.endedAt),
    formatDuration(t.durationMs),
    String(t.requeueCount),
    truncated(t.error ?? t.lastRequeueReason ?? ''),
  ]);
  const header = ['TASK_ID', 'STATE', 'TRY', 'QUEUE', 'WORKER', 'HOSTNAME', 'START', 'END', 'DURATION', 'REQUEUES', 'REASON'];
  // Mapped instances named by their task's mapIndexTemplate: a column only when some instance has a name.
  if (tis.some((t) => t.renderedMapIndex !== null)) {
    header.splice(1, 0, 'NAME');
    tis.forEach((t, i) => rows[i]!.splice(1, 0, truncated(t.renderedMapIndex ?? '', 40)));
  }
  // Why a task waits (depends_on_past, ...): a column only when some task is held back.
  if (tis.some((t) => t.waitReason !== null)) {
    header.push('WAITING_BECAUSE');
    tis.forEach((t, i) => rows[i]!.push(t.waitReason ?? ''));
  }
  return formatTable([header, ...rows]);
}

async function states(command: Command, dagId: string, runId: string, o: { output: Output }): Promise<void> {
  await withDatabase(command, async (db) => {
    const run = await dagRunsSql.findDagRun(db.pool, dagId, runId);
    if (run === null) throw new UpdraftError('RUN_NOT_FOUND', `DAG '${dagId}' has no run '${runId}'`);
    const tis = await taskInstancesSql.listRunTaskInstances(db.pool, dagId, runId);
    const reasons = await taskInstancePagesSql.listRunTryReasons(db.pool, dagId, runId);
    if (o.output === 'json') {
      const json = tis.map((t) => ({
        ...t,
        tryReasons: reasons.filter((r) => r.taskId === t.taskId && r.mapIndex === t.mapIndex)
          .map((r) => ({ tryNumber: r.tryNumber, state: r.state, reason: r.error })),
      }));
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      return;
    }
    process.stdout.write(`${statesTable(tis)}\n`);
    // The reasons of earlier tries (the table shows each instance's current try).
    const current = new Map(tis.map((t) => [instanceName(t.taskId, t.mapIndex), t.tryNumber]));
    const earlier = reasons.filter((r) => current.get(instanceName(r.taskId, r.mapIndex)) !== r.tryNumber);
    if (earlier.length > 0) {
      process.stdout.write('\nearlier tries:\n');
      for (const r of earlier) {
        process.stdout.write(`  ${instanceName(r.taskId, r.mapIndex)} try ${r.tryNumber} ${r.state ?? ''}: ${truncated(r.error, 120)}\n`);
      }
    }
  });
}

interface TestOptions {
  file?: string;
  conf?: string;
  runId?: string;
  logFolder?: string;
}

async function test(command: Command, dagId: string, taskId: string, date: string | undefined, o: TestOptions): Promise<void> {
  const cfg = loadConfigForCommand(command);
  const conf = parseConf(o.conf);
  const { dag, dagFilePath } = await loadDagFromFiles(cfg, dagId, o.file);
  const logicalDate = date === undefined ? new Date() : parseDateArgument(date, dag.timezone, 'DATE');
  const result = await runTaskHere({
    ...localRunDefaults(cfg), ...(o.logFolder ? { logFolder: o.logFolder } : {}), dag, dagFilePath, taskId, logicalDate, conf, ...(o.runId ? { runId: o.runId } : {}),
    output: (_taskId, line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`task ${taskId}: ${result.outcome} (exit code ${result.exitCode}, ${formatDuration(result.durationMs)}; log ${result.logFile})\n`);
  // The task's exit code; a failure without one (killed, function threw) is 1.
  process.exitCode = result.outcome === 'success' || result.outcome === 'skipped' ? 0 : result.exitCode > 0 ? result.exitCode : 1;
}

interface RenderOptions {
  file?: string;
  conf?: string;
  runId?: string;
}

/**
 * Prints a task's templates rendered for a logical date as the scheduler would render them at
 * claim time (Airflow's `tasks render`): conn.* / var.* from UPDRAFT_CONN_* / UPDRAFT_VAR_* of this
 * process, no XCom (ti.xcom_pull renders empty), no previous run (prev_* render empty).
 */
async function render(command: Command, dagId: string, taskId: string, date: string, o: RenderOptions): Promise<void> {
  const cfg = loadConfigForCommand(command);
  const conf = parseConf(o.conf);
  const { dag } = await loadDagFromFiles(cfg, dagId, o.file);
  const task = findTask(dag, taskId);
  const logicalDate = parseDateArgument(date, dag.timezone, 'DATE');
  const interval = inferManualDataInterval(dag, logicalDate);
  const where = `DAG '${dagId}' task '${taskId}'`;
  const templates = taskTemplatesOf(task);
  const secrets = await resolveTemplateSecrets(null, secretsContext(cfg), templateSecretRefs(templates));
  const xcom = new Map(templateXComRefs(templates, where).map((r) => [xcomRefText(r), null]));
  const runnable = buildRunnableTask({
    dag, taskId, tryNumber: 1, maxTries: task.retries + 1, secrets, xcom,
    run: { runId: o.runId ?? runIdFor('manual', logicalDate), logicalDate, dataIntervalStart: interval.dataIntervalStart, dataIntervalEnd: interval.dataIntervalEnd, conf },
  }, task);
  const out: string[] = [];
  if (task.kind === 'bash') out.push('# bash_command', runnable.spec.bashCommand);
  else out.push(`# ${task.taskId} is a ${task.kind} task: no command to render`);
  for (const [name, value] of Object.entries(runnable.spec.env)) out.push(`# env ${name}`, value);
  process.stdout.write(`${out.join('\n')}\n`);
}

export function register(program: Command): void {
  const tasks = program.command('tasks').description('task instances: states, logs, clear, test, render');
  registerClear(tasks);

  tasks
    .command('states')
    .description(
      'list the task instances of a DAG run: state, try/max tries, queue, worker and host, start, end, duration, ' +
        'requeues of a lost queued attempt and the last requeue reason',
    )
    .argument('<dag_id>', 'the DAG', identifierArg('dag id', 'dag_id'))
    .argument('<run_id>', 'the run', identifierArg('run id', 'run_id'))
    .option('-o, --output <format>', 'table or json', oneOf('--output', ['table', 'json'] as const), 'table' as Output)
    .action(async (dagId: string, runId: string, o: { output: Output }, command: Command) => states(command, dagId, runId, o));

  registerLogs(tasks);

  tasks
    .command('test')
    .description(
      'run one task here, as a worker would (same executor, umask, user, log file), without scheduler, queue ' +
        'or database, and print its log; no state changes. Exit code: the task\'s',
    )
    .argument('<dag_id>', 'the DAG', identifierArg('dag id', 'dag_id'))
    .argument('<task_id>', 'the task', identifierArg('task id', 'task_id'))
    .argument('[date]', 'logical date, ISO-8601; without an offset in the DAG\'s timezone (default: now)')
    .option('-f, --file <path>', 'parse only this DAG file (default: every file of core.dags_folder)')
    .option('-c, --conf <json>', 'the run\'s conf, a JSON object')
    .option('-r, --run-id <id>', 'run id the task sees (default: manual__<logical date>)', identifierArg('run id', '--run-id'))
    .option('--log-folder <dir>', 'task log root (default: <logging.base_log_folder>/local-runs, apart from the logs of the scheduler\'s tries)')
    .action(async (dagId: string, taskId: string, date: string | undefined, o: TestOptions, command: Command) =>
      test(command, dagId, taskId, date, o),
    );

  tasks
    .command('render')
    .description(
      'print a task\'s bash command (and env values) rendered for a logical date, as the scheduler renders them; ' +
        'conn.* / var.* from UPDRAFT_CONN_* / UPDRAFT_VAR_* of this process, XCom and prev_* empty',
    )
    .argument('<dag_id>', 'the DAG', identifierArg('dag id', 'dag_id'))
    .argument('<task_id>', 'the task', identifierArg('task id', 'task_id'))
    .argument('<date>', 'logical date, ISO-8601; without an offset in the DAG\'s timezone')
    .option('-f, --file <path>', 'parse only this DAG file (default: every file of core.dags_folder)')
    .option('-c, --conf <json>', 'the run\'s conf, a JSON object')
    .option('-r, --run-id <id>', 'run id the task sees (default: manual__<logical date>)', identifierArg('run id', '--run-id'))
    .action(async (dagId: string, taskId: string, date: string, o: RenderOptions, command: Command) => render(command, dagId, taskId, date, o));
}
