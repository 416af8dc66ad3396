/**
 * The fleet as the API and pages show it: every worker with its derived state, slots, active
 * attempts, outcome counts (kept as tries end, a few rows per worker) and latest remote controls,
 * from one statement (fleetSql.fleetSnapshot) whose cost grows with the number of workers and
 * running attempts. A read is shared: callers at the same moment wait for the one read in flight,
 * and a read younger than `maxAgeMs` is served again (the fleet watch refreshes it every interval),
 * with heartbeat ages and elapsed times moved on to now, so a request costs no fleet statement
 * under load. A control written by this monitor drops the read at once (invalidate).
 */
import { fleetSql, type Queryable } from '@updraft/core/data';
import { controlView, type ControlView } from './controls.js';
import { deriveWorkerState, type WorkerState } from './worker-state.js';

export interface AttemptView {
  dag_id: string;
  run_id: string;
  task_id: string;
  map_index: number;
  try_number: number;
  queue: string;
  started_at: string | null;
  elapsed_ms: number | null;
  /** The task instance (with this try's live log) in the web UI. */
  url: string;
}

export interface OutcomeView {
  succeeded: number;
  failed: number;
  retried: number;
}

export interface WorkerView {
  name: string;
  worker_id: string;
  hostname: string;
  pid: number | null;
  version: string | null;
  state: WorkerState;
  state_reason: string | null;
  state_since: string;
  queues: string[];
  /** The queues set live (a consumer added or cancelled) and not yet acknowledged by the worker, else null. */
  queues_pending: string[] | null;
  concurrency: number;
  /** The concurrency set live (pool grow/shrink) and not yet acknowledged by the worker, else null. */
  concurrency_pending: number | null;
  slots_used: number;
  slots_free: number;
  active: AttemptView[];
  processed: number;
  outcomes: { hour: OutcomeView; day: OutcomeView; all: OutcomeView };
  load_average: [number, number, number] | null;
  /** CPU of the worker process over its last heartbeat interval, percent of one core (task processes not counted). */
  cpu_percent: number | null;
  /** Resident memory of the worker process, bytes. */
  rss_bytes: number | null;
  umask: string | null;
  uid: number | null;
  gid: number | null;
  last_heartbeat: string | null;
  heartbeat_age_ms: number | null;
  started_at: string;
  /** The latest remote controls asked of it (newest first): requested (who, when) -> acknowledged (when). */
  controls: ControlView[];
}

export interface FleetReaderOptions {
  db: Queryable;
  heartbeatTimeoutMs: number;
  offlineRetentionMs: number;
  uiBaseUrl: string;
  /** How long one read of the fleet is served again (ages are moved on to now). Default 1000. */
  maxAgeMs?: number;
}

interface Read {
  /** When the read started (Date.now()): ages in it are as of then. */
  at: number;
  data: fleetSql.FleetSnapshot;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
/** Controls shown per worker. */
const CONTROLS_SHOWN = 5;
const ZERO: OutcomeView = { succeeded: 0, failed: 0, retried: 0 };

/** The task instance in the web UI (`?try=N` opens that try and its log). */
export function taskInstanceUrl(base: string, a: { dagId: string; runId: string; taskId: string; mapIndex: number; tryNumber?: number }): string {
  const e = encodeURIComponent;
  const params = [a.tryNumber === undefined ? '' : `try=${a.tryNumber}`, a.mapIndex >= 0 ? `map_index=${a.mapIndex}` : ''].filter(Boolean);
  return `${base.replace(/\/$/, '')}/dags/${e(a.dagId)}/runs/${e(a.runId)}/tasks/${e(a.taskId)}${params.length > 0 ? `?${params.join('&')}` : ''}`;
}

export class FleetReader {
  private last: Read | undefined;
  private inflight: { generation: number; read: Promise<Read> } | undefined;
  /** Bumped by invalidate(): a read that started before it is neither joined nor kept. */
  private generation = 0;

  constructor(private readonly o: FleetReaderOptions) {}

  /** Forget the last read (after this monitor changed a worker): the next call reads again. */
  invalidate(): void {
    this.last = undefined;
    this.generation++;
  }

