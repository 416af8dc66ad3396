/**
 * Fleet administration from any process: list the registered workers, and ask workers to drain.
 * A draining worker learns it from the answer to its next heartbeat (HeartbeatResponse.drain): it
 * stops taking tasks, lets its running tasks finish, and deregisters (then it is offline).
 */
import type { Queryable } from '../db/types.js';
import { queryRows } from './sql.js';

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

/** Every registered worker (offline ones too), by name. */
export async function listWorkers(db: Queryable): Promise<WorkerView[]> {
  const rows = await queryRows<Row>(db, 'listing workers', `SELECT ${COLUMNS} FROM worker ORDER BY worker_name`, []);
  return rows.map(toView);
}

/**
 * online -> draining for the workers whose name or hostname is `nameOrHost`. Returns the workers
 * it marked (empty when none matched or none was online).
 */
export async function drainWorkers(db: Queryable, nameOrHost: string): Promise<WorkerView[]> {
  const rows = await queryRows<Row>(
    db, `draining worker '${nameOrHost}'`,
    `UPDATE worker SET state = 'draining' WHERE (worker_name = $1 OR hostname = $1) AND state = 'online'
     RETURNING ${COLUMNS}`,
    [nameOrHost],
  );
  return rows.map(toView);
}
