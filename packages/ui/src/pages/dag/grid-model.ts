/**
 * The grid's data (GET /ui/dags/{dag_id}/grid) and the task order it is drawn in: tasks in
 * topological order (upstream first, ties by id), runs oldest left, newest right.
 */
export type { GridData, GridRun, GridTaskInstance } from '../../api/types.js';

/** What the grid and graph need of a task. */
export interface TaskNode {
  task_id: string;
  downstream_task_ids: string[];
  trigger_rule?: string;
  class_ref?: { class_name: string };
  is_setup?: boolean;
  is_teardown?: boolean;
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
import type { GridRun, GridTaskInstance } from '../../api/types.js';

export function indexCells(tis: readonly GridTaskInstance[]): Map<string, GridTaskInstance> {
  const m = new Map<string, GridTaskInstance>();
  for (const ti of tis) if (ti.map_index < 1) m.set(`${ti.dag_run_id}\0${ti.task_id}`, ti);
  return m;
}

export function runDuration(run: Pick<GridRun, 'start_date' | 'end_date'> & { duration?: number | null }, now = Date.now()): number | null {
  if (run.duration != null) return run.duration;
  if (!run.start_date) return null;
  const end = run.end_date ? new Date(run.end_date).getTime() : now;
  return Math.max(0, (end - new Date(run.start_date).getTime()) / 1000);
}
