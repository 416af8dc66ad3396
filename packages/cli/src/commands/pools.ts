/**
 * `updraft pools set | get | list | delete | import | export` (Airflow's commands): how many
 * slots each pool holds and how many its task instances take (running, queued, open). The
 * scheduler never has more slots of a pool queued + running than it holds.
 */
import type { Command } from 'commander';
import { assertIdentifier, poolsSql, UpdraftError } from '@updraft/core';
import { formatTable, identifierArg, integerAtLeast, oneOf } from '../output.js';
import { allPages, readJsonObject, writeTransferFile } from '../transfer.js';
import { withDatabase } from './runs.js';
import { recordCliEvents } from '../cli-events.js';

type Output = 'table' | 'json';
type PoolView = poolsSql.PoolView;

const checkName = (name: string): string => assertIdentifier('pool', name, 'pool name');

/** Airflow's pool fields (the API's names). */
export const poolJson = (p: PoolView): Record<string, unknown> => ({
  name: p.pool, slots: p.slots, description: p.description, occupied_slots: p.occupiedSlots, running_slots: p.runningSlots,
  queued_slots: p.queuedSlots, scheduled_slots: p.scheduledSlots, deferred_slots: p.deferredSlots, open_slots: p.openSlots,
});

function print(pools: readonly PoolView[], output: Output): void {
  if (output === 'json') {
    process.stdout.write(`${JSON.stringify(pools.map(poolJson), null, 2)}\n`);
    return;
  }
  process.stdout.write(`${formatTable([
    ['POOL', 'SLOTS', 'RUNNING', 'QUEUED', 'OCCUPIED', 'OPEN', 'WAITING', 'DESCRIPTION'],
    ...pools.map((p) => [p.pool, p.slots < 0 ? 'unlimited' : String(p.slots), String(p.runningSlots), String(p.queuedSlots),
      String(p.occupiedSlots), p.openSlots < 0 ? 'unlimited' : String(p.openSlots), String(p.scheduledSlots), p.description ?? '']),
  ])}\n`);
}

async function set(command: Command, name: string, slots: number, description: string): Promise<void> {
  await withDatabase(command, async (db) => {
    await poolsSql.savePools(db.pool, [{ pool: checkName(name), slots, description }]);
    await recordCliEvents(db.pool, [{ event: 'pool.set', extra: { pool: name, slots } }]);
    print(await poolsSql.getPools(db.pool, [name]), 'table');
  });
}

async function get(command: Command, name: string, o: { output: Output }): Promise<void> {
  await withDatabase(command, async (db) => {
    const found = await poolsSql.getPools(db.pool, [name]);
    if (found.length === 0) throw new UpdraftError('INVALID_ARGUMENT', `pool '${name}' does not exist`);
    print(found, o.output);
  });
}

const everyPool = (db: Parameters<typeof poolsSql.listPools>[0]): Promise<PoolView[]> =>
  allPages(async (page) => {
    const r = await poolsSql.listPools(db, page);
    return { items: r.rows, total: r.total };
  });

async function list(command: Command, o: { output: Output }): Promise<void> {
  await withDatabase(command, async (db) => print(await everyPool(db.pool), o.output));
}

async function remove(command: Command, name: string): Promise<void> {
  if (name === poolsSql.DEFAULT_POOL) throw new UpdraftError('INVALID_ARGUMENT', `${poolsSql.DEFAULT_POOL} cannot be deleted (set its slots instead)`);
  await withDatabase(command, async (db) => {
    if ((await poolsSql.deletePools(db.pool, [name])).length === 0) throw new UpdraftError('INVALID_ARGUMENT', `pool '${name}' does not exist`);
    await recordCliEvents(db.pool, [{ event: 'pool.delete', extra: { pool: name } }]);
    process.stdout.write(`Pool ${name} deleted\n`);
  });
}

/** Import files: `{"name": {"slots": n, "description": "..."}}` (Airflow's export format). */
function parseImport(file: string): poolsSql.PoolRow[] {
  return Object.entries(readJsonObject(file)).map(([name, raw]) => {
    const where = `${file}: pool '${name}'`;
    checkName(name);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UpdraftError('INVALID_ARGUMENT', `${where} must be {"slots": N, "description": "..."}`);
    const { slots, description } = raw as { slots?: unknown; description?: unknown };
    if (!Number.isInteger(slots) || (slots as number) < -1) throw new UpdraftError('INVALID_ARGUMENT', `${where}: slots must be an integer >= -1 (-1: unlimited)`);
    if (description !== undefined && description !== null && typeof description !== 'string') throw new UpdraftError('INVALID_ARGUMENT', `${where}: description must be text`);
    return { pool: name, slots: slots as number, description: (description as string | null | undefined) ?? null };
  });
}

async function importFile(command: Command, file: string): Promise<void> {
  const pools = parseImport(file);
  await withDatabase(command, async (db) => {
    const written = await poolsSql.savePools(db.pool, pools);
    if (written.length > 0) await recordCliEvents(db.pool, [{ event: 'pool.import', extra: { pools: written } }]);
    process.stdout.write(`Uploaded ${written.length} pool(s)\n`);
  });
}

async function exportFile(command: Command, file: string): Promise<void> {
  await withDatabase(command, async (db) => {
    const all = await everyPool(db.pool);
    writeTransferFile(file, `${JSON.stringify(Object.fromEntries(all.map((p) => [p.pool, { slots: p.slots, description: p.description }])), null, 2)}\n`);
    if (file !== '-') process.stdout.write(`Exported ${all.length} pool(s) to ${file}\n`);
  });
}

export function register(program: Command): void {
  const pools = program.command('pools').description('pools (slots shared by tasks): set, get, list, delete, import, export');
  pools
    .command('set')
    .description('create a pool or change its slots and description')
    .argument('<name>', 'pool name', identifierArg('pool', 'pool name'))
    .argument('<slots>', 'slots (-1: unlimited)', integerAtLeast(-1))
    .argument('<description>', 'description')
    .action(async (name: string, slots: number, description: string, _o: unknown, command: Command) => set(command, name, slots, description));
  pools
    .command('get')
    .description('show one pool with its running, queued and open slots')
    .argument('<name>', 'pool name', identifierArg('pool', 'pool name'))
    .option('-o, --output <format>', 'table or json', oneOf('--output', ['table', 'json'] as const), 'table' as Output)
    .action(async (name: string, o: { output: Output }, command: Command) => get(command, name, o));
  pools
    .command('list')
    .description('list the pools with their running, queued, occupied (running + queued) and open slots, and the slots of tasks waiting for them')
    .option('-o, --output <format>', 'table or json', oneOf('--output', ['table', 'json'] as const), 'table' as Output)
    .action(async (o: { output: Output }, command: Command) => list(command, o));
  pools
    .command('delete')
    .description('delete a pool (not default_pool)')
    .argument('<name>', 'pool name', identifierArg('pool', 'pool name'))
    .action(async (name: string, _o: unknown, command: Command) => remove(command, name));
  pools
    .command('import')
    .description('create or update pools from a JSON file ({"name": {"slots": N, "description": "..."}}); - reads stdin')
    .argument('<file>', 'file to read')
    .action(async (file: string, _o: unknown, command: Command) => importFile(command, file));
  pools
    .command('export')
    .description('write every pool to a JSON file (- for stdout)')
    .argument('<file>', 'file to write')
    .action(async (file: string, _o: unknown, command: Command) => exportFile(command, file));
}
