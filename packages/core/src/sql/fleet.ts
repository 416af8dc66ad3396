/**
 * What the fleet monitor reads: every worker with its liveness, capacity and reason, the attempts
 * running on them, their outcome counts, the queued backlog and why it waits, and task events
 * (the tries, by their latest moment). Reads only; the cost of each grows with the fleet and the
 * active work, or is bounded by a limit, never by the whole history.
 */
import type { Queryable } from '../db/types.js';
import { rows } from './query.js';

export type StoredWorkerState = 'online' | 'draining' | 'offline';

/** A worker row as the monitor shows it (ages measured by the database's clock). */
export interface FleetWorker {
  workerId: string;
  workerName: string;
  hostname: string;
  state: StoredWorkerState;
  stateReason: string | null;
  stateSince: Date;
  queues: string[];
  concurrency: number;
  /** Set live from the monitor (pool grow/shrink), null: the worker's own. */
  desiredConcurrency: number | null;
  /** Set live from the monitor (a queue's consumer added or cancelled), null: the worker's own. */
  desiredQueues: string[] | null;
  /** CPU of the worker process over its last heartbeat interval, percent of one core; null: not reported. */
  cpuPercent: number | null;
  /** Resident memory of the worker process in bytes; null: not reported. */
  rssBytes: number | null;
  /** Drained from the monitor (takes no new task, stays registered) since then; null: not paused. */
  pausedSince: Date | null;
  pausedReason: string | null;
  /** The worker said in its last heartbeat that it holds back (the acknowledgement of a pause). */
  pausedReported: boolean;
  running: number;
  freeSlots: number | null;
  processed: number;
  load: [number, number, number] | null;
  version: string | null;
  umask: string | null;
  uid: number | null;
  gid: number | null;
  pid: number | null;
  registeredAt: Date;
  lastHeartbeat: Date | null;
  /** now() - last_heartbeat in milliseconds, null when it never heartbeated. */
  heartbeatAgeMs: number | null;
}

interface WorkerRow {
  worker_id: string; worker_name: string; hostname: string; state: StoredWorkerState; state_reason: string | null;
  state_since: Date; queues: string[]; concurrency: number; desired_concurrency: number | null; desired_queues: string[] | null;
  cpu_percent: number | null; rss_bytes: string | null; paused_since: Date | null; paused_reason: string | null; paused_reported: boolean; running: number; free_slots: number | null; processed: string;
  load1: number | null; load5: number | null; load15: number | null; version: string | null; umask: string | null;
  uid: number | null; gid: number | null; pid: number | null; registered_at: Date; last_heartbeat: Date | null;
  heartbeat_age_ms: number | null;
}

const toWorker = (r: WorkerRow): FleetWorker => ({
  workerId: r.worker_id, workerName: r.worker_name, hostname: r.hostname, state: r.state, stateReason: r.state_reason,
  stateSince: r.state_since, queues: r.queues, concurrency: r.concurrency, desiredConcurrency: r.desired_concurrency,
  desiredQueues: r.desired_queues, cpuPercent: r.cpu_percent, rssBytes: r.rss_bytes === null ? null : Number(r.rss_bytes),
  pausedSince: r.paused_since, pausedReason: r.paused_reason, pausedReported: r.paused_reported, running: r.running, freeSlots: r.free_slots,
  processed: Number(r.processed), load: r.load1 === null ? null : [r.load1, r.load5 ?? 0, r.load15 ?? 0], version: r.version,
  umask: r.umask, uid: r.uid, gid: r.gid, pid: r.pid, registeredAt: r.registered_at, lastHeartbeat: r.last_heartbeat,
  heartbeatAgeMs: r.heartbeat_age_ms,
});

/** Every worker the registry knows (offline ones too), by name. */
export async function fleetWorkers(db: Queryable): Promise<FleetWorker[]> {
  const result = await rows<WorkerRow>(db, 'fleetWorkers',
    `SELECT worker_id, worker_name, hostname, state, state_reason, state_since, queues, concurrency, desired_concurrency, desired_queues, cpu_percent, rss_bytes,
       paused_since, paused_reason, paused_reported, running, free_slots, processed, load1, load5, load15, version, umask, uid, gid, pid, registered_at, last_heartbeat,
       (EXTRACT(EPOCH FROM (now() - last_heartbeat)) * 1000)::float8 AS heartbeat_age_ms
     FROM worker ORDER BY worker_name`, [], { prepare: true });
  return result.map(toWorker);
}

