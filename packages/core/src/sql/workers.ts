/**
 * The worker table (the fleet registry): registration, heartbeats, leaving, supervision's view of
 * liveness and capacity, and the fleet as people read and administer it. A draining worker learns
 * it from the answer to its next heartbeat: it stops taking tasks, lets its running tasks finish,
 * and deregisters (then it is offline).
 */
import type { Queryable } from '../db/types.js';
import { query, rows } from './query.js';

/** What a worker says about itself when it registers. */
export interface WorkerRegistration {
  workerName: string;
  hostname: string;
  queues: readonly string[];
  concurrency: number;
  /** Empty strings and 0 are stored as unknown (NULL). */
  version: string;
  umask: string;
  uid: number;
  gid: number;
  pid: number;
}

/**
 * Registers (or re-registers, by worker_name) a worker as online under a new worker id: attempts
 * started under the previous id belong to the previous incarnation.
 */
export async function upsertWorker(db: Queryable, workerId: string, r: WorkerRegistration): Promise<void> {
  await query(db, 'upsertWorker',
    `INSERT INTO worker (worker_id, worker_name, hostname, queues, concurrency, version, umask, uid, gid, pid, state,
       registered_at, last_heartbeat, running, free_slots)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'online', now(), now(), 0, $5)
     ON CONFLICT (worker_name) DO UPDATE SET worker_id = EXCLUDED.worker_id, hostname = EXCLUDED.hostname,
       queues = EXCLUDED.queues, concurrency = EXCLUDED.concurrency, version = EXCLUDED.version, umask = EXCLUDED.umask,
       uid = EXCLUDED.uid, gid = EXCLUDED.gid, pid = EXCLUDED.pid, state = 'online', registered_at = now(),
       last_heartbeat = now(), running = 0, free_slots = EXCLUDED.free_slots, state_reason = NULL, state_since = now(),
       desired_concurrency = NULL, desired_queues = NULL, cpu_percent = NULL, rss_bytes = NULL,
       paused_since = NULL, paused_reason = NULL, paused_reported = false`,
    [workerId, r.workerName, r.hostname, r.queues, r.concurrency, r.version || null, r.umask || null, r.uid, r.gid, r.pid || null]);
}

/** What a heartbeat records about a worker. */
export interface HeartbeatRecord {
  workerId: string;
  running: number;
  freeSlots: number;
  load1: number;
  load5: number;
  load15: number;
  processed: number;
  /** The concurrency the worker runs with now; 0: not reported (kept). */
  concurrency?: number;
  /** The queues the worker pulls from now; empty or absent: not reported (kept). */
  queues?: readonly string[];
  /** CPU of the worker process since its previous heartbeat, percent of one core. */
  cpuPercent?: number;
  /** Resident memory of the worker process in bytes; 0 or absent: unknown. */
  rssBytes?: number;
  /** The worker holds back from new tasks because it was asked to (its acknowledgement of a pause). */
  paused?: boolean;
  /** Ids of the remote controls the worker applied since its previous heartbeat (worker_control). */
  acknowledgedControls?: readonly number[];
}

/** What the registry answers a heartbeat with. */
export interface HeartbeatState {
  state: 'online' | 'draining' | 'offline';
  /** The concurrency set live for this worker (monitor), or null for its own. */
  desiredConcurrency: number | null;
  /** The queues set live for this worker (monitor), or null for its own. */
  desiredQueues: string[] | null;
  /** Drained from the monitor: take no new task, stay registered. */
  paused: boolean;
  /** Ids of the remote controls not acknowledged yet (this answer carries their effect). */
  controls: number[];
}

/**
 * Records a heartbeat. A worker marked offline (e.g. by supervision) that is still alive comes back
 * online. Returns the worker's state, or null for an unknown worker id. The same statement keeps
 * the heartbeat history (worker_heartbeat_minute): this minute's beat count and largest gap since
 * the previous heartbeat (or the registration), one upsert, no row per heartbeat.
 */
