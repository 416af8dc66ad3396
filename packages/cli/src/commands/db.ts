/**
 * `updraft db migrate` and `updraft db status`: the metadata database schema.
 * The URL is `database.url` of the configuration (UPDRAFT__DATABASE__URL, updraft.cfg, .env).
 */
import type { Command } from 'commander';
import { createPool, migrate, migrationStatus, redactDatabaseUrl, UpdraftError, waitForDatabase } from '@updraft/core';
import type { MigrationStatusEntry } from '@updraft/core';
import { loadConfigForCommand } from './config.js';

/** The configured database URL; an empty one (the embedded database) is refused for now. */
function databaseUrl(command: Command): string {
  const url = loadConfigForCommand(command).database.url;
  if (!url) {
    // TODO(lead): empty url = the embedded PostgreSQL of standalone mode; start it here once
    // packages/cli/src/embedded-postgres.ts is wired, instead of refusing.
    throw new UpdraftError(
      'CONFIG_INVALID',
      'database.url is empty; set UPDRAFT__DATABASE__URL (or `url` in [database] of updraft.cfg) to a ' +
        'PostgreSQL URL such as postgres://user:pass@host:5432/updraft',
    );
  }
  return url;
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
  const url = databaseUrl(command);
  if (options.wait > 0) await waitForDatabase(url, options.wait * 1000);
  const pool = createPool({ url, max: 1, applicationName: 'updraft-db-migrate' });
  try {
    const applied = await migrate(pool);
    for (const m of applied) {
      process.stdout.write(`applied ${pad4(m.version)}_${m.name} (${Math.round(m.durationMs)} ms)\n`);
    }
    process.stdout.write(
      applied.length === 0
        ? `database ${redactDatabaseUrl(url)} is up to date\n`
        : `database ${redactDatabaseUrl(url)} migrated: ${applied.length} migration(s) applied\n`,
    );
  } finally {
    await pool.end();
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
  const url = databaseUrl(command);
  const pool = createPool({ url, max: 1, applicationName: 'updraft-db-status' });
  try {
    const entries = await migrationStatus(pool);
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
    await pool.end();
  }
}

export function register(program: Command): void {
  const db = program.command('db').description('the metadata database (PostgreSQL at database.url)');

  db.command('migrate')
    .description(
      'apply the pending schema migrations; idempotent, and safe when several processes run it at once',
    )
    .option('--wait <seconds>', 'wait up to this long for the database to accept connections', parseWaitSeconds, 0)
    .action(async (options: { wait: number }, command: Command) => runMigrate(command, options));

  db.command('status')
    .description('list the migrations and whether each is applied (exit 1 when one was edited or is unknown)')
    .action(async (_options: unknown, command: Command) => runStatus(command));
}
