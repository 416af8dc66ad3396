/**
 * Prometheus metrics (prom-client, a registry of the monitor's own): per worker
 * `updraft_worker_online`, `updraft_worker_slots{state="used|free"}`,
 * `updraft_worker_heartbeat_age_seconds`; per queue `updraft_queue_pending`,
 * `updraft_queue_oldest_queued_seconds`; histograms `updraft_task_queued_seconds` (queued to
 * started) and `updraft_task_run_seconds` by DAG and outcome; `updraft_task_events_total{event}`.
 * Gauges are read from the database at scrape time; histograms and counters follow the task feed
 * (they count from the monitor's start, as Prometheus counters do). The scheduler's own loop
 * timings, `updraft_scheduler_loop_seconds{step}` (a histogram the leading scheduler keeps since it
 * started; `tick` is the whole loop) and `updraft_scheduler_loop_age_seconds`, are read from the
 * database at scrape time too.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { schedulerLoopSql } from '@updraft/core/data';
import type { TaskEvent } from './live/task-feed.js';
import type { WorkerView } from './model/fleet.js';
import type { QueuesReport } from './model/queues.js';
import type { TaskEventName } from './model/task-events.js';
import { TaskHistogram } from './task-histogram.js';

const BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

/** The text with every sample line whose value is not a number (`Nan`, `NaN`) left out. */
export function withoutNaNSamples(text: string): string {
  return text.split('\n').filter((line) => line.startsWith('#') || !/ nan$/i.test(line)).join('\n');
}

export class MonitorMetrics {
  readonly registry = new Registry();
  private readonly online = new Gauge({ name: 'updraft_worker_online', help: '1 when the worker is live (online or busy), else 0.', labelNames: ['worker', 'state'], registers: [this.registry] });
  private readonly slots = new Gauge({ name: 'updraft_worker_slots', help: 'Task slots of the worker by state.', labelNames: ['worker', 'state'], registers: [this.registry] });
  private readonly heartbeatAge = new Gauge({ name: 'updraft_worker_heartbeat_age_seconds', help: 'Seconds since the worker\'s last heartbeat.', labelNames: ['worker'], registers: [this.registry] });
  private readonly cpu = new Gauge({ name: 'updraft_worker_cpu_percent', help: 'CPU of the worker process over its last heartbeat interval, percent of one core (its task processes not counted).', labelNames: ['worker'], registers: [this.registry] });
  private readonly rss = new Gauge({ name: 'updraft_worker_rss_bytes', help: 'Resident memory of the worker process.', labelNames: ['worker'], registers: [this.registry] });
  private readonly pending = new Gauge({ name: 'updraft_queue_pending', help: 'Task instances queued in the database and not claimed yet.', labelNames: ['queue'], registers: [this.registry] });
  private readonly brokerPending = new Gauge({ name: 'updraft_queue_broker_pending', help: 'Messages in JetStream by state (pending: not delivered; ack_pending: delivered, not acknowledged).', labelNames: ['queue', 'state'], registers: [this.registry] });
  private readonly oldest = new Gauge({ name: 'updraft_queue_oldest_queued_seconds', help: 'Age of the oldest queued, unclaimed task instance of the queue (0 when none).', labelNames: ['queue'], registers: [this.registry] });
  private readonly queued = new TaskHistogram({ name: 'updraft_task_queued_seconds', help: 'Seconds from queued to started, per try.', labelNames: ['dag_id'], buckets: BUCKETS, registry: this.registry });
  private readonly run = new TaskHistogram({ name: 'updraft_task_run_seconds', help: 'Run time of each finished try, by DAG and outcome.', labelNames: ['dag_id', 'outcome'], buckets: BUCKETS, registry: this.registry });
  private readonly events = new Counter({ name: 'updraft_task_events_total', help: 'Task events seen by the monitor since it started.', labelNames: ['event'], registers: [this.registry] });

