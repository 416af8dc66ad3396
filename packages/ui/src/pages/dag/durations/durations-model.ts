/**
 * The durations chart's data (Airflow's Task Duration view): for each task, its duration in each
 * of the grid's runs, oldest run first (a mapped task: its longest instance), with the runs' own
 * durations, and a y axis of round ticks in a unit that suits the longest.
 */
import type { GridData } from '../../../api/types.js';

export interface DurationPoint {
  runId: string;
  /** Index of the run on the x axis (0 = oldest shown). */
  x: number;
  seconds: number;
}

export interface DurationSeries {
  taskId: string;
  points: DurationPoint[];
}

export interface DurationsModel {
  /** Oldest first. */
  runs: Array<{ runId: string; logicalDate: string; seconds: number | null }>;
  series: DurationSeries[];
  maxSeconds: number;
}

export function durationsModel(grid: GridData, taskOrder: readonly string[]): DurationsModel {
  const runs = [...grid.dag_runs].reverse();
  const x = new Map(runs.map((r, i) => [r.dag_run_id, i]));
  const longest = new Map<string, number>();
  for (const ti of grid.task_instances) {
    if (ti.duration == null || !x.has(ti.dag_run_id)) continue;
    const key = `${ti.task_id}\0${ti.dag_run_id}`;
    longest.set(key, Math.max(longest.get(key) ?? 0, ti.duration));
  }
  const series = taskOrder.map((taskId) => ({
    taskId,
    points: runs.flatMap((r, i) => {
      const s = longest.get(`${taskId}\0${r.dag_run_id}`);
      return s === undefined ? [] : [{ runId: r.dag_run_id, x: i, seconds: s }];
    }),
  })).filter((s) => s.points.length > 0);
  const runSeconds = runs.map((r) => r.duration ?? null);
  const maxSeconds = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.seconds)), ...runSeconds.filter((s): s is number => s !== null));
  return { runs: runs.map((r, i) => ({ runId: r.dag_run_id, logicalDate: r.logical_date, seconds: runSeconds[i] ?? null })), series, maxSeconds };
}

/** The y axis: a unit for the longest duration and 4 to 6 round ticks from 0 up to at least it. */
export function durationAxis(maxSeconds: number): { unit: string; perUnit: number; ticks: number[]; top: number } {
  const [unit, perUnit] = maxSeconds >= 7200 ? ['h', 3600] as const : maxSeconds >= 120 ? ['min', 60] as const : maxSeconds >= 1 ? ['s', 1] as const : ['ms', 0.001] as const;
  const max = Math.max(maxSeconds / perUnit, 1e-9);
  const rough = max / 4;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= rough)!;
  const count = Math.max(1, Math.ceil(max / step));
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
  return { unit, perUnit, ticks, top: ticks.at(-1)! };
}
