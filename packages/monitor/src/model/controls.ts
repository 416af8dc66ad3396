/**
 * Recording a remote control (after the change it stands for is in the database) and waking its
 * worker, so it heartbeats at once, applies the control and acknowledges it: within a second
 * rather than at its next heartbeat. The wake-up is best effort; the database stays the truth.
 */
import { workerControlsSql } from '@updraft/core/data';
import type { MonitorContext } from '../context.js';

/** A control as the API and pages show it: requested (who, when) -> acknowledged (when). */
export interface ControlView {
  id: number;
  action: workerControlsSql.WorkerControlAction;
  detail: string | null;
  requested_by: string;
  requested_at: string;
  /** When the worker applied it (null: not yet). */
  acknowledged_at: string | null;
}

export const controlView = (c: workerControlsSql.WorkerControl): ControlView => ({
  id: c.id, action: c.action, detail: c.detail, requested_by: c.requestedBy, requested_at: c.requestedAt.toISOString(),
  acknowledged_at: c.acknowledgedAt?.toISOString() ?? null,
});

/** Records the control and wakes its worker; null when the worker is not registered. */
export async function recordControl(ctx: MonitorContext, c: workerControlsSql.NewWorkerControl): Promise<ControlView | null> {
  const [recorded] = await workerControlsSql.recordControls(ctx.db, [c]);
  if (recorded === undefined) return null;
  ctx.reader.invalidate();
  ctx.options.wake?.wake(recorded.workerId);
  ctx.hub.publish('workers');
  return controlView(recorded);
}
