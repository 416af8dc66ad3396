/**
 * The one-line summary that `npm run bench -- chain-40 throughput` prints last:
 *   chain40_10ms_ms=… chain40_noop_ms=… hop_p50_ms=… hop_p99_ms=… tasks_per_s=… cpu_ms_per_task=…
 * Benches record their part here; run.ts prints the line after all benches, with the keys that
 * were recorded (so `-- chain-40` alone prints its four).
 */
const ORDER = ['chain40_10ms_ms', 'chain40_noop_ms', 'hop_p50_ms', 'hop_p99_ms', 'tasks_per_s', 'cpu_ms_per_task'] as const;

export type SummaryKey = (typeof ORDER)[number];

const recorded = new Map<SummaryKey, number>();

export function recordSummary(figures: Partial<Record<SummaryKey, number>>): void {
  for (const [key, value] of Object.entries(figures) as Array<[SummaryKey, number]>) recorded.set(key, value);
}

/** The summary line, or undefined when no bench recorded a figure. */
export function summaryLine(): string | undefined {
  const keys = ORDER.filter((k) => recorded.has(k));
  if (keys.length === 0) return undefined;
  const fmt = (k: SummaryKey, v: number): string => (k === 'tasks_per_s' ? v.toFixed(0) : v.toFixed(k === 'cpu_ms_per_task' ? 2 : 1));
  return keys.map((k) => `${k}=${fmt(k, recorded.get(k)!)}`).join(' ');
}
