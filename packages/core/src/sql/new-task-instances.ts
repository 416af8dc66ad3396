/**
 * The task instances a statement creates with the runs it inserts: run creation (dag-runs.ts),
 * asset-triggered runs (assets.ts) and backfills (backfills.ts) share the insert and its arrays.
 */

/** A task instance row to create with a run. */
export interface NewTaskInstance {
  taskId: string;
  operator: string;
  queue: string;
  pool: string;
  poolSlots: number;
  /** Null: no per-task limit. */
  maxActiveTisPerDag: number | null;
  /** Null: no per-task limit within a run. */
  maxActiveTisPerDagrun: number | null;
  /** The effective priority (its weight rule applied, see runs/priority-weights.ts). */
  priorityWeight: number;
  maxTries: number;
}

const COLUMNS = 'task_id, operator, queue, pool, priority_weight, max_tries, pool_slots, max_active_tis_per_dag, max_active_tis_per_dagrun';
const TYPES = ['text', 'text', 'text', 'text', 'int', 'int', 'int', 'int', 'int'];

/** The parameters newTaskInstancesCte reads for `tasks`, in its order. */
export function newTaskArrays(tasks: readonly NewTaskInstance[]): unknown[] {
  return [
    tasks.map((t) => t.taskId), tasks.map((t) => t.operator), tasks.map((t) => t.queue), tasks.map((t) => t.pool),
    tasks.map((t) => t.priorityWeight), tasks.map((t) => t.maxTries), tasks.map((t) => t.poolSlots),
    tasks.map((t) => t.maxActiveTisPerDag), tasks.map((t) => t.maxActiveTisPerDagrun),
  ];
}

/**
 * `ti AS (INSERT INTO task_instance ...)`: the task instances of the runs CTE `r` returned
 * (id, dag_id, run_id), from the arrays of newTaskArrays at parameters $first, $first+1, ...
 * Every run gets every task; or, `perRun`, two arrays come first (dag id, run id of each task's
 * run) and each run gets its own tasks.
 */
export function newTaskInstancesCte(first: number, perRun = false): string {
  const arrays = [...(perRun ? ['text', 'text'] : []), ...TYPES].map((type, i) => `$${first + i}::${type}[]`).join(', ');
  const from = perRun
    ? `unnest(${arrays}) AS t(dag_id, run_id, ${COLUMNS}) JOIN r ON r.dag_id = t.dag_id AND r.run_id = t.run_id`
    : `r, unnest(${arrays}) AS t(${COLUMNS})`;
  return `ti AS (
       INSERT INTO task_instance (dag_run_id, dag_id, run_id, ${COLUMNS})
       SELECT r.id, r.dag_id, r.run_id, ${COLUMNS.split(', ').map((c) => `t.${c}`).join(', ')}
       FROM ${from})`;
}
