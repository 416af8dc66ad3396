/**
 * `updraft dags list | list-import-errors | validate | show | reserialize`.
 * list, list-import-errors and show first bring the database up to date with the DAGs folder (a
 * processor pass: unchanged files are skipped by hash), as Airflow's CLI parses the folder;
 * `--no-refresh` only reads the database. validate needs no database. With a git bundle
 * (core.dags_bundle = git:...) only the scheduler parses: these commands read the database, and
 * `updraft dags refresh` (dags-refresh.ts) makes the scheduler fetch and parse at once.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import {
  DagProcessor,
  dagFilesSql,
  dagsSql,
  describeTimetable,
  nextRunOf,
  scheduleSummary,
  UpdraftError,
  validateDagFiles,
  wallClock,
} from '@updraft/core';
import type { DagRunInfo, UpdraftConfig } from '@updraft/core';
import type { SerializedDag } from '@updraft/sdk';

type DagSummary = dagsSql.DagSummary;
import { openDatabase } from '../database.js';
import type { OpenDatabase } from '../database.js';
import { identifierArg, oneOf } from '../output.js';
import { loadConfigForCommand } from './config.js';

type Output = 'table' | 'json';

function parseOutput(allowed: readonly string[]): (value: string) => string {
  return oneOf('--output', allowed);
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UpdraftError('INVALID_ARGUMENT', `--timeout expects a number of seconds > 0, got "${value}"`);
  }
  return seconds;
}

function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd())
    .join('\n');
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** "2026-11-22 02:00 UTC", "2026-11-22 11:00 Asia/Seoul": wall-clock time in the DAG's timezone. */
export function formatInZone(date: Date, timeZone: string): string {
  const w = wallClock(date, timeZone);
  const seconds = w.second === 0 ? '' : `:${pad(w.second)}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}${seconds} ${timeZone}`;
}

function processorOptions(cfg: UpdraftConfig, timeoutSeconds?: number) {
  return {
    dagsFolder: cfg.core.dagsFolder,
    defaultTimezone: cfg.core.defaultTimezone,
    parsingProcesses: cfg.core.parsingProcesses,
    fileTimeoutMs: timeoutSeconds === undefined ? cfg.core.dagFileProcessorTimeoutMs : timeoutSeconds * 1000,
    bundleMaxBytes: cfg.core.dagsBundleMaxBytes,
  };
}

/** Opens the database, optionally brings it up to date with the DAGs folder, runs `fn`, closes. */
async function withDatabase<T>(
  command: Command,
  options: { refresh: boolean; force?: boolean },
  fn: (db: OpenDatabase, cfg: UpdraftConfig) => Promise<T>,
): Promise<T> {
  const cfg = loadConfigForCommand(command);
  const gitBundle = cfg.core.dagsBundle.trim() !== '';
  if (gitBundle && options.force) {
    throw new UpdraftError('INVALID_ARGUMENT', 'core.dags_bundle is a git repository, which only the scheduler parses: `updraft dags refresh` fetches and parses it now');
  }
  const db = await openDatabase(cfg, { applicationName: 'updraft-dags', max: 4 });
  try {
    const folderMissing = !existsSync(cfg.core.dagsFolder);
    if (options.refresh && gitBundle) {
      // The local folder is not the bundle: parsing it would replace the scheduler's DAGs.
    } else if (options.refresh && folderMissing && !options.force) {
      // E.g. a host that only reaches the database: show what the scheduler stored.
      process.stderr.write(`updraft: DAGs folder ${cfg.core.dagsFolder} not found (core.dags_folder); showing what the database holds\n`);
    } else if (options.refresh) {
      const processor = new DagProcessor(db.pool, processorOptions(cfg));
      try {
        const summary = await processor.processDagsFolder({ force: options.force ?? false });
        if (options.force) {
          process.stdout.write(
            `reserialized ${summary.filesParsed} files in ${(summary.durationMs / 1000).toFixed(2)} s: ` +
              `${summary.dags} DAGs, ${summary.errors.length} import errors` +
              (summary.deactivatedDagIds.length > 0 ? `, deactivated: ${summary.deactivatedDagIds.join(', ')}` : '') +
              '\n',
          );
        }
      } finally {
        await processor.close();
      }
    }
    return await fn(db, cfg);
  } finally {
    await db.close();
  }
}