  /**
   * Every worker; offline and deregistered ones that left more than the retention ago only when
   * `all` is set (or `name` asks for one). `maxAgeMs`: the oldest read to serve (default the
   * reader's; 0 reads again unless a read is in flight).
   */
  async workers(q: { all?: boolean; name?: string; maxAgeMs?: number } = {}): Promise<WorkerView[]> {
    const { at, data } = await this.read(q.maxAgeMs ?? this.o.maxAgeMs ?? 1000);
    const now = Date.now();
    const aged = now - at;
    const picked = data.workers
      .map((read) => {
        // The read's ages as of now: a worker whose heartbeat stopped turns offline on time.
        const w = read.heartbeatAgeMs === null ? read : { ...read, heartbeatAgeMs: read.heartbeatAgeMs + aged };
        return { w, d: deriveWorkerState(w, this.o.heartbeatTimeoutMs) };
      })
      .filter(({ w, d }) => {
        if (q.name !== undefined) return w.workerName === q.name;
        if (q.all) return true;
        const gone = d.state === 'offline' || d.state === 'deregistered';
        return !gone || now - d.since.getTime() <= this.o.offlineRetentionMs;
      });
    const byWorker = new Map<string, fleetSql.RunningAttempt[]>();
    for (const a of data.running) {
      if (a.workerId === null) continue;
      const list = byWorker.get(a.workerId) ?? [];
      list.push(a);
      byWorker.set(a.workerId, list);
    }
    return picked.map(({ w, d }) => {
      const gone = d.state === 'offline' || d.state === 'deregistered';
      const active = gone ? [] : (byWorker.get(w.workerId) ?? []);
      const used = gone ? 0 : Math.max(w.running, active.length);
      const out = data.outcomes.get(w.workerId);
      return {
        name: w.workerName, worker_id: w.workerId, hostname: w.hostname, pid: w.pid, version: w.version,
        state: d.state, state_reason: d.reason, state_since: d.since.toISOString(),
        queues: w.queues,
        queues_pending: w.desiredQueues !== null && !sameSet(w.desiredQueues, w.queues) && !gone ? w.desiredQueues : null,
        concurrency: w.concurrency,
        concurrency_pending: w.desiredConcurrency !== null && w.desiredConcurrency !== w.concurrency && !gone ? w.desiredConcurrency : null,
        slots_used: used,
        slots_free: gone ? 0 : Math.max(0, w.freeSlots ?? w.concurrency - used),
        active: active.map((a) => ({
          dag_id: a.dagId, run_id: a.runId, task_id: a.taskId, map_index: a.mapIndex, try_number: a.tryNumber, queue: a.queue,
          started_at: iso(a.startedAt), elapsed_ms: a.elapsedMs === null ? null : a.elapsedMs + aged, url: taskInstanceUrl(this.o.uiBaseUrl, a),
        })),
        processed: w.processed,
        outcomes: { hour: out?.hour ?? ZERO, day: out?.day ?? ZERO, all: out?.all ?? ZERO },
        load_average: w.load, cpu_percent: gone ? null : w.cpuPercent, rss_bytes: gone ? null : w.rssBytes, umask: w.umask, uid: w.uid, gid: w.gid,
        last_heartbeat: iso(w.lastHeartbeat), heartbeat_age_ms: w.heartbeatAgeMs === null ? null : Math.round(w.heartbeatAgeMs),
        started_at: w.registeredAt.toISOString(),
        controls: (data.controls.get(w.workerName) ?? []).map(controlView),
      };
    });
  }

  /** The last read if young enough, else the read in flight (of this generation), else a new one. */
  private read(maxAgeMs: number): Promise<Read> {
    if (this.last && Date.now() - this.last.at <= maxAgeMs) return Promise.resolve(this.last);
    if (this.inflight && this.inflight.generation === this.generation) return this.inflight.read;
    const generation = this.generation;
    const at = Date.now();
    const read = fleetSql.fleetSnapshot(this.o.db, CONTROLS_SHOWN).then((data) => {
      const r: Read = { at, data };
      if (generation === this.generation && (!this.last || this.last.at < at)) this.last = r;
      return r;
    }).finally(() => {
      if (this.inflight?.read === read) this.inflight = undefined;
    });
    this.inflight = { generation, read };
    return read;
  }
}
