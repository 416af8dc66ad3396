/**
 * `db clean` as a loop over sql/db-clean.ts's batch deletes: the selected tables with the children
 * their deletes would cascade to (children first), each emptied of its old rows `batchSize` rows at
 * a time, one short statement per batch, so the scheduler keeps scheduling meanwhile. Used by
 * `updraft db clean` and by the scheduler's daily clean (database.clean_older_than_days).
 */
import { performance } from 'node:perf_hooks';
import { CLEANABLE_TABLES, CLEANERS, type CleanableTable } from '../sql/db-clean.js';
import { lockDagProcessing } from '../sql/dags.js';
import { withTransaction } from './transaction.js';
import { isPool, type Queryable } from './types.js';

/** One batch of `table`; under the DAG processing lock when its cleaner asks for it (given a client: in the caller's transaction). */
async function deleteBatch(db: Queryable, table: CleanableTable, cutoff: Date, batchSize: number): Promise<number> {
  const cleaner = CLEANERS[table];
  if (cleaner.lockDagProcessing !== true) return cleaner.deleteBatch(db, cutoff, batchSize);
  const locked = async (client: Queryable): Promise<number> => {
    await lockDagProcessing(client);
    return cleaner.deleteBatch(client, cutoff, batchSize);
  };
  return isPool(db) ? withTransaction(db, locked) : locked(db);
}

/** Deleting a parent deletes its children (the foreign keys cascade): they are cleaned first, in batches. */
const CHILDREN: Partial<Record<CleanableTable, readonly CleanableTable[]>> = {
  dag_run: ['xcom', 'task_instance_try', 'task_instance'],
  task_instance: ['xcom', 'task_instance_try'],
};

/** The selected tables (default: all) with the children their deletes would cascade to, children first. */
export function tablesToClean(selected?: readonly CleanableTable[]): CleanableTable[] {
  const wanted = new Set<CleanableTable>(selected ?? CLEANABLE_TABLES);
  for (const t of [...wanted]) for (const child of CHILDREN[t] ?? []) wanted.add(child);
  return CLEANABLE_TABLES.filter((t) => wanted.has(t));
}

export interface TableCleaned {
  table: CleanableTable;
  rows: number;
  batches: number;
  ms: number;
}

/** Deletes the old rows of `tables` (in that order), `batchSize` at a time, until none is left. */
export async function cleanDatabase(db: Queryable, tables: readonly CleanableTable[], cutoff: Date, batchSize: number): Promise<TableCleaned[]> {
  const done: TableCleaned[] = [];
  for (const table of tables) {
    const started = performance.now();
    let rows = 0;
    let batches = 0;
    for (;;) {
      const n = await deleteBatch(db, table, cutoff, batchSize);
      batches += 1;
      rows += n;
      if (n === 0) break;
    }
    done.push({ table, rows, batches, ms: performance.now() - started });
  }
  return done;
}