/** One running attempt and the worker incarnation running it. */
export interface RunningAttempt {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
  tryNumber: number;
  queue: string;
  workerId: string | null;
  startedAt: Date | null;
  elapsedMs: number | null;
}

/** Every running attempt (bounded by the fleet's slots). */
export async function runningAttempts(db: Queryable): Promise<RunningAttempt[]> {
  const result = await rows<{
    dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number; queue: string;
    worker_id: string | null; started_at: Date | null; elapsed_ms: number | null;
  }>(db, 'fleetRunningAttempts',
    `SELECT dag_id, run_id, task_id, map_index, try_number, queue, worker_id, started_at,
       (EXTRACT(EPOCH FROM (now() - started_at)) * 1000)::float8 AS elapsed_ms
     FROM task_instance WHERE state = 'running' ORDER BY started_at LIMIT 10000`, [], { prepare: true });
  return result.map((r) => ({
    dagId: r.dag_id, runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index, tryNumber: r.try_number, queue: r.queue,
    workerId: r.worker_id, startedAt: r.started_at, elapsedMs: r.elapsed_ms,
  }));
}

/** How many tries a worker incarnation finished, by outcome, over a window. */
export interface OutcomeCounts {
  succeeded: number;
  failed: number;
  /** Failed tries whose task went on to another try. */
  retried: number;
}

export interface WorkerOutcomes {
  hour: OutcomeCounts;
  day: OutcomeCounts;
  all: OutcomeCounts;
}

/** The queued backlog of one queue in the database (queued: published, not yet claimed). */
export interface QueueBacklog {
  queue: string;
  queued: number;
  /** How long the oldest queued task has waited, in milliseconds (null when none is queued). */
  oldestQueuedMs: number | null;
  running: number;
  /** Ready tasks held back before queueing (pool full, DAG's max active tasks), with wait_reason. */
  scheduled: number;
}

/** Queued, running and held-back task instances per queue. */
export async function queueBacklogs(db: Queryable): Promise<QueueBacklog[]> {
  const result = await rows<{ queue: string; queued: number; oldest_ms: number | null; running: number; scheduled: number }>(db, 'queueBacklogs',
    `SELECT queue,
       count(*) FILTER (WHERE state = 'queued')::int AS queued,
       (EXTRACT(EPOCH FROM (now() - min(queued_at) FILTER (WHERE state = 'queued'))) * 1000)::float8 AS oldest_ms,
       count(*) FILTER (WHERE state = 'running')::int AS running,
       count(*) FILTER (WHERE state = 'scheduled')::int AS scheduled
     FROM task_instance WHERE state IN ('queued', 'running', 'scheduled')
     GROUP BY queue ORDER BY queue`, [], { prepare: true });
  return result.map((r) => ({ queue: r.queue, queued: r.queued, oldestQueuedMs: r.oldest_ms, running: r.running, scheduled: r.scheduled }));
}

/** A task waiting to run: queued and not claimed, or ready but held back (scheduled with a reason). */
export interface WaitingTask {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
  state: 'queued' | 'scheduled';
  queue: string;
  pool: string;
  waitingMs: number;
  requeueCount: number;
  lastRequeueReason: string | null;
  pendingReason: string | null;
}

/** The longest-waiting tasks (at most `limit`), oldest first. */
export async function waitingTasks(db: Queryable, limit: number): Promise<WaitingTask[]> {
  const result = await rows<{
    dag_id: string; run_id: string; task_id: string; map_index: number; state: 'queued' | 'scheduled'; queue: string; pool: string;
    waiting_ms: number; requeue_count: number; last_requeue_reason: string | null; pending_reason: string | null;
  }>(db, 'waitingTasks',
    `SELECT dag_id, run_id, task_id, map_index, state, queue, pool,
       (EXTRACT(EPOCH FROM (now() - coalesce(CASE WHEN state = 'queued' THEN queued_at ELSE scheduled_at END, updated_at))) * 1000)::float8 AS waiting_ms,
       requeue_count, last_requeue_reason, wait_reason AS pending_reason
     FROM task_instance WHERE state = 'queued' OR (state = 'scheduled' AND wait_reason IS NOT NULL)
     ORDER BY coalesce(CASE WHEN state = 'queued' THEN queued_at ELSE scheduled_at END, updated_at) LIMIT $1`, [limit]);
  return result.map((r) => ({
    dagId: r.dag_id, runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index, state: r.state, queue: r.queue, pool: r.pool,
    waitingMs: r.waiting_ms, requeueCount: r.requeue_count, lastRequeueReason: r.last_requeue_reason, pendingReason: r.pending_reason,
  }));
}

