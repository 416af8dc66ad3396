/**
 * Admission: which ready task instances may be queued now, decided in one statement per batch.
 * A task instance takes pool_slots of its pool while queued or running, and one place under its
 * DAG's max_active_tasks and its task's max_active_tis_per_dag (both counted across the DAG's
 * runs). Candidates are the task instances that just became ready plus, for the pools and DAGs
 * being released (a task ended, a pool grew), the ones already waiting; free places go to the
 * highest priority_weight first (ties: see below). A candidate that does not fit waits
 * in state scheduled with the reason in wait_reason ("pool etl: 2 of 2 slots taken", "pool x does
 * not exist: ..."). The caller runs one admission at a time (the leading scheduler's gate), so no
 * two statements hand out the same free slot.
 *
 * Among equal priorities, the instance of the run with the earliest logical date goes first, then
 * the lowest map index (Airflow's scheduler orders them so: a catchup or backfill with too few
 * slots finishes its oldest runs first rather than starting every run's first task), then the one
 * ready longest. A waiting instance keeps its run's logical date in run_logical_date (written when
 * it starts to wait), so the indexes of waiting instances hand them out in that order.
 */
import { withTransaction } from '../db/transaction.js';
import { isPool, type Queryable } from '../db/types.js';
import type { QueuedAttempt } from '../state/keys.js';
import { newAttemptColumns } from './new-attempt.js';
import { query, rows } from './query.js';
import { taskTransition } from './transitions.js';

const ADMIT = taskTransition(['none', 'scheduled'], ['queued'], 'scheduled');
const HOLD = taskTransition(['none'], ['scheduled']);

/** A task of one run whose instances (every map index) became ready. */
export interface ReadyTask {
  dagId: string;
  runId: string;
  taskId: string;
}

export interface AdmissionInput {
  ready: readonly ReadyTask[];
  /** Pools and DAGs whose waiting instances compete too (something freed a place in them). */
  releasePools: readonly string[];
  releaseDags: readonly string[];
  /** Every pool with waiting instances competes (after a pool changed, on start, after a round that left places). */
  releaseAll: boolean;
  /**
   * Waiting instances of these DAGs, tasks and tasks of one run (at their max_active_tasks,
   * max_active_tis_per_dag or max_active_tis_per_dagrun) are not looked at in the released pools and DAGs, so that others behind them are (default none).
   */
  exclude?: Exclusions;
}

/** DAGs, tasks (dag id, task id) and tasks of one run (dag id, run id, task id) whose waiting instances a round passes over. */
export interface Exclusions {
  dags: readonly string[];
  tasks: readonly (readonly [string, string])[];
  /** Default none. */
  runTasks?: readonly (readonly [string, string, string])[];
}

/**
 * Released pools and DAGs whose waiting instances were not all looked at (the statement looks at
 * `scanLimit` per pool or DAG, in priority order), where places are left, and where some of those
 * looked at wait for their DAG's or task's limit: instances behind them may fit. The caller asks
 * again with `exclude` set to the DAGs and tasks at their limit (else one DAG with a long backlog
 * at its max_active_tasks would keep every other DAG in its pool waiting).
 */
export interface Starved {
  pools: string[];
  dags: string[];
  exclude: Exclusions;
}

export interface AdmissionResult {
  queued: QueuedAttempt[];
  /** Another round may queue more: a place is left that a waiting instance not looked at may take. */
  more: boolean;
  /** Some task instance is still waiting (state scheduled) after this statement. */
  waiting: boolean;
  /** Per pool looked at: its task instances queued (not yet running) after this statement, work that workers have at hand. */
  backlog: Record<string, number>;
  /** Null unless some released pool or DAG is starved (see Starved). */
  starved: Starved | null;
  /** [pool, dag id] of the instances this statement made wait (they were not waiting before). */
  newlyHeld: [string, string][];
}

