/**
 * The scheduler leader lock: a session-level advisory lock held by the leading scheduler on a
 * dedicated connection (db/leader-lease.ts). The session ending (process killed, host gone, link
 * cut past the keepalive) releases it, and a standby waiting in waitForSchedulerLock gets it.
 */
import type { Queryable } from '../db/types.js';
import { query, rows } from './query.js';

/** Key of the leader lock (arbitrary, fixed forever; distinct from the migration and DAG locks). */
export const SCHEDULER_LEADER_LOCK = 7_246_002;

/** Takes the lock if free; true when this session now holds it. */
export async function tryAcquireSchedulerLock(db: Queryable): Promise<boolean> {
  const found = await rows<{ acquired: boolean }>(db, 'tryAcquireSchedulerLock',
    'SELECT pg_try_advisory_lock($1) AS acquired', [SCHEDULER_LEADER_LOCK]);
  return found[0]?.acquired === true;
}

/** Waits (blocking this session) until the lock is free, and takes it. */
export async function waitForSchedulerLock(db: Queryable): Promise<void> {
  await query(db, 'waitForSchedulerLock', 'SELECT pg_advisory_lock($1)', [SCHEDULER_LEADER_LOCK]);
}

/** A round trip on the lock's session: it is alive, so the lock is still held. */
export async function pingSchedulerLock(db: Queryable): Promise<void> {
  await query(db, 'pingSchedulerLock', 'SELECT 1');
}