  private readonly leader = new Gauge({ name: 'updraft_scheduler_leader', help: '1 while a scheduler holds the leader lock (a scheduler runs and leads), else 0: alert on 0, which an absent loop age cannot say.', registers: [this.registry] });
  private readonly loopAge = new Gauge({ name: 'updraft_scheduler_loop_age_seconds', help: 'Seconds since the leading scheduler last recorded its loop timings (it does every few seconds while its loop runs); absent before any scheduler ran.', labelNames: ['scheduler'], registers: [this.registry] });
  private loop: schedulerLoopSql.StoredLoopTimings[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'updraft_monitor_' });
    // A histogram whose counts come from the database: prom-client's Histogram only counts what it observes.
    const loop = (): schedulerLoopSql.StoredLoopTimings[] => this.loop;
    this.registry.registerMetric({
      name: 'updraft_scheduler_loop_seconds',
      help: 'Run time of the scheduler loop (step="tick") and of each of its steps, since the leading scheduler started.',
      type: 'histogram',
      get: () => ({
        name: 'updraft_scheduler_loop_seconds',
        help: 'Run time of the scheduler loop (step="tick") and of each of its steps, since the leading scheduler started.',
        type: 'histogram',
        aggregator: 'sum',
        values: loop().flatMap((t) => [
          ...schedulerLoopSql.SCHEDULER_LOOP_BUCKETS_S.map((le, i) => ({ metricName: 'updraft_scheduler_loop_seconds_bucket', labels: { step: t.step, scheduler: t.hostname, le }, value: t.buckets[i] ?? 0 })),
          { metricName: 'updraft_scheduler_loop_seconds_bucket', labels: { step: t.step, scheduler: t.hostname, le: '+Inf' }, value: t.runs },
          { metricName: 'updraft_scheduler_loop_seconds_sum', labels: { step: t.step, scheduler: t.hostname }, value: t.totalMs / 1000 },
          { metricName: 'updraft_scheduler_loop_seconds_count', labels: { step: t.step, scheduler: t.hostname }, value: t.runs },
        ]),
      }),
    } as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The scheduler's loop timings, and whether a scheduler leads, as of now (called at scrape time). */
  setSchedulerLoop(timings: schedulerLoopSql.StoredLoopTimings[], leaderPresent: boolean): void {
    this.leader.set(leaderPresent ? 1 : 0);
    this.loop = timings;
    this.loopAge.reset();
    const tick = timings.find((t) => t.step === 'tick');
    // Labelled, so that no tick (no scheduler ever ran) leaves no sample: an unlabelled gauge would say 0, a fresh loop.
    if (tick) this.loopAge.set({ scheduler: tick.hostname }, tick.ageMs / 1000);
  }

  /** The fleet and queues as of now (called at scrape time). */
  setFleet(workers: readonly WorkerView[], queues: QueuesReport): void {
    this.online.reset();
    this.slots.reset();
    this.heartbeatAge.reset();
    this.cpu.reset();
    this.rss.reset();
    for (const w of workers) {
      if (w.cpu_percent !== null) this.cpu.set({ worker: w.name }, w.cpu_percent);
      if (w.rss_bytes !== null) this.rss.set({ worker: w.name }, w.rss_bytes);
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

  /** Counts a page of task events (the counter once per event name, not once per event). */
  observe(events: readonly TaskEvent[]): void {
    const counts = new Map<TaskEventName, number>();
    for (const e of events) {
      counts.set(e.event, (counts.get(e.event) ?? 0) + 1);
      if (e.queuedSeconds !== undefined) this.queued.observe(e.dagId, '', e.queuedSeconds);
      if (e.runSeconds !== undefined) this.run.observe(e.dagId, e.event, e.runSeconds);
    }
    for (const [event, n] of counts) this.events.inc({ event }, n);
  }

  /**
   * The exposition, without samples that have no value yet: prom-client sets the event-loop lag
   * mean and stddev to NaN when no delay was sampled since the last scrape, and prints NaN as
   * `Nan`, which Prometheus' text format does not accept. A family without samples is valid.
   */
  async text(): Promise<string> {
    return withoutNaNSamples(await this.registry.metrics());
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
