/** Statements on the worker table (the fleet registry). */
import type { Queryable, proto } from '@updraft/core';

/**
 * Registers (or re-registers, by worker_name) a worker as online under a new worker id: attempts
 * started under the previous id belong to the previous incarnation.
 */
export async function upsertWorker(db: Queryable, workerId: string, r: proto.RegisterWorkerRequest): Promise<void> {
  await db.query(
    `INSERT INTO worker (worker_id, worker_name, hostname, queues, concurrency, version, umask, uid, gid, pid, state,
       registered_at, last_heartbeat, running, free_slots)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'online', now(), now(), 0, $5)
     ON CONFLICT (worker_name) DO UPDATE SET worker_id = EXCLUDED.worker_id, hostname = EXCLUDED.hostname,
       queues = EXCLUDED.queues, concurrency = EXCLUDED.concurrency, version = EXCLUDED.version, umask = EXCLUDED.umask,
       uid = EXCLUDED.uid, gid = EXCLUDED.gid, pid = EXCLUDED.pid, state = 'online', registered_at = now(),
       last_heartbeat = now(), running = 0, free_slots = EXCLUDED.free_slots`,
    [workerId, r.workerName, r.hostname, r.queues, r.concurrency, r.version || null, r.umask || null, r.uid, r.gid, r.pid || null],
  );
}

/**
 * Records a heartbeat. A worker marked offline (e.g. by supervision) that is still alive comes back
 * online. Returns the worker's state, or null for an unknown worker id.
 */
export async function recordHeartbeat(db: Queryable, h: proto.HeartbeatRequest): Promise<'online' | 'draining' | 'offline' | null> {
  const { rows } = await db.query<{ state: 'online' | 'draining' | 'offline' }>(
    `UPDATE worker SET last_heartbeat = now(), running = $2, free_slots = $3, load1 = $4, load5 = $5, load15 = $6,
       processed = $7, state = CASE WHEN state = 'offline' THEN 'online' ELSE state END
     WHERE worker_id = $1 RETURNING state`,
    [h.workerId, h.running.length, h.freeSlots, h.load1, h.load5, h.load15, h.processed],
  );
  return rows[0]?.state ?? null;
}

/** Marks a worker offline (it left the fleet). Returns false for an unknown worker id. */
export async function markWorkerOffline(db: Queryable, workerId: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE worker SET state = 'offline', running = 0, free_slots = 0 WHERE worker_id = $1`, [workerId]);
  return (rowCount ?? 0) > 0;
}