export async function recordHeartbeat(db: Queryable, h: HeartbeatRecord): Promise<HeartbeatState | null> {
  // One statement: the pending control ids are read in the same snapshot as the desired state
  // (a control is recorded after its change), so every id handed out comes with its effect.
  const result = await rows<{ state: 'online' | 'draining' | 'offline'; desired_concurrency: number | null; desired_queues: string[] | null; paused: boolean; controls: string[] }>(db, 'recordHeartbeat',
    `WITH ack AS (
       UPDATE worker_control SET acknowledged_at = now()
       WHERE worker_id = $1 AND id = ANY($13::bigint[]) AND acknowledged_at IS NULL),
     gap AS (
       INSERT INTO worker_heartbeat_minute AS m (worker_name, minute, beats, max_gap_ms)
       SELECT worker_name, date_trunc('minute', now()), 1,
         least(greatest(EXTRACT(EPOCH FROM now() - last_heartbeat) * 1000, 0), 2147483647)::int
       FROM worker WHERE worker_id = $1 AND last_heartbeat IS NOT NULL
       ON CONFLICT (worker_name, minute) DO UPDATE SET beats = m.beats + 1, max_gap_ms = greatest(m.max_gap_ms, EXCLUDED.max_gap_ms))
     UPDATE worker SET last_heartbeat = now(), running = $2, free_slots = $3, load1 = $4, load5 = $5, load15 = $6,
       concurrency = CASE WHEN $8::int > 0 THEN $8::int ELSE concurrency END,
       queues = CASE WHEN cardinality($9::text[]) > 0 THEN $9::text[] ELSE queues END,
       cpu_percent = $10, rss_bytes = CASE WHEN $11::bigint > 0 THEN $11::bigint END, paused_reported = $12,
       processed = $7, state = CASE WHEN state = 'offline' THEN 'online' ELSE state END,
       state_reason = CASE WHEN state = 'offline' THEN NULL ELSE state_reason END,
       state_since = CASE WHEN state = 'offline' THEN now() ELSE state_since END
     WHERE worker_id = $1 RETURNING state, desired_concurrency, desired_queues, paused_since IS NOT NULL AS paused,
       ARRAY(SELECT c.id FROM worker_control c WHERE c.worker_id = $1 AND c.acknowledged_at IS NULL
             AND NOT (c.id = ANY($13::bigint[])) ORDER BY c.id) AS controls`,
    [h.workerId, h.running, h.freeSlots, h.load1, h.load5, h.load15, h.processed, h.concurrency ?? 0, h.queues ?? [],
      h.cpuPercent ?? null, h.rssBytes ?? 0, h.paused ?? false, h.acknowledgedControls ?? []], { prepare: true });
  const r = result[0];
  return r === undefined ? null : {
    state: r.state, desiredConcurrency: r.desired_concurrency, desiredQueues: r.desired_queues, paused: r.paused, controls: r.controls.map(Number),
  };
}

/** Marks a worker offline (it left the fleet). Returns false for an unknown worker id. */
export async function markWorkerOffline(db: Queryable, workerId: string): Promise<boolean> {
  const { rowCount } = await query(db, 'markWorkerOffline',
    `UPDATE worker SET state = 'offline', running = 0, free_slots = 0, state_reason = 'deregistered', state_since = now()
     WHERE worker_id = $1`, [workerId]);
  return (rowCount ?? 0) > 0;
}

export type FleetWorkerState = 'online' | 'draining' | 'offline';

export interface WorkerView {
  workerId: string;
  workerName: string;
  hostname: string;
  state: FleetWorkerState;
  queues: string[];
  concurrency: number;
  running: number;
  freeSlots: number | null;
  processed: number;
  lastHeartbeat: Date | null;
  registeredAt: Date;
  version: string | null;
}

interface Row {
  worker_id: string; worker_name: string; hostname: string; state: FleetWorkerState; queues: string[]; concurrency: number;
  running: number; free_slots: number | null; processed: string; last_heartbeat: Date | null; registered_at: Date;
  version: string | null;
}

const COLUMNS = `worker_id, worker_name, hostname, state, queues, concurrency, running, free_slots, processed,
  last_heartbeat, registered_at, version`;

const toView = (r: Row): WorkerView => ({
  workerId: r.worker_id, workerName: r.worker_name, hostname: r.hostname, state: r.state, queues: r.queues,
  concurrency: r.concurrency, running: r.running, freeSlots: r.free_slots, processed: Number(r.processed),
  lastHeartbeat: r.last_heartbeat, registeredAt: r.registered_at, version: r.version,
});

/** The registered workers by name: live ones (online, draining), or with `all` offline ones too. */
export async function listWorkers(db: Queryable, options: { all?: boolean } = {}): Promise<WorkerView[]> {
  const result = await rows<Row>(db, 'listWorkers',
    `SELECT ${COLUMNS} FROM worker WHERE $1::boolean OR state <> 'offline' ORDER BY worker_name`, [options.all ?? true]);
  return result.map(toView);
}

