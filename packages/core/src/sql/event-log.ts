/**
 * The event log: one row per mutation made by a person or a script (API, CLI): who (owner), what
 * (event, the DAG/run/task it touched, extra details without secrets), when, from where.
 */
import type { Queryable } from '../db/types.js';
import type { TimeRange } from './dag-runs.js';
import { query, rows } from './query.js';

export interface NewEvent {
  event: string;
  owner: string | null;
  dagId?: string | null;
  runId?: string | null;
  taskId?: string | null;
  mapIndex?: number | null;
  tryNumber?: number | null;
  extra?: unknown;
  remoteAddr?: string | null;
}

export interface EventRow {
  id: string;
  dttm: Date;
  event: string;
  owner: string | null;
  dagId: string | null;
  runId: string | null;
  taskId: string | null;
  mapIndex: number | null;
  tryNumber: number | null;
  extra: unknown;
  remoteAddr: string | null;
}

/** Appends events (one statement for all). */
export async function insertEvents(db: Queryable, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await query(db, 'insertEvents',
    `INSERT INTO event_log (event, owner, dag_id, run_id, task_id, map_index, try_number, extra, remote_addr)
     SELECT x.event, x.owner, x.dag_id, x.run_id, x.task_id, x.map_index, x.try_number, x.extra, x.remote_addr
       FROM jsonb_to_recordset($1::jsonb) AS x(event text, owner text, dag_id text, run_id text, task_id text,
            map_index integer, try_number integer, extra jsonb, remote_addr text)`,
    [JSON.stringify(events.map((e) => ({
      event: e.event, owner: e.owner, dag_id: e.dagId ?? null, run_id: e.runId ?? null, task_id: e.taskId ?? null,
      map_index: e.mapIndex ?? null, try_number: e.tryNumber ?? null, extra: e.extra ?? null, remote_addr: e.remoteAddr ?? null,
    })))]);
}

export interface EventPageFilter {
  limit: number;
  offset: number;
  /** Only this event (by id). */
  id?: string;
  mapIndex?: number;
  tryNumber?: number;
  dagId?: string;
  runId?: string;
  taskId?: string;
  event?: string;
  owner?: string;
  includedEvents?: readonly string[];
  excludedEvents?: readonly string[];
  when?: TimeRange;
  orderDesc?: boolean;
}

interface Row {
  id: string; dttm: Date; event: string; owner: string | null; dag_id: string | null; run_id: string | null; task_id: string | null;
  map_index: number | null; try_number: number | null; extra: unknown; remote_addr: string | null; total: string;
}

/** One page of events (oldest first unless `orderDesc`) and how many match. */
export async function listEventPage(db: Queryable, f: EventPageFilter): Promise<{ rows: EventRow[]; total: number }> {
  const result = await rows<Row>(db, 'listEventPage',
    `SELECT id, dttm, event, owner, dag_id, run_id, task_id, map_index, try_number, extra, remote_addr, count(*) OVER () AS total
       FROM event_log
      WHERE ($1::text IS NULL OR dag_id = $1) AND ($2::text IS NULL OR run_id = $2) AND ($3::text IS NULL OR task_id = $3)
        AND ($4::text IS NULL OR event = $4) AND ($5::text IS NULL OR owner = $5)
        AND ($6::text[] IS NULL OR event = ANY($6)) AND ($7::text[] IS NULL OR NOT (event = ANY($7)))
        AND ($8::timestamptz IS NULL OR dttm >= $8) AND ($9::timestamptz IS NULL OR dttm <= $9)
        AND ($12::bigint IS NULL OR id = $12) AND ($13::int IS NULL OR map_index = $13) AND ($14::int IS NULL OR try_number = $14)
      ORDER BY id ${f.orderDesc ? 'DESC' : 'ASC'} LIMIT $10 OFFSET $11`,
    [f.dagId ?? null, f.runId ?? null, f.taskId ?? null, f.event ?? null, f.owner ?? null,
      f.includedEvents && f.includedEvents.length > 0 ? f.includedEvents : null,
      f.excludedEvents && f.excludedEvents.length > 0 ? f.excludedEvents : null, f.when?.gte ?? null, f.when?.lte ?? null,
      f.limit, f.offset, f.id ?? null, f.mapIndex ?? null, f.tryNumber ?? null]);
  let total = Number(result[0]?.total ?? 0);
  if (result.length === 0 && f.offset > 0) total = (await listEventPage(db, { ...f, offset: 0, limit: 1 })).total;
  return {
    total,
    rows: result.map((r) => ({
      id: String(r.id), dttm: r.dttm, event: r.event, owner: r.owner, dagId: r.dag_id, runId: r.run_id, taskId: r.task_id,
      mapIndex: r.map_index, tryNumber: r.try_number, extra: r.extra, remoteAddr: r.remote_addr,
    })),
  };
}
