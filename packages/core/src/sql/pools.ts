/**
 * Pools (slot_pool): how many slots each holds, and how many its task instances occupy. A task
 * instance takes its pool_slots while queued or running (Airflow's occupied slots); slots -1 means
 * unlimited. The scheduler's admission (./admission.ts) hands out the open slots; saving pools
 * notifies the scheduler (updraft_dag_runs), which then releases task instances waiting for them.
 */
import type { Queryable } from '../db/types.js';
import { DAG_RUNS_CHANNEL } from './dag-runs.js';
import { rows } from './query.js';

export const DEFAULT_POOL = 'default_pool';

export interface PoolRow {
  pool: string;
  /** -1: unlimited. */
  slots: number;
  description: string | null;
}

/** A pool with the slots its task instances take (Airflow's pool fields). */
export interface PoolView extends PoolRow {
  runningSlots: number;
  queuedSlots: number;
  scheduledSlots: number;
  deferredSlots: number;
  /** running + queued. */
  occupiedSlots: number;
  /** slots - occupied (never below 0); -1 for an unlimited pool. */
  openSlots: number;
}

interface ViewRow {
  pool: string; slots: number; description: string | null; running: string; queued: string; scheduled: string; deferred: string;
}

const toView = (r: ViewRow): PoolView => {
  const running = Number(r.running);
  const queued = Number(r.queued);
  return {
    pool: r.pool, slots: r.slots, description: r.description, runningSlots: running, queuedSlots: queued,
    scheduledSlots: Number(r.scheduled), deferredSlots: Number(r.deferred), occupiedSlots: running + queued,
    openSlots: r.slots < 0 ? -1 : Math.max(0, r.slots - running - queued),
  };
};

// Per pool: the slots of its task instances by state, through the partial indexes on active rows.
const STATS = `
  COALESCE((SELECT sum(ti.pool_slots) FROM task_instance ti WHERE ti.pool = p.pool AND ti.state = 'running'), 0) AS running,
  COALESCE((SELECT sum(ti.pool_slots) FROM task_instance ti WHERE ti.pool = p.pool AND ti.state = 'queued'), 0) AS queued,
  COALESCE((SELECT sum(ti.pool_slots) FROM task_instance ti WHERE ti.pool = p.pool AND ti.state = 'scheduled'), 0) AS scheduled,
  COALESCE((SELECT sum(ti.pool_slots) FROM task_instance ti WHERE ti.pool = p.pool AND ti.state = 'deferred'), 0) AS deferred`;

/** Creates pools or updates their slots and description (Airflow's `pools set`). Returns the names written. */
export async function savePools(db: Queryable, pools: readonly PoolRow[], overwrite = true): Promise<string[]> {
  if (pools.length === 0) return [];
  const result = await rows<{ pool: string }>(db, 'savePools',
    `WITH w AS (
     INSERT INTO slot_pool AS p (pool, slots, description)
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[])
     ON CONFLICT (pool) DO ${overwrite ? 'UPDATE SET slots = EXCLUDED.slots, description = EXCLUDED.description' : 'NOTHING'}
     RETURNING p.pool),
     n AS (SELECT pg_notify($4, 'pools') FROM (SELECT 1 FROM w LIMIT 1) x)
     SELECT pool FROM w WHERE (SELECT count(*) FROM n) >= 0`,
    [pools.map((p) => p.pool), pools.map((p) => p.slots), pools.map((p) => p.description), DAG_RUNS_CHANNEL]);
  return result.map((r) => r.pool);
}

/** The pools among `names` with their slot counts (absent names are missing from the result). */
export async function getPools(db: Queryable, names: readonly string[]): Promise<PoolView[]> {
  if (names.length === 0) return [];
  const result = await rows<ViewRow>(db, 'getPools',
    `SELECT p.pool, p.slots, p.description, ${STATS} FROM slot_pool p WHERE p.pool = ANY($1::text[]) ORDER BY p.pool`, [names]);
  return result.map(toView);
}

/** One page of pools by name with their slot counts, and how many pools there are. */
export async function listPools(db: Queryable, page: { limit: number; offset: number }): Promise<{ rows: PoolView[]; total: number }> {
  const result = await rows<ViewRow & { total: string }>(db, 'listPools',
    `SELECT p.pool, p.slots, p.description, ${STATS}, count(*) OVER () AS total FROM slot_pool p ORDER BY p.pool LIMIT $1 OFFSET $2`,
    [page.limit, page.offset]);
  const total = result[0] !== undefined ? result[0].total
    : (await rows<{ n: string }>(db, 'countPools', 'SELECT count(*) AS n FROM slot_pool'))[0]!.n;
  return { rows: result.map(toView), total: Number(total) };
}

/** Deletes pools (never default_pool); returns the names that existed. */
export async function deletePools(db: Queryable, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const result = await rows<{ pool: string }>(db, 'deletePools',
    'DELETE FROM slot_pool WHERE pool = ANY($1::text[]) AND pool <> $2 RETURNING pool', [names, DEFAULT_POOL]);
  return result.map((r) => r.pool);
}