/**
 * Removes the workers offline (deregistered, or marked offline when they went silent) whose last
 * sign of life (heartbeat, else registration) is older than `retentionMs`. Task tries keep their
 * worker id and hostname. Returns the names removed.
 */
export async function pruneOfflineWorkers(db: Queryable, retentionMs: number): Promise<string[]> {
  const result = await rows<{ worker_name: string }>(db, 'pruneOfflineWorkers',
    `DELETE FROM worker
     WHERE state = 'offline' AND coalesce(last_heartbeat, registered_at) < now() - $1::float8 * interval '1 millisecond'
     RETURNING worker_name`,
    [retentionMs]);
  return result.map((r) => r.worker_name).sort();
}

/**
 * online -> draining for the workers whose name or hostname is `nameOrHost`. Returns the workers
 * it marked (empty when none matched or none was online).
 */
export async function drainWorkers(db: Queryable, nameOrHost: string, reason = 'drain requested'): Promise<WorkerView[]> {
  const result = await rows<Row>(db, 'drainWorkers',
    `UPDATE worker SET state = 'draining', state_reason = $2, state_since = now()
     WHERE (worker_name = $1 OR hostname = $1) AND state = 'online'
     RETURNING ${COLUMNS}`,
    [nameOrHost, reason]);
  return result.map(toView);
}

/** A worker that supervision just marked offline. */
export interface SilentWorker {
  workerId: string;
  workerName: string;
  hostname: string;
  lastHeartbeat: Date | null;
  /** How long it had been silent when it was marked offline. */
  silentMs: number;
}

/**
 * online|draining -> offline for every worker whose last heartbeat is older than `timeoutMs`.
 * Its reported load is cleared (it runs nothing the scheduler can count on).
 */
export async function markSilentWorkersOffline(db: Queryable, timeoutMs: number): Promise<SilentWorker[]> {
  const result = await rows<{
    worker_id: string; worker_name: string; hostname: string; last_heartbeat: Date | null; silent_ms: number | null;
  }>(db, 'markSilentWorkersOffline',
    `UPDATE worker SET state = 'offline', running = 0, free_slots = 0, state_since = now(),
       state_reason = coalesce('missed heartbeats for ' || to_char(EXTRACT(EPOCH FROM (now() - last_heartbeat)), 'FM999999990.0') || ' s',
         'never sent a heartbeat')
     WHERE state <> 'offline' AND (last_heartbeat IS NULL OR last_heartbeat < now() - $1::float8 * interval '1 millisecond')
     RETURNING worker_id, worker_name, hostname, last_heartbeat,
       (EXTRACT(EPOCH FROM (now() - last_heartbeat)) * 1000)::float8 AS silent_ms`,
    [timeoutMs],
  );
  return result.map((r) => ({
    workerId: r.worker_id, workerName: r.worker_name, hostname: r.hostname, lastHeartbeat: r.last_heartbeat,
    silentMs: r.silent_ms ?? timeoutMs,
  }));
}

/** What the live workers of one queue last said about their capacity. */
export interface QueueCapacity {
  /** Online workers serving the queue (draining and offline ones take no new work). */
  workers: number;
  /** Sum of their free slots (a worker serving several queues counts for each). */
  freeSlots: number;
}

/**
 * Capacity per queue served by at least one live worker (online, heartbeat within `liveWithinMs`);
 * a queue missing from the map has no live worker.
 */
export async function queueCapacities(db: Queryable, liveWithinMs: number): Promise<Map<string, QueueCapacity>> {
  const result = await rows<{ queue: string; workers: number; free_slots: number }>(db, 'queueCapacities',
    `SELECT q.queue, count(*)::int AS workers, coalesce(sum(greatest(coalesce(w.free_slots, 0), 0)), 0)::int AS free_slots
     FROM worker w CROSS JOIN LATERAL unnest(w.queues) AS q(queue)
     WHERE w.state = 'online' AND w.paused_since IS NULL AND w.last_heartbeat >= now() - $1::float8 * interval '1 millisecond'
     GROUP BY q.queue`,
    [liveWithinMs],
  );
  return new Map(result.map((r) => [r.queue, { workers: r.workers, freeSlots: r.free_slots }]));
}


