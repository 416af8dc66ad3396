/**
 * A run's Gantt from its tries (GET /ui/dags/{dag}/dagRuns/{run}/gantt): per task, each try as a
 * queued segment (queued -> started) and a running segment (started -> ended), on one time axis.
 * An open segment (still queued, still running) ends at `now`, so the chart grows while it runs.
 */
import type { Ok } from '../../../api/client.js';

export type GanttTry = Ok<'/ui/dags/{dag_id}/dagRuns/{dag_run_id}/gantt'>['tries'][number];

export interface GanttSegment {
  taskId: string;
  mapIndex: number;
  tryNumber: number;
  /** queued: waiting for a worker; running: on a worker. */
  kind: 'queued' | 'running';
  /** The try's state (the running segment's colour). */
  state: string | null;
  worker: string | null;
  start: number;
  end: number;
  /** Still going: its end is `now`. */
  open: boolean;
}

export interface GanttModel {
  /** Rows in task order; a mapped task's instances share its row. */
  rows: { taskId: string; segments: GanttSegment[] }[];
  start: number;
  end: number;
  /** Whether anything is still queued or running (the chart must keep moving). */
  live: boolean;
}

const ms = (iso: string | null): number | null => (iso ? new Date(iso).getTime() : null);

/** A try ended without a start (requeued, failed while queued): its wait ended then. */
function segmentsOf(t: GanttTry, now: number): GanttSegment[] {
  const queued = ms(t.queued_at);
  const started = ms(t.start_date);
  const ended = ms(t.end_date);
  const base = { taskId: t.task_id, mapIndex: t.map_index, tryNumber: t.try_number, state: t.state, worker: t.worker };
  const out: GanttSegment[] = [];
  if (queued !== null) {
    const waitEnd = started ?? ended ?? now;
    out.push({ ...base, kind: 'queued', start: queued, end: Math.max(queued, waitEnd), open: started === null && ended === null });
  }
  if (started !== null) out.push({ ...base, kind: 'running', start: started, end: Math.max(started, ended ?? now), open: ended === null });
  return out;
}

export function ganttModel(tries: readonly GanttTry[], taskOrder: readonly string[], now: number): GanttModel {
  const byTask = new Map<string, GanttSegment[]>();
  for (const t of tries) {
    const list = byTask.get(t.task_id) ?? [];
    list.push(...segmentsOf(t, now));
    byTask.set(t.task_id, list);
  }
  // Tasks the DAG no longer has (removed) still show, after the known ones.
  const order = [...taskOrder, ...[...byTask.keys()].filter((id) => !taskOrder.includes(id)).sort()];
  const rows = order.map((taskId) => ({ taskId, segments: byTask.get(taskId) ?? [] }));
  const all = rows.flatMap((r) => r.segments);
  const start = all.length ? Math.min(...all.map((s) => s.start)) : now;
  const end = all.length ? Math.max(...all.map((s) => s.end)) : now;
  return { rows, start, end: Math.max(end, start + 1000), live: all.some((s) => s.open) };
}

/** About `count` round tick times (1, 2, 5 x 10^n seconds apart) between start and end. */
export function ticks(start: number, end: number, count = 8): number[] {
  const span = Math.max(1, end - start);
  const raw = span / count;
  const steps = [100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];
  const step = steps.find((s) => s >= raw) ?? steps[steps.length - 1]!;
  const out: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) out.push(t);
  return out;
}
