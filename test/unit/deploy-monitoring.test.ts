/** deploy/grafana/updraft-fleet.json and deploy/prometheus/updraft-alerts.yml: well-formed, and every metric they use is one the monitor exports. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../harness/index.js';

const read = (...p: string[]): string => readFileSync(join(REPO_ROOT, ...p), 'utf8');
/** Metric names the monitor registers (packages/monitor/src/metrics.ts), with the series Prometheus derives from them. */
const exported = new Set([...read('packages', 'monitor', 'src', 'metrics.ts').matchAll(/name: '(updraft_[a-z_]+)'/g)].flatMap((m) => [m[1]!, `${m[1]}_bucket`, `${m[1]}_count`, `${m[1]}_sum`]));
const metricsIn = (expr: string): string[] => [...expr.matchAll(/\b(updraft_[a-z_]+)/g)].map((m) => m[1]!);

describe('monitoring files', () => {
  it('the monitor exports the metrics the issue names', () => {
    for (const m of ['updraft_worker_online', 'updraft_worker_slots', 'updraft_worker_heartbeat_age_seconds', 'updraft_queue_pending', 'updraft_queue_oldest_queued_seconds', 'updraft_task_queued_seconds', 'updraft_task_run_seconds', 'updraft_task_events_total']) {
      expect(exported.has(m), m).toBe(true);
    }
  });

  it('the alert rules parse and use only exported metrics', () => {
    const doc = parse(read('deploy', 'prometheus', 'updraft-alerts.yml')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
    const rules = doc.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['UpdraftWorkerDown', 'UpdraftQueueStuck', 'UpdraftZombiesRising']));
    for (const r of rules) {
      expect(metricsIn(r.expr).length, r.alert).toBeGreaterThan(0);
      expect(metricsIn(r.expr).filter((m) => !exported.has(m)), r.alert).toEqual([]);
    }
  });

  it('the Grafana dashboard parses and its queries use only exported metrics', () => {
    const dash = JSON.parse(read('deploy', 'grafana', 'updraft-fleet.json')) as { uid: string; panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    expect(dash.uid).toBe('updraft-fleet');
    expect(dash.panels.length).toBeGreaterThan(5);
    for (const p of dash.panels) {
      for (const t of p.targets) expect(metricsIn(t.expr).filter((m) => !exported.has(m)), p.title).toEqual([]);
    }
  });
});
