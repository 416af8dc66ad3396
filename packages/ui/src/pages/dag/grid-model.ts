/**
 * The grid's data (GET /ui/dags/{dag_id}/grid) and the task order it is drawn in: tasks in
 * topological order (upstream first, ties by id), runs oldest left, newest right.
 */
export interface GridRun {
  dag_run_id: string;
  state: string;
  run_type: string;
  logical_date: string;
  data_interval_start: string | null;
  data_interval_end: string | null;
  queued_at: string | null;
  start_date: string | null;
  end_date: string | null;
  duration: number | null;
}

export interface GridTaskInstance {
  dag_run_id: string;
  task_id: string;
  map_index: number;
  state: string | null;
  try_number: number;
  max_tries: number;
  queued_at: string | null;
  start_date: string | null;
  end_date: string | null;
  duration: number | null;
  hostname: string | null;
  worker: string | null;
}

export interface GridData {
  dag_runs: GridRun[];
  task_instances: GridTaskInstance[];
}

export interface TaskNode {
  task_id: string;
  downstream_task_ids: string[];
  trigger_rule?: string;
  operator?: string;
}

/** Kahn's algorithm; a task in a cycle (never from a valid DAG) is appended at the end. */
export function topologicalOrder(tasks: readonly TaskNode[]): string[] {
  const indegree = new Map(tasks.map((t) => [t.task_id, 0]));
  for (const t of tasks) for (const d of t.downstream_task_ids) if (indegree.has(d)) indegree.set(d, (indegree.get(d) ?? 0) + 1);
  const byId = new Map(tasks.map((t) => [t.task_id, t]));
  const ready = [...indegree].filter(([, n]) => n === 0).map(([id]) => id).sort();
  const out: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    out.push(id);
    const next: string[] = [];
    for (const d of byId.get(id)?.downstream_task_ids ?? []) {
      const n = (indegree.get(d) ?? 0) - 1;
      indegree.set(d, n);
      if (n === 0) next.push(d);
    }
    ready.push(...next);
    ready.sort();
  }
  for (const t of tasks) if (!out.includes(t.task_id)) out.push(t.task_id);
  return out;
}

/** Cells by "run\0task" for O(1) lookup while drawing. */
export function indexCells(tis: readonly GridTaskInstance[]): Map<string, GridTaskInstance> {
  const m = new Map<string, GridTaskInstance>();
  for (const ti of tis) if (ti.map_index < 1) m.set(`${ti.dag_run_id}\0${ti.task_id}`, ti);
  return m;
}

export function runDuration(run: GridRun, now = Date.now()): number | null {
  if (run.duration != null) return run.duration;
  if (!run.start_date) return null;
  const end = run.end_date ? new Date(run.end_date).getTime() : now;
  return Math.max(0, (end - new Date(run.start_date).getTime()) / 1000);
}
