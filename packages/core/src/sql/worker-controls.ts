/**
 * The remote controls asked of workers and their acknowledgements (migration 0025). The desired
 * state lives in the worker and task-instance rows; a control row records who asked what and
 * when, and when the worker acknowledged it: the answer to its heartbeat lists the ids not yet
 * acknowledged (workersSql.recordHeartbeat), the worker applies that answer and names the ids in
 * its next heartbeat.
 */
import type { Queryable } from '../db/types.js';
import { rows } from './query.js';

export type WorkerControlAction =
  | 'drain' | 'resume' | 'shutdown' | 'pool.grow' | 'pool.shrink' | 'queue.add' | 'queue.cancel' | 'terminate';

export interface NewWorkerControl {
  workerName: string;
  action: WorkerControlAction;
  /** What exactly, in words (`+2 slots -> 5`, `queue etl`, the attempt), or null. */
  detail: string | null;
  requestedBy: string;
}

export interface WorkerControl {
  id: number;
  workerId: string;
  workerName: string;
  action: WorkerControlAction;
  detail: string | null;
  requestedBy: string;
  requestedAt: Date;
  acknowledgedAt: Date | null;
}

interface Row {
  id: string; worker_id: string; worker_name: string; action: WorkerControlAction; detail: string | null;
  requested_by: string; requested_at: Date; acknowledged_at: Date | null;
}

const toControl = (r: Row): WorkerControl => ({
  id: Number(r.id), workerId: r.worker_id, workerName: r.worker_name, action: r.action, detail: r.detail,
  requestedBy: r.requested_by, requestedAt: r.requested_at, acknowledgedAt: r.acknowledged_at,
});

/**
 * Records controls for the current incarnation of each named worker (a name the registry does not
 * know records nothing). Record a control after the change it stands for: a heartbeat that lists
 * its id then always carries its effect.
 */
export async function recordControls(db: Queryable, controls: readonly NewWorkerControl[]): Promise<WorkerControl[]> {
  if (controls.length === 0) return [];
  const result = await rows<Row>(db, 'recordControls',
    `INSERT INTO worker_control (worker_id, worker_name, action, detail, requested_by)
     SELECT w.worker_id, w.worker_name, c.action, c.detail, c.requested_by
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS c(worker_name, action, detail, requested_by, n)
     JOIN worker w ON w.worker_name = c.worker_name
     ORDER BY c.n
     RETURNING id, worker_id, worker_name, action, detail, requested_by, requested_at, acknowledged_at`,
    [controls.map((c) => c.workerName), controls.map((c) => c.action), controls.map((c) => c.detail), controls.map((c) => c.requestedBy)]);
  return result.map(toControl);
}

/** The latest `perWorker` controls of each named worker, newest first. */
export async function recentControls(db: Queryable, workerNames: readonly string[], perWorker: number): Promise<Map<string, WorkerControl[]>> {
  const out = new Map<string, WorkerControl[]>();
  if (workerNames.length === 0) return out;
  const result = await rows<Row>(db, 'recentControls',
    `SELECT c.* FROM unnest($1::text[]) AS n(worker_name)
     CROSS JOIN LATERAL (
       SELECT id, worker_id, worker_name, action, detail, requested_by, requested_at, acknowledged_at
       FROM worker_control WHERE worker_name = n.worker_name ORDER BY id DESC LIMIT $2) c
     ORDER BY c.worker_name, c.id DESC`, [workerNames, perWorker]);
  for (const r of result.map(toControl)) {
    const list = out.get(r.workerName) ?? [];
    list.push(r);
    out.set(r.workerName, list);
  }
  return out;
}

/** One control by id (null when unknown). */
export async function controlById(db: Queryable, id: number): Promise<WorkerControl | null> {
  const result = await rows<Row>(db, 'controlById',
    `SELECT id, worker_id, worker_name, action, detail, requested_by, requested_at, acknowledged_at FROM worker_control WHERE id = $1`, [id]);
  return result[0] === undefined ? null : toControl(result[0]);
}
