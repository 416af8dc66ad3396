/**
 * Prometheus metrics (prom-client, a registry of the monitor's own): per worker
 * `updraft_worker_online`, `updraft_worker_slots{state="used|free"}`,
 * `updraft_worker_heartbeat_age_seconds`; per queue `updraft_queue_pending`,
 * `updraft_queue_oldest_queued_seconds`; histograms `updraft_task_queued_seconds` (queued to
 * started) and `updraft_task_run_seconds` by DAG and outcome; `updraft_task_events_total{event}`.
 * Gauges are read from the database at scrape time; histograms and counters follow the task feed
 * (they count from the monitor's start, as Prometheus counters do).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TaskEvent } from './live/task-feed.js';
import type { WorkerView } from './model/fleet.js';
import type { QueuesReport } from './model/queues.js';

const BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

export class MonitorMetrics {
  readonly registry = new Registry();
  private readonly online = new Gauge({ name: 'updraft_worker_online', help: '1 when the worker is live (online or busy), else 0.', labelNames: ['worker', 'state'], registers: [this.registry] });
  private readonly slots = new Gauge({ name: 'updraft_worker_slots', help: 'Task slots of the worker by state.', labelNames: ['worker', 'state'], registers: [this.registry] });
  private readonly heartbeatAge = new Gauge({ name: 'updraft_worker_heartbeat_age_seconds', help: 'Seconds since the worker\'s last heartbeat.', labelNames: ['worker'], registers: [this.registry] });
  private readonly pending = new Gauge({ name: 'updraft_queue_pending', help: 'Task instances queued in the database and not claimed yet.', labelNames: ['queue'], registers: [this.registry] });
  private readonly brokerPending = new Gauge({ name: 'updraft_queue_broker_pending', help: 'Messages in JetStream by state (pending: not delivered; ack_pending: delivered, not acknowledged).', labelNames: ['queue', 'state'], registers: [this.registry] });
  private readonly oldest = new Gauge({ name: 'updraft_queue_oldest_queued_seconds', help: 'Age of the oldest queued, unclaimed task instance of the queue (0 when none).', labelNames: ['queue'], registers: [this.registry] });
  private readonly queued = new Histogram({ name: 'updraft_task_queued_seconds', help: 'Seconds from queued to started, per try.', labelNames: ['dag_id'], buckets: BUCKETS, registers: [this.registry] });
  private readonly run = new Histogram({ name: 'updraft_task_run_seconds', help: 'Run time of each finished try, by DAG and outcome.', labelNames: ['dag_id', 'outcome'], buckets: BUCKETS, registers: [this.registry] });
  private readonly events = new Counter({ name: 'updraft_task_events_total', help: 'Task events seen by the monitor since it started.', labelNames: ['event'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'updraft_monitor_' });
  }

  /** The fleet and queues as of now (called at scrape time). */
  setFleet(workers: readonly WorkerView[], queues: QueuesReport): void {
    this.online.reset();
    this.slots.reset();
    this.heartbeatAge.reset();
    for (const w of workers) {
      const live = w.state === 'online' || w.state === 'busy';
      this.online.set({ worker: w.name, state: w.state }, live ? 1 : 0);
      this.slots.set({ worker: w.name, state: 'used' }, w.slots_used);
      this.slots.set({ worker: w.name, state: 'free' }, w.slots_free);
      if (w.heartbeat_age_ms !== null) this.heartbeatAge.set({ worker: w.name }, w.heartbeat_age_ms / 1000);
    }
    this.pending.reset();
    this.oldest.reset();
    this.brokerPending.reset();
    for (const q of queues.queues) {
      this.pending.set({ queue: q.name }, q.queued);
      this.oldest.set({ queue: q.name }, (q.oldest_queued_ms ?? 0) / 1000);
      if (q.broker) {
        this.brokerPending.set({ queue: q.name, state: 'pending' }, q.broker.pending);
        this.brokerPending.set({ queue: q.name, state: 'ack_pending' }, q.broker.ack_pending);
      }
    }
  }

  observe(events: readonly TaskEvent[]): void {
    for (const e of events) {
      this.events.inc({ event: e.event });
      if (e.queuedSeconds !== undefined) this.queued.observe({ dag_id: e.dagId }, e.queuedSeconds);
      if (e.runSeconds !== undefined) this.run.observe({ dag_id: e.dagId, outcome: e.event }, e.runSeconds);
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