function nextRunJson(next: DagRunInfo | null, timeZone: string): Record<string, string> | null {
  if (next === null) return null;
  return {
    runAfter: next.runAfter.toISOString(),
    logicalDate: next.logicalDate.toISOString(),
    dataIntervalStart: next.dataIntervalStart.toISOString(),
    dataIntervalEnd: next.dataIntervalEnd.toISOString(),
    runAfterLocal: formatInZone(next.runAfter, timeZone),
  };
}

function printDags(dags: DagSummary[], output: Output, now: Date): void {
  const withNext = dags.map((d) => ({ dag: d, next: nextRunOf(d, now) }));
  if (output === 'json') {
    const json = withNext.map(({ dag: d, next }) => ({
      dagId: d.dagId,
      schedule: d.schedule,
      ...(d.timetable === null ? {} : { timetable: d.timetable, timetableDescription: describeTimetable(d.timetable) }),
      ...(d.assetSchedule === null ? {} : { assets: d.assetSchedule, ...(d.assetCondition === null ? {} : { assetCondition: d.assetCondition }), scheduleDescription: scheduleSummary(d) }),
      timezone: d.timezone,
      nextRun: nextRunJson(next, d.timezone),
      isPaused: d.isPaused,
      isActive: d.isActive,
      fileloc: d.fileloc,
      owner: d.owner,
      tags: d.tags,
      description: d.description,
    }));
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  if (dags.length === 0) {
    process.stdout.write('no DAGs (is core.dags_folder right? see also `updraft dags list-import-errors`)\n');
    return;
  }
  const rows = withNext.map(({ dag: d, next }) => [
    d.dagId,
    scheduleSummary(d),
    // The run the scheduler creates next, at the end of its data interval; "(due)" once that passed.
    next === null ? '-' : formatInZone(next.runAfter, d.timezone) + (next.runAfter <= now ? ' (due)' : ''),
    d.isPaused ? 'yes' : 'no',
    d.fileloc + (d.isActive ? '' : ' (inactive)'),
    d.owner,
    d.tags.join(','),
  ]);
  process.stdout.write(`${formatTable([['DAG_ID', 'SCHEDULE', 'NEXT RUN', 'PAUSED', 'FILE', 'OWNER', 'TAGS'], ...rows])}\n`);
}

/** The task graph of a DAG as text: tasks in topological order with their upstreams, then the edges. */
export function renderDagGraph(dag: SerializedDag): string {
  const header =
    `DAG ${dag.dagId}: ${dag.tasks.length} task(s), schedule ${scheduleSummary(dag)} (${dag.timezone}), ` +
    `file ${dag.fileloc}`;
  const rows = dag.tasks.map((t) => [
    t.taskId,
    t.kind,
    t.upstream.length === 0 ? '-' : t.upstream.join(', '),
    t.kind === 'bash' ? (t.bashCommand ?? '').replace(/\s+/g, ' ').slice(0, 60) : '',
  ]);
  const edges = dag.tasks.flatMap((t) => t.downstream.map((d) => `  ${t.taskId} -> ${d}`));
  return [
    header,
    '',
    formatTable([['TASK', 'KIND', 'UPSTREAM', 'COMMAND'], ...rows]),
    '',
    edges.length === 0 ? 'edges: none' : 'edges:',
    ...edges,
  ].join('\n');
}

/** Graphviz dot of the task graph. */
export function renderDagDot(dag: SerializedDag): string {
  const q = (s: string): string => JSON.stringify(s);
  return [
    `digraph ${q(dag.dagId)} {`,
    '  rankdir=LR;',
    ...dag.tasks.map((t) => `  ${q(t.taskId)} [label=${q(`${t.taskId}\n(${t.kind})`)}];`),
    ...dag.tasks.flatMap((t) => t.downstream.map((d) => `  ${q(t.taskId)} -> ${q(d)};`)),
    '}',
  ].join('\n');
}

async function runValidate(command: Command, path: string | undefined, options: { timeout?: number; output: 'text' | 'json' }): Promise<void> {
  const cfg = loadConfigForCommand(command);
  const target = path ?? cfg.core.dagsFolder;
  const { fileTimeoutMs, defaultTimezone, parsingProcesses } = processorOptions(cfg, options.timeout);
  const report = await validateDagFiles([target], { fileTimeoutMs, defaultTimezone, parsingProcesses });
  if (options.output === 'json') {
    const json = { files: report.files, dags: report.dags.map((d) => d.serialized.dagId), problems: report.problems };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    // Each message starts with the file it is about.
    for (const p of report.problems) process.stdout.write(`[${p.kind}] ${p.message}\n`);
    const summary = `${report.files} file(s), ${report.dags.length} DAG(s)`;
    process.stdout.write(
      report.problems.length === 0 ? `${summary}, no problems\n` : `${summary}, ${report.problems.length} file(s) with problems\n`,
    );
  }
  if (report.problems.length > 0) process.exitCode = 1;
}

export function register(program: Command): void {
  const dags = program.command('dags').description('DAGs: list, validate, show, import errors, reserialize');

  dags
    .command('list')
    .description('list the DAGs: id, schedule, next run (in the DAG\'s timezone), paused, file, owner, tags')
    .option('-o, --output <format>', 'table or json', parseOutput(['table', 'json']), 'table')
    .option('--all', 'include inactive DAGs (whose file is gone)', false)
    .option('--no-refresh', 'only read the database (do not process the DAGs folder first)')
    .action(async (options: { output: Output; all: boolean; refresh: boolean }, command: Command) =>
      withDatabase(command, { refresh: options.refresh }, async (db) => {
        printDags(await dagsSql.listDags(db.pool, { includeInactive: options.all }), options.output, new Date());
      }),
    );

  dags
    .command('list-import-errors')
    .description('list the DAG files that failed to load, with the reason')
    .option('-o, --output <format>', 'table or json', parseOutput(['table', 'json']), 'table')
    .option('--no-refresh', 'only read the database (do not process the DAGs folder first)')
    .action(async (options: { output: Output; refresh: boolean }, command: Command) =>
      withDatabase(command, { refresh: options.refresh }, async (db) => {
        const errors = await dagFilesSql.listImportErrors(db.pool);
        if (options.output === 'json') {
          process.stdout.write(`${JSON.stringify(errors, null, 2)}\n`);
        } else if (errors.length === 0) {
          process.stdout.write('no import errors\n');
        } else {
          for (const e of errors) process.stdout.write(`[${e.kind}] ${e.message}\n`);
        }
      }),
    );

  dags
    .command('validate')
    .description(
      'parse DAG files as the scheduler would and list every problem with its file and reason ' +
        '(exit 1 if any); needs no database. PATH: a file or folder, default core.dags_folder',
    )
    .argument('[path]', 'DAG file or folder (default: core.dags_folder)')
    .option('--timeout <seconds>', 'per-file import timeout (default: core.dag_file_processor_timeout)', parseSeconds)
    .option('-o, --output <format>', 'text (one line per problem) or json', parseOutput(['text', 'json']), 'text')
    .action(async (path: string | undefined, options: { timeout?: number; output: 'text' | 'json' }, command: Command) =>
      runValidate(command, path, options),
    );

  dags
    .command('show')
    .description('print the task graph of a DAG (tasks in dependency order with their upstreams, and the edges)')
    .argument('<dag_id>', 'the DAG', identifierArg('dag id', 'dag_id'))
    .option('-o, --output <format>', 'text (a summary of the DAG), dot (Graphviz) or json', parseOutput(['text', 'dot', 'json']), 'text')
    .option('--no-refresh', 'only read the database (do not process the DAGs folder first)')
    .action(async (dagId: string, options: { output: string; refresh: boolean }, command: Command) =>
      withDatabase(command, { refresh: options.refresh }, async (db) => {
        const dag = (await dagsSql.currentDag(db.pool, dagId, { withData: true }))?.dag;
        if (dag === undefined) {
          throw new UpdraftError('DAG_NOT_FOUND', `no DAG '${dagId}' (see \`updraft dags list\` and \`updraft dags list-import-errors\`)`);
        }
        const text = options.output === 'json' ? JSON.stringify(dag, null, 2) : options.output === 'dot' ? renderDagDot(dag) : renderDagGraph(dag);
        process.stdout.write(`${text}\n`);
      }),
    );

  dags
    .command('reserialize')
    .description('parse every DAG file again, ignoring unchanged hashes, and store the results')
    .action(async (_options: unknown, command: Command) => withDatabase(command, { refresh: true, force: true }, async () => undefined));
}
