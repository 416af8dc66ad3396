/**
 * `updraft db migrate` and `updraft db status`: the metadata database schema (`db clean`: db-clean.ts).
 * The database is `database.url` of the configuration (UPDRAFT__DATABASE__URL, updraft.cfg, .env);
 * empty means the embedded PostgreSQL (that of a running `updraft standalone`, or one started for
 * this command in database.embedded_data_dir).
 */
import type { Command } from 'commander';
import { migrate, migrationStatus, redactDatabaseUrl, UpdraftError, waitForDatabase } from '@updraft/core';
import type { MigrationStatusEntry } from '@updraft/core';
import { openDatabase, type OpenDatabase } from '../database.js';
import { loadConfigForCommand } from './config.js';
import { registerClean } from './db-clean.js';

/** The configured database (waiting up to `waitSeconds` for a server at database.url), unmigrated. */
async function openForCommand(command: Command, applicationName: string, waitSeconds = 0): Promise<OpenDatabase & { where: string }> {
  const cfg = loadConfigForCommand(command);
  if (cfg.database.url && waitSeconds > 0) await waitForDatabase(cfg.database.url, waitSeconds * 1000);
  const db = await openDatabase(cfg, { applicationName, max: 1, migrate: false });
  const where = cfg.database.url ? redactDatabaseUrl(db.url) : `${redactDatabaseUrl(db.url)} (embedded, data in ${cfg.database.embeddedDataDir})`;
  return { ...db, where };
}

function parseWaitSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new UpdraftError('INVALID_ARGUMENT', `--wait expects a number of seconds >= 0, got "${value}"`);
  }
  return seconds;
}

const pad4 = (version: number): string => String(version).padStart(4, '0');

async function runMigrate(command: Command, options: { wait: number }): Promise<void> {
  const db = await openForCommand(command, 'updraft-db-migrate', options.wait);
  try {
    const applied = await migrate(db.pool);
    for (const m of applied) {
      process.stdout.write(`applied ${pad4(m.version)}_${m.name} (${Math.round(m.durationMs)} ms)\n`);
    }
    process.stdout.write(
      applied.length === 0
        ? `database ${db.where} is up to date\n`
        : `database ${db.where} migrated: ${applied.length} migration(s) applied\n`,
    );
  } finally {
    await db.close();
  }
}

function formatStatus(entries: MigrationStatusEntry[]): string {
  const rows = [
    ['VERSION', 'NAME', 'STATE', 'APPLIED AT'],
    ...entries.map((e) => [pad4(e.version), e.name, e.state, e.appliedAt?.toISOString() ?? '']),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

async function runStatus(command: Command): Promise<void> {
  const db = await openForCommand(command, 'updraft-db-status');
  try {
    const entries = await migrationStatus(db.pool);
    process.stdout.write(`${formatStatus(entries)}\n`);
    const pending = entries.filter((e) => e.state === 'pending').length;
    const bad = entries.filter((e) => e.state === 'changed' || e.state === 'unknown');
    if (bad.length > 0) {
      throw new UpdraftError(
        'MIGRATION_FAILED',
        `${bad.map((e) => `${pad4(e.version)}_${e.name}: ${e.state}`).join(', ')} ` +
          '(changed: the file was edited after it was applied; unknown: applied by a newer Updraft)',
      );
    }
    process.stdout.write(pending === 0 ? 'up to date\n' : `${pending} pending: run \`updraft db migrate\`\n`);
  } finally {
    await db.close();
  }
}

export function register(program: Command): void {
  const db = program.command('db').description('the metadata database (PostgreSQL at database.url; empty: the embedded one)');

  db.command('migrate')
    .description(
      'apply the pending schema migrations; idempotent, and safe when several processes run it at once',
    )
    .option('--wait <seconds>', 'wait up to this long for the database to accept connections', parseWaitSeconds, 0)
    .action(async (options: { wait: number }, command: Command) => runMigrate(command, options));

  db.command('status')
    .description('list the migrations and whether each is applied (exit 1 when one was edited or is unknown)')
    .action(async (_options: unknown, command: Command) => runStatus(command));

  registerClean(db);
}