// Columns reset when a new attempt is queued (as task-instances.ts queueTasks). queued_at is the
// moment of the write (clock_timestamp), after the statement's snapshot: later than the end of
// every task whose freed slot it saw (now() is when the transaction began, which may be earlier).
const NEW_ATTEMPT = newAttemptColumns({ queuedAt: 'clock_timestamp()' });
// Waiting instances keep the moment they became ready: their age in the order.
const READY_SINCE = 'CASE WHEN ti.state IS NULL THEN now() ELSE ti.scheduled_at END';
// row_id (the row version's ctid) lets the three updates below reach each row directly (a TID
// lookup per row) instead of hashing every unfinished task instance to join on the key. A row that
// another transaction changed since this statement read it no longer matches its row_id and is left
// alone. The statement runs with sequential scans disabled (admitTaskInstances): its generic plan is
// made once per connection, often from statistics gathered before any instance waited (a new
// database), and such plans scanned every task instance, to sort the waiting ones or to join the
// rows to update (5 to 100 ms per admission with 5,000 to 10,000 waiting). (The updates named their
// TIDs as one array before, ctid = ANY (...): when the planner read that array as a filter instead
// of a TID scan, each row was compared with every held one, 78 ms for 5,000 held.) The queueing
// update walks `admit` in priority order, so the rows' queued_at (clock_timestamp, per row) follow it.
// prior_state and prior_reason: held rows are written only where something changes (a row that
// starts to wait, or whose reason changed), so the two updates below have no row to look up at all
// in the common case (the same instances waiting for the same reason).
const COLUMNS = 'ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.pool, ti.pool_slots, ti.priority_weight, ti.max_active_tis_per_dag, ti.max_active_tis_per_dagrun, ti.ctid AS row_id, ti.state AS prior_state, ti.wait_reason AS prior_reason';
const ORDER = 'priority_weight DESC, ld, map_index, since, dag_id, run_id, task_id';
/** Waiting instances in that order (the order of the partial indexes of waiting instances). */
const WAITING_ORDER = 'ti.priority_weight DESC, ti.run_logical_date, ti.map_index, ti.scheduled_at';
const SAME = (a: string, b: string): string =>
  `${a}.dag_id = ${b}.dag_id AND ${a}.run_id = ${b}.run_id AND ${a}.task_id = ${b}.task_id AND ${a}.map_index = ${b}.map_index`;

