/**
 * Effective priority weights (Airflow's priority_weight_total): what orders ready task instances
 * when slots are scarce. A task's weight rule says whose weights it adds to its own:
 * 'downstream' (default) every task downstream of it, 'upstream' every task upstream of it,
 * 'absolute' none. Each related task counts once, whatever the number of paths to it. Pure.
 */
import type { SerializedTask } from '@updraft/sdk';

const INT32_MAX = 2_147_483_647;
const INT32_MIN = -2_147_483_648;
const clamp = (n: number): number => Math.min(INT32_MAX, Math.max(INT32_MIN, n));

type Tasks = readonly Pick<SerializedTask, 'taskId' | 'upstream' | 'downstream' | 'priorityWeight' | 'weightRule'>[];

/** Computed once per task list (a DAG version is planned many times). */
const cache = new WeakMap<Tasks, Map<string, number>>();

/** Every task reachable from `start` along `next` (not `start` itself). */
function reachable(start: string, next: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...next(start)];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...next(id));
  }
  return seen;
}

/** The effective priority of every task of a DAG, by task id. */
export function priorityWeights(tasks: Tasks): Map<string, number> {
  const cached = cache.get(tasks);
  if (cached !== undefined) return cached;
  const byId = new Map(tasks.map((t) => [t.taskId, t]));
  const own = (id: string): number => byId.get(id)?.priorityWeight ?? 0;
  const weights = new Map<string, number>();
  for (const t of tasks) {
    const rule = t.weightRule ?? 'downstream';
    const edges = rule === 'downstream' ? t.downstream : rule === 'upstream' ? t.upstream : [];
    if (edges.length === 0) {
      weights.set(t.taskId, clamp(t.priorityWeight));
      continue;
    }
    const related = reachable(t.taskId, (id) => (rule === 'downstream' ? byId.get(id)?.downstream : byId.get(id)?.upstream) ?? []);
    let sum = t.priorityWeight;
    for (const id of related) sum += own(id);
    weights.set(t.taskId, clamp(sum));
  }
  cache.set(tasks, weights);
  return weights;
}
