/**
 * The whole fleet in one statement (one round trip, one connection): every worker row, the
 * running attempts, each worker's outcome counts and its latest remote controls. The monitor
 * reads this once per refresh and serves its pages and API from it; four statements in two
 * sequential rounds cost each request several waits for the database under load.
 */
import type { Queryable } from '../db/types.js';
import type { WorkerControl, WorkerControlAction } from './worker-controls.js';
import type { FleetWorker, OutcomeCounts, RunningAttempt, StoredWorkerState, WorkerOutcomes } from './fleet.js';
import { rows } from './query.js';

export interface FleetSnapshot {
  workers: FleetWorker[];
  running: RunningAttempt[];
  /** Per worker id (incarnation); a worker that never finished a try has no entry. */
  outcomes: Map<string, WorkerOutcomes>;
  /** The latest controls per worker name, newest first. */
  controls: Map<string, WorkerControl[]>;
}

/** JSON as json_agg renders the rows (timestamps are ISO strings). */
interface WorkerJson {
  worker_id: string; worker_name: string; hostname: string; state: StoredWorkerState; state_reason: string | null;
  state_since: string; queues: string[]; concurrency: number; desired_concurrency: number | null; desired_queues: string[] | null;
  cpu_percent: number | null; rss_bytes: number | null; paused_since: string | null; paused_reason: string | null; paused_reported: boolean;
  running: number; free_slots: number | null; processed: number; load1: number | null; load5: number | null; load15: number | null;
  version: string | null; umask: string | null; uid: number | null; gid: number | null; pid: number | null; registered_at: string;
  last_heartbeat: string | null; heartbeat_age_ms: number | null;
}
interface RunningJson {
  dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number; queue: string;
  worker_id: string | null; started_at: string | null; elapsed_ms: number | null;
}
type OutcomeJson = { worker_id: string } & Record<'s_h' | 'f_h' | 'r_h' | 's_d' | 'f_d' | 'r_d' | 's_a' | 'f_a' | 'r_a', number>;
interface ControlJson {
  id: number; worker_id: string; worker_name: string; action: WorkerControlAction; detail: string | null;
  requested_by: string; requested_at: string; acknowledged_at: string | null;
}

const date = (s: string): Date => new Date(s);
const dateOrNull = (s: string | null): Date | null => (s === null ? null : new Date(s));