// fresh: each ready task is read by its primary key, one lateral lookup per task, and its run's
// logical date from the run (one lookup per task, not per map index); an instance already waiting
// has the one it waits with, as in `waiting` (the union of the two keeps one row per instance). The state test
// stays outside the lateral so that the generic plan cannot choose the partial index of unfinished
// rows instead: it walked that whole index (dead entries included) once per ready task, 2,000 ready
// tasks of one run cost 4,000,000 row comparisons (1.5 s).
//
// waiting_pools: with releaseAll, the pools that have waiting instances, one index probe per pool
// (a skip scan of the partial index of waiting rows). A DISTINCT over that index read every waiting
// instance, so a release of every pool cost as much as the backlog was long: with 100,000 waiting
// instances in two pools, 7 ms for the DISTINCT against 0.2 ms for the probes, round trip included.
// The waiting instances of DAGs and tasks at their limit are passed over when the caller names them
// (a round after one that found a pool or DAG starved, see AdmissionInput.exclude): a statement of
// its own, since the filter (its arrays unknown to a generic plan) made the planner expect few
// waiting rows and sort them all (7 ms with 10,000 waiting) instead of reading the first by index.
const admissionStatement = (exclude: boolean): string => {
  const NOT_EXCLUDED = exclude
    ? 'NOT (ti.dag_id = ANY ($8::text[])) AND NOT ((ti.dag_id || chr(31) || ti.task_id) = ANY ($9::text[])) ' +
      'AND NOT ((ti.dag_id || chr(31) || ti.run_id || chr(31) || ti.task_id) = ANY ($10::text[]))'
    : 'true';
  return `
WITH RECURSIVE c AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS c(dag_id, run_id, task_id)),
fresh AS (
  SELECT f.dag_id, f.run_id, f.task_id, f.map_index, f.pool, f.pool_slots, f.priority_weight, f.max_active_tis_per_dag,
    f.max_active_tis_per_dagrun, f.row_id,
    f.prior_state, f.prior_reason, f.since, CASE WHEN f.prior_state IS NULL THEN dr.logical_date ELSE f.waiting_ld END AS ld
  FROM c JOIN dag_run dr ON dr.dag_id = c.dag_id AND dr.run_id = c.run_id CROSS JOIN LATERAL (
    SELECT ${COLUMNS}, ${READY_SINCE} AS since, ti.run_logical_date AS waiting_ld FROM task_instance ti
    WHERE ti.dag_id = c.dag_id AND ti.run_id = c.run_id AND ti.task_id = c.task_id OFFSET 0) f
  WHERE f.prior_state IS NULL OR f.prior_state = 'scheduled'),
waiting_pools AS (
  (SELECT ti.pool FROM task_instance ti WHERE $6::boolean AND ti.state = 'scheduled' ORDER BY ti.pool LIMIT 1)
  UNION ALL
  SELECT (SELECT ti.pool FROM task_instance ti WHERE ti.state = 'scheduled' AND ti.pool > wp.pool ORDER BY ti.pool LIMIT 1)
  FROM waiting_pools wp WHERE wp.pool IS NOT NULL),
scope_pools AS (
  SELECT unnest($4::text[]) AS pool
  UNION SELECT pool FROM waiting_pools WHERE pool IS NOT NULL),
waiting_p AS (
  SELECT w.* FROM scope_pools sp CROSS JOIN LATERAL (
    SELECT ${COLUMNS}, ti.scheduled_at AS since, ti.run_logical_date AS ld FROM task_instance ti
    WHERE ti.state = 'scheduled' AND ti.pool = sp.pool AND ${NOT_EXCLUDED}
    ORDER BY ${WAITING_ORDER} LIMIT $7) w),
waiting_d AS (
  SELECT w.* FROM unnest($5::text[]) AS sd(dag_id) CROSS JOIN LATERAL (
    SELECT ${COLUMNS}, ti.scheduled_at AS since, ti.run_logical_date AS ld FROM task_instance ti
    WHERE ti.state = 'scheduled' AND ti.dag_id = sd.dag_id AND ${NOT_EXCLUDED}
    ORDER BY ${WAITING_ORDER} LIMIT $7) w),
waiting AS (SELECT * FROM waiting_p UNION SELECT * FROM waiting_d),
cand AS (SELECT * FROM fresh UNION SELECT * FROM waiting),
pool_free AS MATERIALIZED (
  SELECT u.pool, p.slots, p.slots - COALESCE(o.taken, 0) AS free, COALESCE(o.queued, 0) AS queued
  FROM (SELECT DISTINCT pool FROM cand) u LEFT JOIN slot_pool p ON p.pool = u.pool
    LEFT JOIN LATERAL (SELECT sum(o.pool_slots) AS taken, count(*) FILTER (WHERE o.state = 'queued') AS queued
      FROM task_instance o WHERE o.pool = u.pool AND o.state IN ('queued', 'running')) o ON true),
dag_free AS MATERIALIZED (
  SELECT u.dag_id, d.max_active_tasks AS cap, d.max_active_tasks - (SELECT count(*) FROM task_instance o
    WHERE o.dag_id = u.dag_id AND o.state IN ('queued', 'running')) AS free
  FROM (SELECT DISTINCT dag_id FROM cand) u JOIN dag d ON d.dag_id = u.dag_id),
task_free AS MATERIALIZED (
  SELECT u.dag_id, u.task_id, u.cap, u.cap - (SELECT count(*) FROM task_instance o
    WHERE o.dag_id = u.dag_id AND o.task_id = u.task_id AND o.state IN ('queued', 'running')) AS free
  FROM (SELECT dag_id, task_id, min(max_active_tis_per_dag) AS cap FROM cand
        WHERE max_active_tis_per_dag IS NOT NULL GROUP BY dag_id, task_id) u),
run_task_free AS MATERIALIZED (
  SELECT u.dag_id, u.run_id, u.task_id, u.cap, u.cap - (SELECT count(*) FROM task_instance o
    WHERE o.dag_id = u.dag_id AND o.task_id = u.task_id AND o.run_id = u.run_id AND o.state IN ('queued', 'running')) AS free
  FROM (SELECT dag_id, run_id, task_id, min(max_active_tis_per_dagrun) AS cap FROM cand
        WHERE max_active_tis_per_dagrun IS NOT NULL GROUP BY dag_id, run_id, task_id) u),
ranked AS (
  SELECT c.*, p.slots, p.free AS pfree, d.cap AS dcap, d.free AS dfree, t.cap AS tcap, t.free AS tfree,
    rt.cap AS rtcap, rt.free AS rtfree,
    (p.slots IS NOT NULL AND (p.slots < 0 OR c.pool_slots <= p.free)
      AND COALESCE(d.free, 1) >= 1 AND COALESCE(t.free, 1) >= 1 AND COALESCE(rt.free, 1) >= 1) AS eligible
  FROM cand c JOIN pool_free p ON p.pool = c.pool LEFT JOIN dag_free d ON d.dag_id = c.dag_id
    LEFT JOIN task_free t ON t.dag_id = c.dag_id AND t.task_id = c.task_id
    LEFT JOIN run_task_free rt ON rt.dag_id = c.dag_id AND rt.run_id = c.run_id AND rt.task_id = c.task_id),
win AS (
  SELECT r.*,
    sum(r.pool_slots) OVER (PARTITION BY r.pool ORDER BY ${ORDER}) AS pcum,
    count(*) OVER (PARTITION BY r.dag_id ORDER BY ${ORDER}) AS dcum,
    count(*) OVER (PARTITION BY r.dag_id, r.task_id ORDER BY ${ORDER}) AS tcum,
    count(*) OVER (PARTITION BY r.dag_id, r.run_id, r.task_id ORDER BY ${ORDER}) AS rtcum
  FROM ranked r WHERE r.eligible),
admit AS (
  SELECT w.dag_id, w.run_id, w.task_id, w.map_index, w.pool, w.pool_slots, w.row_id FROM win w
  WHERE (w.slots < 0 OR w.pcum <= w.pfree) AND (w.dfree IS NULL OR w.dcum <= w.dfree) AND (w.tfree IS NULL OR w.tcum <= w.tfree)
    AND (w.rtfree IS NULL OR w.rtcum <= w.rtfree)),
q AS (
  UPDATE task_instance ti SET state = 'queued', scheduled_at = ${READY_SINCE}, ${NEW_ATTEMPT}
  FROM admit a WHERE ti.ctid = a.row_id AND ${SAME('ti', 'a')} AND ${ADMIT.guard('ti')}
  RETURNING ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.attempt_token, ti.queue,
    ti.priority_weight, ti.queued_at),
tries AS (
  INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, attempt_token, state, queued_at)
  SELECT dag_id, run_id, task_id, map_index, try_number, attempt_token, 'queued', queued_at FROM q
  ON CONFLICT (dag_id, run_id, task_id, map_index, try_number)
    DO UPDATE SET attempt_token = EXCLUDED.attempt_token, state = 'queued', queued_at = EXCLUDED.queued_at),
taken AS (SELECT pool, sum(pool_slots) AS n FROM admit GROUP BY pool),
dag_taken AS (SELECT dag_id, count(*) AS n FROM admit GROUP BY dag_id),
task_taken AS (SELECT dag_id, task_id, count(*) AS n FROM admit GROUP BY dag_id, task_id),
run_task_taken AS (SELECT dag_id, run_id, task_id, count(*) AS n FROM admit GROUP BY dag_id, run_id, task_id),
held AS (
  SELECT r.dag_id, r.run_id, r.task_id, r.map_index, r.row_id, r.pool, r.prior_state, r.prior_reason, r.ld,
    (r.dfree IS NOT NULL AND r.dfree - COALESCE(dt.n, 0) < 1) AS dag_full,
    (r.tfree IS NOT NULL AND r.tfree - COALESCE(tt.n, 0) < 1) AS task_full,
    (r.rtfree IS NOT NULL AND r.rtfree - COALESCE(rtt.n, 0) < 1) AS run_task_full, CASE
    WHEN r.slots IS NULL THEN format('pool %s does not exist: create it (updraft pools set %s SLOTS DESCRIPTION) and the task runs', r.pool, r.pool)
    WHEN r.slots >= 0 AND r.pool_slots > r.slots THEN format('pool %s: the task takes %s slot(s), more than the pool''s %s', r.pool, r.pool_slots, r.slots)
    WHEN r.slots >= 0 AND r.pool_slots > r.pfree - COALESCE(pt.n, 0)
      THEN format('pool %s: %s of %s slots taken', r.pool, r.slots - r.pfree + COALESCE(pt.n, 0), r.slots)
    WHEN r.dfree IS NOT NULL AND r.dfree - COALESCE(dt.n, 0) < 1
      THEN format('DAG %s: max_active_tasks %s reached (queued or running)', r.dag_id, r.dcap)
    WHEN r.tfree IS NOT NULL AND r.tfree - COALESCE(tt.n, 0) < 1
      THEN format('task %s: max_active_tis_per_dag %s reached (queued or running across runs)', r.task_id, r.tcap)
    WHEN r.rtfree IS NOT NULL AND r.rtfree - COALESCE(rtt.n, 0) < 1
      THEN format('task %s: max_active_tis_per_dagrun %s reached (queued or running in this run)', r.task_id, r.rtcap)
  END AS reason
  FROM ranked r LEFT JOIN taken pt ON pt.pool = r.pool LEFT JOIN dag_taken dt ON dt.dag_id = r.dag_id
    LEFT JOIN task_taken tt ON tt.dag_id = r.dag_id AND tt.task_id = r.task_id
    LEFT JOIN run_task_taken rtt ON rtt.dag_id = r.dag_id AND rtt.run_id = r.run_id AND rtt.task_id = r.task_id
  WHERE NOT EXISTS (SELECT 1 FROM admit a WHERE ${SAME('a', 'r')})),
hold AS (
  UPDATE task_instance ti SET state = 'scheduled', scheduled_at = now(), run_logical_date = h.ld,
    wait_reason = COALESCE(h.reason, 'waiting for a free slot'), updated_at = now()
  FROM held h WHERE h.prior_state IS NULL AND ti.ctid = h.row_id AND ${SAME('ti', 'h')} AND ${HOLD.guard('ti')}
  RETURNING ti.pool, ti.dag_id),
starved_pools AS (
  SELECT wp.pool FROM (SELECT pool, count(*) AS n FROM waiting_p GROUP BY pool) wp
    JOIN pool_free pf ON pf.pool = wp.pool LEFT JOIN taken t ON t.pool = wp.pool
  WHERE wp.n >= $7 AND (pf.slots < 0 OR pf.free - COALESCE(t.n, 0) > 0)
    AND EXISTS (SELECT 1 FROM held h WHERE h.pool = wp.pool AND (h.dag_full OR h.task_full OR h.run_task_full))),
starved_dags AS (
  SELECT wd.dag_id FROM (SELECT dag_id, count(*) AS n FROM waiting_d GROUP BY dag_id) wd
    JOIN dag_free df ON df.dag_id = wd.dag_id LEFT JOIN dag_taken t ON t.dag_id = wd.dag_id
  WHERE wd.n >= $7 AND df.free - COALESCE(t.n, 0) > 0
    AND EXISTS (SELECT 1 FROM held h WHERE h.dag_id = wd.dag_id AND (h.task_full OR h.run_task_full))),
starved_held AS (
  SELECT h.* FROM held h WHERE h.pool IN (SELECT pool FROM starved_pools) OR h.dag_id IN (SELECT dag_id FROM starved_dags)),
note AS (
  UPDATE task_instance ti SET wait_reason = COALESCE(h.reason, 'waiting for a free slot'), updated_at = now()
  FROM held h WHERE h.prior_state = 'scheduled' AND h.prior_reason IS DISTINCT FROM COALESCE(h.reason, 'waiting for a free slot')
    AND ti.ctid = h.row_id AND ${SAME('ti', 'h')} AND ti.state IS NOT DISTINCT FROM 'scheduled'
    AND ti.wait_reason IS DISTINCT FROM COALESCE(h.reason, 'waiting for a free slot'))
SELECT (SELECT json_agg(q) FROM q) AS queued,
  (SELECT json_object_agg(pf.pool, pf.queued + COALESCE(t.n, 0)) FROM pool_free pf LEFT JOIN
    (SELECT pool, count(*) AS n FROM admit GROUP BY pool) t ON t.pool = pf.pool) AS backlog,
  (EXISTS (SELECT 1 FROM held WHERE reason IS NULL)
    OR ((SELECT count(*) FROM waiting) >= $7 AND NOT EXISTS (SELECT 1 FROM held))) AS more,
  (EXISTS (SELECT 1 FROM held)
    OR EXISTS (SELECT 1 FROM task_instance o WHERE o.state = 'scheduled' AND NOT EXISTS (SELECT 1 FROM admit a WHERE ${SAME('a', 'o')}))) AS waiting,
  (SELECT json_build_object(
      'pools', (SELECT json_agg(pool) FROM starved_pools), 'dags', (SELECT json_agg(dag_id) FROM starved_dags),
      'fullDags', (SELECT json_agg(DISTINCT dag_id) FROM starved_held WHERE dag_full),
      'fullTasks', (SELECT jsonb_agg(DISTINCT jsonb_build_array(dag_id, task_id)) FROM starved_held WHERE task_full),
      'fullRunTasks', (SELECT jsonb_agg(DISTINCT jsonb_build_array(dag_id, run_id, task_id)) FROM starved_held WHERE run_task_full))
    WHERE EXISTS (SELECT 1 FROM starved_pools) OR EXISTS (SELECT 1 FROM starved_dags)) AS starved,
  (SELECT jsonb_agg(DISTINCT jsonb_build_array(pool, dag_id)) FROM hold) AS newly_held`;
};
const ADMISSION_SQL = admissionStatement(false);
const ADMISSION_EXCLUDING_SQL = admissionStatement(true);