/** The names of the given worker ids (ids unknown to the registry are missing from the map). */
export async function workerNamesById(db: Queryable, workerIds: readonly string[]): Promise<Map<string, string>> {
  if (workerIds.length === 0) return new Map();
  const found = await rows<{ worker_id: string; worker_name: string }>(db, 'workerNamesById',
    'SELECT worker_id, worker_name FROM worker WHERE worker_id = ANY($1::text[])', [workerIds]);
  return new Map(found.map((r) => [r.worker_id, r.worker_name]));
}

/**
 * Grows or shrinks the concurrency a live worker should run with by `delta` (at least 1), from
 * the last value set or its own. Returns the new target and what the worker runs with now, or
 * null when no online or draining worker has that name.
 */
export async function resizeWorkerPool(db: Queryable, workerName: string, delta: number): Promise<{ target: number; concurrency: number } | null> {
  const result = await rows<{ target: number; concurrency: number }>(db, 'resizeWorkerPool',
    `UPDATE worker SET desired_concurrency = greatest(1, coalesce(desired_concurrency, concurrency) + $2)
     WHERE worker_name = $1 AND state <> 'offline'
     RETURNING desired_concurrency AS target, concurrency`, [workerName, delta]);
  return result[0] ?? null;
}

/** What changing a worker's queues live did (see setWorkerQueue). */
export type QueueChange =
  | { outcome: 'changed'; target: string[]; queues: string[] }
  /** Nothing to change: it already serves (add) or does not serve (cancel) the queue. */
  | { outcome: 'unchanged'; target: string[]; queues: string[] }
  /** Cancelling it would leave the worker without a queue. */
  | { outcome: 'last_queue'; target: string[]; queues: string[] }
  | { outcome: 'not_live' }
  | { outcome: 'not_found' };

/**
 * Adds a queue to, or removes one from, the queues a live worker should pull from (from the last
 * value set, or its own), Flower's add_consumer / cancel_consumer. The worker gets the list in the
 * answer to its next heartbeat; a worker keeps at least one queue.
 */
export async function setWorkerQueue(db: Queryable, workerName: string, action: 'add' | 'cancel', queue: string): Promise<QueueChange> {
  const result = await rows<{ state: FleetWorkerState; current: string[]; target: string[]; queues: string[]; changed: boolean }>(db, 'setWorkerQueue',
    `WITH w AS (SELECT worker_id, state, coalesce(desired_queues, queues) AS current, queues FROM worker WHERE worker_name = $1 FOR UPDATE),
     t AS (SELECT w.*, CASE WHEN $2 = 'add' THEN CASE WHEN $3 = ANY(w.current) THEN w.current ELSE w.current || $3::text END
                            ELSE array_remove(w.current, $3::text) END AS target FROM w),
     u AS (UPDATE worker SET desired_queues = t.target FROM t
           WHERE worker.worker_id = t.worker_id AND t.state <> 'offline' AND cardinality(t.target) > 0 AND t.target <> t.current
           RETURNING worker.worker_id)
     SELECT t.state, t.current, t.target, t.queues, EXISTS (SELECT 1 FROM u) AS changed FROM t`,
    [workerName, action, queue]);
  const r = result[0];
  if (r === undefined) return { outcome: 'not_found' };
  if (r.state === 'offline') return { outcome: 'not_live' };
  if (r.changed) return { outcome: 'changed', target: r.target, queues: r.queues };
  if (r.target.length === 0) return { outcome: 'last_queue', target: r.current, queues: r.queues };
  return { outcome: 'unchanged', target: r.current, queues: r.queues };
}

/**
 * Drain from the monitor: an online worker takes no new task but stays registered (paused), or,
 * with `paused` false, takes tasks again (resume). Returns how many tasks it runs, or null when no
 * online worker of that name is in the other state.
 */
export async function setWorkerPaused(db: Queryable, workerName: string, paused: boolean, reason: string | null = null): Promise<{ running: number } | null> {
  const result = await rows<{ running: number }>(db, 'setWorkerPaused',
    `UPDATE worker SET paused_since = CASE WHEN $2 THEN now() END, paused_reason = CASE WHEN $2 THEN $3 END
     WHERE worker_name = $1 AND state = 'online' AND (paused_since IS NOT NULL) <> $2
     RETURNING running`, [workerName, paused, reason]);
  return result[0] ?? null;
}