/** The fleet as of one moment of the database (`controlsPerWorker` latest controls per name). */
export async function fleetSnapshot(db: Queryable, controlsPerWorker: number): Promise<FleetSnapshot> {
  const [row] = await rows<{ workers: WorkerJson[]; running: RunningJson[]; outcomes: OutcomeJson[]; controls: ControlJson[] }>(db, 'fleetSnapshot',
    `WITH w AS (
       SELECT worker_id, worker_name, hostname, state, state_reason, state_since, queues, concurrency, desired_concurrency, desired_queues,
         cpu_percent, rss_bytes, paused_since, paused_reason, paused_reported, running, free_slots, processed, load1, load5, load15,
         version, umask, uid, gid, pid, registered_at, last_heartbeat,
         (EXTRACT(EPOCH FROM (now() - last_heartbeat)) * 1000)::float8 AS heartbeat_age_ms
       FROM worker)
     SELECT
       (SELECT coalesce(json_agg(w ORDER BY worker_name), '[]') FROM w) AS workers,
       (SELECT coalesce(json_agg(r ORDER BY r.started_at), '[]') FROM (
          SELECT dag_id, run_id, task_id, map_index, try_number, queue, worker_id, started_at,
            (EXTRACT(EPOCH FROM (now() - started_at)) * 1000)::float8 AS elapsed_ms
          FROM task_instance WHERE state = 'running' ORDER BY started_at LIMIT 10000) r) AS running,
       (SELECT coalesce(json_agg(o), '[]') FROM (
          SELECT worker_id,
            coalesce(sum(succeeded) FILTER (WHERE bucket >= date_trunc('minute', now() - interval '1 hour')), 0)::float8 AS s_h,
            coalesce(sum(failed) FILTER (WHERE bucket >= date_trunc('minute', now() - interval '1 hour')), 0)::float8 AS f_h,
            coalesce(sum(retried) FILTER (WHERE bucket >= date_trunc('minute', now() - interval '1 hour')), 0)::float8 AS r_h,
            coalesce(sum(succeeded) FILTER (WHERE bucket > '-infinity'), 0)::float8 AS s_d,
            coalesce(sum(failed) FILTER (WHERE bucket > '-infinity'), 0)::float8 AS f_d,
            coalesce(sum(retried) FILTER (WHERE bucket > '-infinity'), 0)::float8 AS r_d,
            coalesce(sum(succeeded) FILTER (WHERE bucket = '-infinity'), 0)::float8 AS s_a,
            coalesce(sum(failed) FILTER (WHERE bucket = '-infinity'), 0)::float8 AS f_a,
            coalesce(sum(retried) FILTER (WHERE bucket = '-infinity'), 0)::float8 AS r_a
          FROM worker_outcome
          WHERE worker_id IN (SELECT worker_id FROM w)
            AND (bucket = '-infinity' OR bucket >= date_trunc('minute', now() - interval '1 day'))
          GROUP BY worker_id) o) AS outcomes,
       (SELECT coalesce(json_agg(c ORDER BY c.worker_name, c.id DESC), '[]') FROM (SELECT DISTINCT worker_name FROM w) n
          CROSS JOIN LATERAL (
            SELECT id, worker_id, worker_name, action, detail, requested_by, requested_at, acknowledged_at
            FROM worker_control WHERE worker_name = n.worker_name ORDER BY id DESC LIMIT $1) c) AS controls`,
    [controlsPerWorker], { prepare: true });
  const r = row!;
  const counts = (s: number, f: number, x: number): OutcomeCounts => ({ succeeded: s, failed: f, retried: x });
  const controls = new Map<string, WorkerControl[]>();
  for (const c of r.controls) {
    const list = controls.get(c.worker_name) ?? [];
    list.push({
      id: Number(c.id), workerId: c.worker_id, workerName: c.worker_name, action: c.action, detail: c.detail,
      requestedBy: c.requested_by, requestedAt: date(c.requested_at), acknowledgedAt: dateOrNull(c.acknowledged_at),
    });
    controls.set(c.worker_name, list);
  }
  return {
    workers: r.workers.map((w) => ({
      workerId: w.worker_id, workerName: w.worker_name, hostname: w.hostname, state: w.state, stateReason: w.state_reason,
      stateSince: date(w.state_since), queues: w.queues, concurrency: w.concurrency, desiredConcurrency: w.desired_concurrency,
      desiredQueues: w.desired_queues, cpuPercent: w.cpu_percent, rssBytes: w.rss_bytes === null ? null : Number(w.rss_bytes),
      pausedSince: dateOrNull(w.paused_since), pausedReason: w.paused_reason, pausedReported: w.paused_reported, running: w.running,
      freeSlots: w.free_slots, processed: Number(w.processed), load: w.load1 === null ? null : [w.load1, w.load5 ?? 0, w.load15 ?? 0],
      version: w.version, umask: w.umask, uid: w.uid, gid: w.gid, pid: w.pid, registeredAt: date(w.registered_at),
      lastHeartbeat: dateOrNull(w.last_heartbeat), heartbeatAgeMs: w.heartbeat_age_ms,
    })),
    running: r.running.map((a) => ({
      dagId: a.dag_id, runId: a.run_id, taskId: a.task_id, mapIndex: a.map_index, tryNumber: a.try_number, queue: a.queue,
      workerId: a.worker_id, startedAt: dateOrNull(a.started_at), elapsedMs: a.elapsed_ms,
    })),
    outcomes: new Map(r.outcomes.map((o) => [o.worker_id, {
      hour: counts(o.s_h, o.f_h, o.r_h), day: counts(o.s_d, o.f_d, o.r_d), all: counts(o.s_a, o.f_a, o.r_a),
    }])),
    controls,
  };
}