/** One try as a task event: its latest moment and what happened then. */
export interface TryEvent {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
  tryNumber: number;
  /** The try's own state (queued, running, success, failed). */
  tryState: string;
  /** The task instance's state now (up_for_retry tells a failed try that will be retried). */
  taskState: string | null;
  taskTryNumber: number;
  queue: string;
  workerId: string | null;
  workerName: string | null;
  hostname: string | null;
  queuedAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  at: Date;
  durationMs: number | null;
  error: string | null;
  requeueCount: number;
}

export interface TryEventFilter {
  /** Only events at or after this moment. */
  since?: Date;
  /** Only events before this moment. */
  until?: Date;
  /** SQL LIKE patterns (`%` and `_`), matched against the field. */
  dagLike?: string;
  taskLike?: string;
  queueLike?: string;
  workerLike?: string;
  /** Try states to keep (queued, running, success, failed). */
  tryStates?: readonly string[];
  limit: number;
  /** Oldest first (a feed reading forward from `since`). Default newest first. */
  ascending?: boolean;
}

/** Task events, newest first, filtered; the event index keeps this a short scan. */
export async function tryEvents(db: Queryable, f: TryEventFilter): Promise<TryEvent[]> {
  const result = await rows<{
    dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number; try_state: string; task_state: string | null;
    task_try_number: number; queue: string; worker_id: string | null; worker_name: string | null; hostname: string | null;
    queued_at: Date | null; started_at: Date | null; ended_at: Date | null; at: Date; duration_ms: number | null; error: string | null;
    requeue_count: number;
  }>(db, 'tryEvents',
    `SELECT tt.dag_id, tt.run_id, tt.task_id, tt.map_index, tt.try_number, tt.state AS try_state, ti.state AS task_state,
       ti.try_number AS task_try_number, ti.queue, tt.worker_id, w.worker_name, tt.hostname, tt.queued_at, tt.started_at,
       tt.ended_at, GREATEST(tt.queued_at, tt.started_at, tt.ended_at) AS at, tt.duration_ms, tt.error, ti.requeue_count
     FROM task_instance_try tt
     JOIN task_instance ti USING (dag_id, run_id, task_id, map_index)
     LEFT JOIN worker w ON w.worker_id = tt.worker_id
     WHERE GREATEST(tt.queued_at, tt.started_at, tt.ended_at) IS NOT NULL
       AND ($1::timestamptz IS NULL OR GREATEST(tt.queued_at, tt.started_at, tt.ended_at) >= $1)
       AND ($2::timestamptz IS NULL OR GREATEST(tt.queued_at, tt.started_at, tt.ended_at) < $2)
       AND ($3::text IS NULL OR tt.dag_id LIKE $3)
       AND ($4::text IS NULL OR tt.task_id LIKE $4)
       AND ($5::text IS NULL OR ti.queue LIKE $5)
       AND ($6::text IS NULL OR w.worker_name LIKE $6 OR tt.hostname LIKE $6)
       AND ($7::text[] IS NULL OR tt.state = ANY($7))
     ORDER BY GREATEST(tt.queued_at, tt.started_at, tt.ended_at) ${f.ascending ? 'ASC' : 'DESC'}
     LIMIT $8`,
    [f.since ?? null, f.until ?? null, f.dagLike ?? null, f.taskLike ?? null, f.queueLike ?? null, f.workerLike ?? null,
      f.tryStates && f.tryStates.length > 0 ? f.tryStates : null, f.limit]);
  return result.map(tryEventOf);
}

/** Where a forward read of task events is: a try's exact moment (microseconds since the epoch, exact in a double) and its key. */
export interface TryEventPosition {
  atUs: number;
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
  tryNumber: number;
}

/**
 * A try as the monitor's task feed reads it: what its events need, times as milliseconds since
 * the epoch. The feed reads tries by the hundred thousand under a burst, so a row carries no Date
 * (parsing a timestamptz into a Date was a third of the feed's allocation) and no column it does
 * not use.
 */
