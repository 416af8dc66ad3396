/**
 * Re-reads the fleet every refresh interval and tells open pages when something they show changed
 * (a worker's state, slots, attempts, queues): a worker killed with `kill -9` turns offline on
 * the page within the heartbeat timeout plus one interval, without a reload. Each tick's read is
 * also the one the API serves until the next (FleetReader's maxAgeMs).
 */
import { messageOf, type Logger } from '@updraft/core/data';
import type { FleetReader, WorkerView } from '../model/fleet.js';

export interface FleetWatchOptions {
  reader: FleetReader;
  refreshIntervalMs: number;
  onChange: (workers: WorkerView[]) => void;
  logger?: Logger;
}

const signature = (ws: readonly WorkerView[]): string =>
  JSON.stringify(ws.map((w) => [w.name, w.state, w.state_reason, w.slots_used, w.slots_free, w.concurrency, w.queues, w.active.map((a) => `${a.dag_id}/${a.run_id}/${a.task_id}/${a.map_index}/${a.try_number}`), w.controls.map((c) => `${c.id}:${c.acknowledged_at ?? ''}`)]));

export class FleetWatch {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = '';
  private closed = false;

  constructor(private readonly o: FleetWatchOptions) {}

  start(): void {
    const tick = async (): Promise<void> => {
      try {
        const workers = await this.o.reader.workers({ all: true, maxAgeMs: 0 });
        const sig = signature(workers);
        if (sig !== this.last) {
          this.last = sig;
          this.o.onChange(workers);
        }
      } catch (err) {
        this.o.logger?.warn({ err: messageOf(err) }, 'monitor: reading the fleet failed');
      }
      if (!this.closed) {
        this.timer = setTimeout(() => void tick(), this.o.refreshIntervalMs);
        this.timer.unref();
      }
    };
    void tick();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}