// The common case, cheap to plan and run: nothing waits, and every candidate fits (their slots in
// each pool, their number under each DAG's max_active_tasks): all are queued, or none when one
// would not fit (the caller then runs the full admission, which picks by priority).
// hit: each candidate is read by its primary key (a lateral lookup, as fresh above), and only once
// fit is known to hold (a one-time filter). Joined as UPDATE ... FROM c, the planner trusted the
// statistics of a table analysed before the run was inserted (no instance without a state) and
// scanned every row once per candidate: with 1,000,000 finished instances, 5,000 ready tasks took
// 7 s, to queue none (they did not fit).
const ALL_FIT_SQL = `
WITH c AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS c(dag_id, run_id, task_id)),
fit AS (
  SELECT NOT EXISTS (
      SELECT 1 FROM unnest($4::text[], $5::int[]) AS n(pool, slots) LEFT JOIN slot_pool p ON p.pool = n.pool
      WHERE p.slots IS NULL OR (p.slots >= 0 AND p.slots < n.slots + COALESCE((SELECT sum(o.pool_slots) FROM task_instance o
        WHERE o.pool = n.pool AND o.state IN ('queued', 'running')), 0)))
    AND NOT EXISTS (
      SELECT 1 FROM unnest($6::text[], $7::int[]) AS n(dag_id, count) JOIN dag d ON d.dag_id = n.dag_id
      WHERE d.max_active_tasks < n.count + (SELECT count(*) FROM task_instance o
        WHERE o.dag_id = n.dag_id AND o.state IN ('queued', 'running'))) AS ok),
hit AS (
  SELECT h.row_id, c.dag_id, c.run_id, c.task_id FROM c CROSS JOIN LATERAL (
    SELECT ti.ctid AS row_id FROM task_instance ti
    WHERE ti.dag_id = c.dag_id AND ti.run_id = c.run_id AND ti.task_id = c.task_id OFFSET 0) h
  WHERE (SELECT ok FROM fit)),
q AS (
  UPDATE task_instance ti SET state = 'queued', scheduled_at = ${READY_SINCE}, ${NEW_ATTEMPT}
  FROM hit h WHERE ti.ctid = h.row_id AND ti.dag_id = h.dag_id AND ti.run_id = h.run_id AND ti.task_id = h.task_id
    AND ${ADMIT.guard('ti')}
  RETURNING ti.dag_run_id, ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.attempt_token, ti.queue,
    ti.priority_weight, ti.queued_at),
tries AS (
  INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, attempt_token, state, queued_at)
  SELECT dag_id, run_id, task_id, map_index, try_number, attempt_token, 'queued', queued_at FROM q
  ON CONFLICT (dag_id, run_id, task_id, map_index, try_number)
    DO UPDATE SET attempt_token = EXCLUDED.attempt_token, state = 'queued', queued_at = EXCLUDED.queued_at)
SELECT fit.ok, q.* FROM fit LEFT JOIN q ON true`;