export interface FeedTry extends Pick<TryEvent, 'dagId' | 'runId' | 'taskId' | 'mapIndex' | 'tryNumber' | 'tryState' | 'taskState'
  | 'taskTryNumber' | 'queue' | 'workerName' | 'hostname' | 'durationMs' | 'error' | 'requeueCount'> {
  queuedMs: number | null;
  startedMs: number | null;
  endedMs: number | null;
  /** The try's moment: the latest of its times. */
  atMs: number;
}

interface FeedTryRow {
  dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number; try_state: string; task_state: string | null;
  task_try_number: number; queue: string; worker_name: string | null; hostname: string | null;
  queued_ms: number | null; started_ms: number | null; ended_ms: number | null; at_us: number; duration_ms: number | null; error: string | null;
  requeue_count: number;
}

const FEED_AT = 'GREATEST(tt.queued_at, tt.started_at, tt.ended_at)';
const msOf = (column: string): string => `(EXTRACT(EPOCH FROM ${column}) * 1000)::float8`;
const POSITION_AT = `('epoch'::timestamptz + $2::float8 * interval '1 microsecond')`;

/**
 * Task events oldest first in (moment, try key) order: from `since`, or strictly after `after`
 * (the last try of the previous page). Paging with the last try read means a moment holding more
 * tries than a page (one statement wrote them) is read page by page, each try once, instead of
 * in one result; the event index (moment, then key) makes each page a short index scan.
 */
export async function tryEventsForward(db: Queryable, f: { since?: Date; after?: TryEventPosition; limit: number }): Promise<{ tries: FeedTry[]; last: TryEventPosition | undefined }> {
  const a = f.after;
  const result = await rows<FeedTryRow>(db, 'tryEventsForward',
    `SELECT tt.dag_id, tt.run_id, tt.task_id, tt.map_index, tt.try_number, tt.state AS try_state, ti.state AS task_state,
       ti.try_number AS task_try_number, ti.queue, w.worker_name, tt.hostname, ${msOf('tt.queued_at')} AS queued_ms,
       ${msOf('tt.started_at')} AS started_ms, ${msOf('tt.ended_at')} AS ended_ms, (EXTRACT(EPOCH FROM ${FEED_AT}) * 1000000)::float8 AS at_us,
       tt.duration_ms, tt.error, ti.requeue_count
     FROM task_instance_try tt
     JOIN task_instance ti USING (dag_id, run_id, task_id, map_index)
     LEFT JOIN worker w ON w.worker_id = tt.worker_id
     WHERE ${FEED_AT} >= CASE WHEN $2::float8 IS NULL THEN $1::timestamptz ELSE ${POSITION_AT} END
       AND ($2::float8 IS NULL OR (${FEED_AT}, tt.dag_id, tt.run_id, tt.task_id, tt.map_index, tt.try_number)
         > (${POSITION_AT}, $3::text, $4::text, $5::text, $6::int, $7::int))
     ORDER BY ${FEED_AT}, tt.dag_id, tt.run_id, tt.task_id, tt.map_index, tt.try_number
     LIMIT $8`,
    [f.since ?? new Date(0), a?.atUs ?? null, a?.dagId ?? null, a?.runId ?? null, a?.taskId ?? null, a?.mapIndex ?? null, a?.tryNumber ?? null, f.limit]);
  const tries = new Array<FeedTry>(result.length);
  for (let i = 0; i < result.length; i++) tries[i] = feedTryOf(result[i]!);
  const l = result.at(-1);
  return {
    tries,
    last: l && { atUs: l.at_us, dagId: l.dag_id, runId: l.run_id, taskId: l.task_id, mapIndex: l.map_index, tryNumber: l.try_number },
  };
}

const feedTryOf = (r: FeedTryRow): FeedTry => ({
  dagId: r.dag_id, runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index, tryNumber: r.try_number, tryState: r.try_state,
  taskState: r.task_state, taskTryNumber: r.task_try_number, queue: r.queue, workerName: r.worker_name, hostname: r.hostname,
  queuedMs: r.queued_ms, startedMs: r.started_ms, endedMs: r.ended_ms, atMs: r.at_us / 1000, durationMs: r.duration_ms,
  error: r.error, requeueCount: r.requeue_count,
});

interface TryEventRow {
  dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number; try_state: string; task_state: string | null;
  task_try_number: number; queue: string; worker_id: string | null; worker_name: string | null; hostname: string | null;
  queued_at: Date | null; started_at: Date | null; ended_at: Date | null; at: Date; duration_ms: number | null; error: string | null;
  requeue_count: number;
}

