/**
 * A Prometheus histogram of the task feed's observations, kept by the monitor and read by the
 * registry at scrape time. prom-client's Histogram allocates on every observation (a closure and
 * the label set's hash string), which at the feed's rate under a burst (tens of thousands of events
 * a second) was about a seventh of the monitor's garbage; here an observation adds to the counts
 * of its label set, found by label value without building anything.
 */
import type { Registry } from 'prom-client';

interface Series {
  labels: Record<string, string>;
  /** Observations per bucket (not cumulative; the last is +Inf). */
  counts: number[];
  sum: number;
  count: number;
}

export class TaskHistogram {
  /** Series by first label value, then second (one level when there is one label). */
  private readonly series = new Map<string, Map<string, Series>>();

  private readonly name: string;
  private readonly labelNames: readonly [string] | readonly [string, string];
  private readonly bounds: readonly number[];

  constructor(o: { name: string; help: string; labelNames: readonly [string] | readonly [string, string]; buckets: readonly number[]; registry: Registry }) {
    this.name = o.name;
    this.labelNames = o.labelNames;
    this.bounds = o.buckets;
    const { name, help } = o;
    const collect = (): unknown => ({ name, help, type: 'histogram', aggregator: 'sum', values: this.values() });
    o.registry.registerMetric({ name, help, type: 'histogram', get: collect } as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  observe(first: string, second: string, value: number): void {
    let inner = this.series.get(first);
    if (inner === undefined) {
      inner = new Map();
      this.series.set(first, inner);
    }
    let s = inner.get(second);
    if (s === undefined) {
      const labels: Record<string, string> = { [this.labelNames[0]]: first };
      if (this.labelNames[1] !== undefined) labels[this.labelNames[1]] = second;
      s = { labels, counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 };
      inner.set(second, s);
    }
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]!) i++;
    s.counts[i]!++;
    s.sum += value;
    s.count++;
  }

  private values(): unknown[] {
    const out: unknown[] = [];
    for (const inner of this.series.values()) {
      for (const s of inner.values()) {
        let cumulative = 0;
        for (let i = 0; i < this.bounds.length; i++) {
          cumulative += s.counts[i]!;
          out.push({ metricName: `${this.name}_bucket`, labels: { ...s.labels, le: this.bounds[i] }, value: cumulative });
        }
        out.push({ metricName: `${this.name}_bucket`, labels: { ...s.labels, le: '+Inf' }, value: s.count });
        out.push({ metricName: `${this.name}_sum`, labels: s.labels, value: s.sum });
        out.push({ metricName: `${this.name}_count`, labels: s.labels, value: s.count });
      }
    }
    return out;
  }
}
