/**
 * `updraft variables set | get | list | delete | import | export` (Airflow's commands and flags).
 * Values are text (JSON with --json); they are encrypted with security.fernet_key when it is set.
 * `UPDRAFT_VAR_<KEY>` environment variables define variables too (`get` reads them first). `list`
 * masks values whose key is sensitive (security.sensitive_var_conn_names); `get` and export print
 * the value (the person asked for it).
 */
import type { Command } from 'commander';
import {
  assertIdentifier,
  listStoredVariables,
  maskVariableValue,
  readVariables,
  secretsContext,
  storeVariables,
  UpdraftError,
  variablesSql,
  varEnvName,
  type Variable,
} from '@updraft/core';
import { formatTable, identifierArg, oneOf } from '../output.js';
import { allPages, readJsonObject, writeTransferFile } from '../transfer.js';
import { withDatabase } from './runs.js';
import { recordCliEvents } from '../cli-events.js';

type Output = 'table' | 'json';

/** `--json`: the value must be JSON; it is stored as compact JSON text. */
function jsonText(value: string, what: string): string {
  try {
    return JSON.stringify(JSON.parse(value));
  } catch (err) {
    throw new UpdraftError('INVALID_ARGUMENT', `${what} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

async function set(command: Command, key: string, value: string, o: { description?: string; json: boolean }): Promise<void> {
  const v: Variable = { key: assertIdentifier('variable key', key), value: o.json ? jsonText(value, 'the value') : value, description: o.description ?? null };
  await withDatabase(command, async (db, cfg) => {
    await storeVariables(db.pool, secretsContext(cfg), [v], true);
    await recordCliEvents(db.pool, [{ event: 'variable.set', extra: { key } }]);
    process.stdout.write(`Variable ${key} created\n`);
  });
}

async function get(command: Command, key: string, o: { default?: string; json: boolean }): Promise<void> {
  await withDatabase(command, async (db, cfg) => {
    const found = (await readVariables(db.pool, secretsContext(cfg), [assertIdentifier('variable key', key)])).get(key);
    const value = found?.value ?? o.default;
    if (value === undefined) throw new UpdraftError('INVALID_ARGUMENT', `variable '${key}' does not exist (in the database or ${varEnvName(key)})`);
    process.stdout.write(`${o.json ? JSON.stringify(JSON.parse(jsonText(value, `variable '${key}'`)), null, 2) : value}\n`);
  });
}

async function list(command: Command, o: { output: Output }): Promise<void> {
  await withDatabase(command, async (db, cfg) => {
    const s = secretsContext(cfg);
    const all = await allPages(async (page) => {
      const r = await listStoredVariables(db.pool, s, page);
      return { items: r.variables, total: r.total };
    });
    const shown = all.map((v) => ({ ...v, value: maskVariableValue(v.key, v.value, s.sensitiveNames) }));
    if (o.output === 'json') process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    else process.stdout.write(shown.length === 0 ? 'no variables\n'
      : `${formatTable([['KEY', 'VALUE', 'DESCRIPTION'], ...shown.map((v) => [v.key, v.value, v.description ?? ''])])}\n`);
  });
}

async function remove(command: Command, key: string): Promise<void> {
  await withDatabase(command, async (db) => {
    if ((await variablesSql.deleteVariables(db.pool, [key])).length === 0) {
      throw new UpdraftError('INVALID_ARGUMENT', `variable '${key}' does not exist in the database`);
    }
    await recordCliEvents(db.pool, [{ event: 'variable.delete', extra: { key } }]);
    process.stdout.write(`Variable ${key} deleted\n`);
  });
}

type OnExisting = 'overwrite' | 'fail' | 'skip';

/** Import files: `{"key": value}` (non-text values stored as JSON) or `{"key": {"value": v, "description": d}}`. */
function parseImport(file: string): Variable[] {
  return Object.entries(readJsonObject(file)).map(([key, raw]) => {
    assertIdentifier('variable key', key, `${file}: variable key`);
    const described = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'value' in raw
      && Object.keys(raw).every((k) => k === 'value' || k === 'description');
    const value = described ? (raw as { value: unknown }).value : raw;
    const description = described ? (raw as { description?: unknown }).description : undefined;
    if (description !== undefined && description !== null && typeof description !== 'string') {
      throw new UpdraftError('INVALID_ARGUMENT', `${file}: variable '${key}': description must be text`);
    }
    return { key, value: typeof value === 'string' ? value : JSON.stringify(value), description: (description as string | undefined) ?? null };
  });
}

async function importFile(command: Command, file: string, o: { actionOnExistingKey: OnExisting }): Promise<void> {
  const vars = parseImport(file);
  await withDatabase(command, async (db, cfg) => {
    const s = secretsContext(cfg);
    if (o.actionOnExistingKey === 'fail') {
      const existing = await variablesSql.getVariables(db.pool, vars.map((v) => v.key));
      if (existing.length > 0) {
        throw new UpdraftError('INVALID_ARGUMENT', `variables already exist: ${existing.map((v) => v.key).join(', ')} (nothing imported)`);
      }
    }
    const written = await storeVariables(db.pool, s, vars, o.actionOnExistingKey === 'overwrite');
    if (written.length > 0) await recordCliEvents(db.pool, [{ event: 'variable.import', extra: { keys: written } }]);
    process.stdout.write(`${written.length} of ${vars.length} variable(s) successfully imported${written.length < vars.length ? ' (the others exist and were skipped)' : ''}\n`);
  });
}

async function exportFile(command: Command, file: string): Promise<void> {
  await withDatabase(command, async (db, cfg) => {
    const all = await allPages(async (page) => {
      const r = await listStoredVariables(db.pool, secretsContext(cfg), page);
      return { items: r.variables, total: r.total };
    });
    const parsed = (value: string): unknown => {
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
    };
    writeTransferFile(file, `${JSON.stringify(Object.fromEntries(all.map((v) => [v.key, parsed(v.value)])), null, 2)}\n`);
    if (file !== '-') process.stdout.write(`${all.length} variable(s) successfully exported to ${file}\n`);
  });
}

export function register(program: Command): void {
  const vars = program.command('variables').description('variables: set, get, list, delete, import, export');
  vars
    .command('set')
    .description('create or replace a variable')
    .argument('<key>', 'variable key', identifierArg('variable key', 'variable key'))
    .argument('<value>', 'value (text; JSON with --json)')
    .option('--description <text>', 'description')
    .option('-j, --json', 'the value is JSON (checked, stored compact)', false)
    .action(async (key: string, value: string, o: { description?: string; json: boolean }, command: Command) => set(command, key, value, o));
  vars
    .command('get')
    .description('print a variable\'s value (environment UPDRAFT_VAR_<KEY> first, then the database)')
    .argument('<key>', 'variable key', identifierArg('variable key', 'variable key'))
    .option('-d, --default <value>', 'printed when the variable does not exist')
    .option('-j, --json', 'parse the value as JSON and print it indented', false)
    .action(async (key: string, o: { default?: string; json: boolean }, command: Command) => get(command, key, o));
  vars
    .command('list')
    .description('list the variables stored in the database (values of sensitive keys masked)')
    .option('-o, --output <format>', 'table or json', oneOf('--output', ['table', 'json'] as const), 'table' as Output)
    .action(async (o: { output: Output }, command: Command) => list(command, o));
  vars
    .command('delete')
    .description('delete a variable from the database')
    .argument('<key>', 'variable key', identifierArg('variable key', 'variable key'))
    .action(async (key: string, _o: unknown, command: Command) => remove(command, key));
  vars
    .command('import')
    .description('import variables from a JSON file ({"key": value} or {"key": {"value": v, "description": d}}); - reads stdin')
    .argument('<file>', 'file to read')
    .option('-a, --action-on-existing-key <action>', 'overwrite, fail or skip', oneOf('--action-on-existing-key', ['overwrite', 'fail', 'skip'] as const), 'overwrite' as OnExisting)
    .action(async (file: string, o: { actionOnExistingKey: OnExisting }, command: Command) => importFile(command, file, o));
  vars
    .command('export')
    .description('export the stored variables to a JSON file (- for stdout), values in plain text')
    .argument('<file>', 'file to write')
    .action(async (file: string, _o: unknown, command: Command) => exportFile(command, file));
}