const tryEventOf = (r: TryEventRow): TryEvent => ({
  dagId: r.dag_id, runId: r.run_id, taskId: r.task_id, mapIndex: r.map_index, tryNumber: r.try_number, tryState: r.try_state,
  taskState: r.task_state, taskTryNumber: r.task_try_number, queue: r.queue, workerId: r.worker_id, workerName: r.worker_name,
  hostname: r.hostname, queuedAt: r.queued_at, startedAt: r.started_at, endedAt: r.ended_at, at: r.at, durationMs: r.duration_ms,
  error: r.error, requeueCount: r.requeue_count,
});

/** The database's clock (the monitor measures every age by it). */
export async function databaseNow(db: Queryable): Promise<Date> {
  const result = await rows<{ now: Date }>(db, 'databaseNow', 'SELECT now() AS now');
  return result[0]!.now;
}

/** One time bucket of a worker's finished tries. */
export interface WorkerSeriesPoint {
  /** Start of the bucket. */
  at: Date;
  succeeded: number;
  failed: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

/** A worker's finished tries over the last `windowMs`, in buckets of `bucketSeconds` (the monitor's charts). */
export async function workerSeries(db: Queryable, workerId: string, windowMs: number, bucketSeconds: number): Promise<WorkerSeriesPoint[]> {
  const result = await rows<{ at: Date; succeeded: number; failed: number; p50: number | null; p95: number | null }>(db, 'workerSeries',
    `SELECT to_timestamp(floor(EXTRACT(EPOCH FROM ended_at) / $3) * $3) AS at,
       count(*) FILTER (WHERE state = 'success')::int AS succeeded,
       count(*) FILTER (WHERE state = 'failed')::int AS failed,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
     FROM task_instance_try
     WHERE worker_id = $1 AND ended_at >= now() - $2::float8 * interval '1 millisecond'
     GROUP BY 1 ORDER BY 1`, [workerId, windowMs, bucketSeconds]);
  return result.map((r) => ({ at: r.at, succeeded: r.succeeded, failed: r.failed, p50Ms: r.p50, p95Ms: r.p95 }));
}

/** One bucket of a worker's slot use: the average number of its tries running during it. */
export interface WorkerSlotPoint {
  /** Start of the bucket. */
  at: Date;
  slots: number;
}

/**
 * A worker's slots in use over the last `windowMs`, in buckets of `bucketSeconds`: the seconds its
 * tries ran within each bucket over the bucket's length (the current bucket: its part so far).
 * Read from the tries (the worker index), so it needs no samples of its own. (LEAST and GREATEST
 * skip NULLs: an empty bucket's row of the outer join is filtered out of the sum.)
 */
export async function workerSlotSeries(db: Queryable, workerId: string, windowMs: number, bucketSeconds: number): Promise<WorkerSlotPoint[]> {
  const result = await rows<{ at: Date; slots: number }>(db, 'workerSlotSeries',
    `WITH b AS (
       SELECT to_timestamp(s) AS at, least(to_timestamp(s + $3), now()) AS until
       FROM generate_series(floor(EXTRACT(EPOCH FROM now() - $2::float8 * interval '1 millisecond') / $3) * $3, EXTRACT(EPOCH FROM now()), $3) s),
     t AS (
       SELECT started_at, coalesce(ended_at, now()) AS ended_at FROM task_instance_try
       WHERE worker_id = $1 AND started_at IS NOT NULL
         AND (ended_at >= now() - $2::float8 * interval '1 millisecond' - $3 * interval '1 second' OR (ended_at IS NULL AND state = 'running')))
     SELECT b.at, (coalesce(sum(EXTRACT(EPOCH FROM least(t.ended_at, b.until) - greatest(t.started_at, b.at))) FILTER (WHERE t.started_at IS NOT NULL), 0)
       / greatest(EXTRACT(EPOCH FROM b.until - b.at), 1))::float8 AS slots
     FROM b LEFT JOIN t ON t.started_at < b.until AND t.ended_at > b.at
     GROUP BY b.at, b.until ORDER BY b.at`, [workerId, windowMs, bucketSeconds]);
  return result.map((r) => ({ at: r.at, slots: r.slots }));
}

export { fleetSnapshot, type FleetSnapshot } from './fleet-snapshot.js';