/** A ready task with what it takes: its pool and slots, one place under its DAG's limit. */
export interface SimpleReadyTask extends ReadyTask {
  pool: string;
  poolSlots: number;
}

/**
 * When nothing waits for a place: queues every candidate if all of them fit (unmapped tasks
 * without max_active_tis_per_dag only), else nothing. Null: they do not all fit.
 */
export async function admitIfAllFit(db: Queryable, ready: readonly SimpleReadyTask[]): Promise<QueuedAttempt[] | null> {
  const pools = new Map<string, number>();
  const dags = new Map<string, number>();
  for (const t of ready) {
    pools.set(t.pool, (pools.get(t.pool) ?? 0) + t.poolSlots);
    dags.set(t.dagId, (dags.get(t.dagId) ?? 0) + 1);
  }
  const result = await rows<Omit<QueuedJson, 'dag_run_id'> & { ok: boolean; dag_run_id: string | null }>(db, 'admitIfAllFit', ALL_FIT_SQL,
    [ready.map((x) => x.dagId), ready.map((x) => x.runId), ready.map((x) => x.taskId), [...pools.keys()], [...pools.values()],
      [...dags.keys()], [...dags.values()]],
    { prepare: true });
  if (result[0]?.ok !== true) return null;
  return result.filter((r) => r.dag_run_id !== null).map((q) => ({
    dagRunId: String(q.dag_run_id), dagId: q.dag_id, runId: q.run_id, taskId: q.task_id, mapIndex: q.map_index,
    tryNumber: q.try_number, attemptToken: q.attempt_token, queue: q.queue, priorityWeight: q.priority_weight,
  }));
}

