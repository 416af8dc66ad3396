/**
 * `updraft db clean --older-than DATE`: Airflow's `db clean`. Deletes finished DAG runs older than
 * DATE with their task instances, tries and XCom, old DAG bundle versions no run needs, old event log rows, callbacks and alerts that are
 * done, and workers offline since before DATE; in batches of --batch-size rows, one short statement
 * each, so the scheduler keeps scheduling meanwhile. What is kept whatever its age is in
 * @updraft/core's sql/db-clean.ts (running runs, the latest run of each DAG, ...).
 */
import { createInterface } from 'node:readline/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { cleanDatabase, dbCleanSql, tablesToClean, UpdraftError, type Queryable } from '@updraft/core';
import { formatDuration, formatInstant, formatTable, integerAtLeast, parseDateArgument } from '../output.js';
import { withDatabase } from './runs.js';
import { recordCliEvents } from '../cli-events.js';

type Table = dbCleanSql.CleanableTable;
const TABLES = dbCleanSql.CLEANABLE_TABLES;

interface CleanOptions {
  olderThan: string;
  tables?: Table[];
  dryRun?: boolean;
  yes?: boolean;
  batchSize: number;
}

function parseTables(value: string): Table[] {
  const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new InvalidArgumentError(`expected table names separated by commas (${TABLES.join(', ')})`);
  for (const name of names) {
    if (!(TABLES as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`unknown table "${name}" (known: ${TABLES.join(', ')})`);
    }
  }
  return names as Table[];
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new UpdraftError('INVALID_ARGUMENT', 'not deleting without confirmation: pass --yes (no terminal to ask on)');
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

async function counts(db: Queryable, tables: readonly Table[], cutoff: Date): Promise<Map<Table, number>> {
  const result = new Map<Table, number>();
  for (const t of tables) result.set(t, await dbCleanSql.CLEANERS[t].count(db, cutoff));
  return result;
}

async function clean(command: Command, o: CleanOptions): Promise<void> {
  const cutoff = parseDateArgument(o.olderThan, 'UTC', '--older-than');
  const tables = tablesToClean(o.tables);
  await withDatabase(command, async (db) => {
    const before = `before ${formatInstant(cutoff)}`;
    if (o.dryRun === true || o.yes !== true) {
      const found = await counts(db.pool, tables, cutoff);
      process.stdout.write(`${formatTable([['TABLE', 'ROWS'], ...tables.map((t) => [t, String(found.get(t) ?? 0)])])}\n`);
      const total = [...found.values()].reduce((a, b) => a + b, 0);
      if (o.dryRun === true) {
        process.stdout.write(`dry run: would delete ${total} row(s) ${before}\n`);
        return;
      }
      if (total === 0) {
        process.stdout.write(`nothing to delete ${before}\n`);
        return;
      }
      if (!(await confirm(`Delete these ${total} row(s) ${before}? [y/N] `))) {
        process.stdout.write('nothing deleted\n');
        return;
      }
    }
    const cleaned = await cleanDatabase(db.pool, tables, cutoff, o.batchSize);
    const done = cleaned.map((r) => [r.table, String(r.rows), String(r.batches), formatDuration(r.ms)]);
    const total = cleaned.reduce((n, r) => n + r.rows, 0);
    await recordCliEvents(db.pool, [{ event: 'db.clean', extra: { older_than: cutoff, rows: Object.fromEntries(cleaned.map((r) => [r.table, r.rows])) } }]);
    process.stdout.write(`${formatTable([['TABLE', 'DELETED', 'BATCHES', 'TIME'], ...done])}\n`);
    process.stdout.write(`deleted ${total} row(s) ${before}\n`);
  });
}

export function registerClean(db: Command): void {
  db.command('clean')
    .description(
      'delete old rows in batches (the scheduler keeps running): finished DAG runs that ended before --older-than with their ' +
        'task instances, tries and XCom (never a queued or running run, nor the latest run of a DAG), DAG bundle versions stored ' +
        'before it that no remaining run started with and that are not current (with the file contents only they hold), event log rows, ' +
        'callbacks and alerts that are done, workers offline since before it. Lists the counts and asks unless --yes',
    )
    .requiredOption('--older-than <date>', 'delete rows older than this (ISO-8601; without an offset in UTC)')
    .option('-t, --tables <list>', `only these tables, comma-separated (${TABLES.join(', ')}); a run's children go with it`, parseTables)
    .option('--dry-run', 'print how many rows each table would lose, delete nothing')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--batch-size <n>', 'rows deleted per statement', integerAtLeast(1), 1000)
    .action(async (o: CleanOptions, command: Command) => clean(command, o));
}