interface QueuedJson {
  dag_run_id: string | number; dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number;
  attempt_token: string; queue: string; priority_weight: number;
}

/**
 * The settings of an admission's transaction (see admitTaskInstances), in one round trip (a simple
 * query may hold several statements). A caller that passes its own connection sets them in its
 * transaction.
 */
export const ADMISSION_SETTINGS = 'SET LOCAL plan_cache_mode = force_generic_plan; SET LOCAL enable_seqscan = off';

/**
 * Queues the candidates that fit (a new try with a fresh attempt token, and its try row) and
 * records why the others wait. `scanLimit`: waiting instances looked at per released pool or DAG.
 * Given a pool, the statement runs in a transaction of its own with a generic plan (planned once
 * per connection: planning this statement anew costs more than running it) and without sequential
 * scans (see row_id above).
 */
export async function admitTaskInstances(db: Queryable, input: AdmissionInput, scanLimit = 64): Promise<AdmissionResult> {
  const r = input.ready;
  const runTasks = input.exclude?.runTasks ?? [];
  const exclude = input.exclude !== undefined && (input.exclude.dags.length > 0 || input.exclude.tasks.length > 0 || runTasks.length > 0);
  const params: unknown[] = [r.map((x) => x.dagId), r.map((x) => x.runId), r.map((x) => x.taskId), input.releasePools, input.releaseDags, input.releaseAll, scanLimit];
  if (exclude) {
    params.push(input.exclude!.dags, input.exclude!.tasks.map(([d, t]) => `${d}\u001f${t}`),
      runTasks.map(([d, r, t]) => `${d}\u001f${r}\u001f${t}`));
  }
  const admit = (q: Queryable) => rows<AdmissionRow>(q, exclude ? 'admitTaskInstancesExcluding' : 'admitTaskInstances',
    exclude ? ADMISSION_EXCLUDING_SQL : ADMISSION_SQL, params,
    { prepare: true });
  const result = isPool(db)
    ? await withTransaction(db, async (client) => {
      await query(client, 'admitTaskInstances', ADMISSION_SETTINGS);
      return admit(client);
    })
    : await admit(db);
  const row = result[0]!;
  return {
    queued: (row.queued ?? []).map((q) => ({
      dagRunId: String(q.dag_run_id), dagId: q.dag_id, runId: q.run_id, taskId: q.task_id, mapIndex: q.map_index,
      tryNumber: q.try_number, attemptToken: q.attempt_token, queue: q.queue, priorityWeight: q.priority_weight,
    })),
    more: row.more,
    waiting: row.waiting,
    backlog: row.backlog ?? {},
    starved: row.starved === null ? null : {
      pools: row.starved.pools ?? [], dags: row.starved.dags ?? [],
      exclude: { dags: row.starved.fullDags ?? [], tasks: row.starved.fullTasks ?? [], runTasks: row.starved.fullRunTasks ?? [] },
    },
    newlyHeld: row.newly_held ?? [],
  };
}

interface AdmissionRow {
  queued: QueuedJson[] | null;
  more: boolean;
  waiting: boolean;
  backlog: Record<string, number> | null;
  starved: { pools: string[] | null; dags: string[] | null; fullDags: string[] | null; fullTasks: [string, string][] | null;
    fullRunTasks: [string, string, string][] | null } | null;
  newly_held: [string, string][] | null;
}
