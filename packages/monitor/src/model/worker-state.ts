/**
 * A worker's state as people read it, from its registry row and the database's clock: online,
 * busy (all slots used), draining (drained from the monitor and still finishing tasks, or asked to
 * shut down), paused (drained, nothing running, takes no new task until resumed), offline (with
 * the reason and since when) or deregistered. A
 * worker whose heartbeat is older than the heartbeat timeout is offline at once, whether or not
 * the scheduler's supervision has marked it yet.
 */
import type { fleetSql } from '@updraft/core/data';

export type WorkerState = 'online' | 'busy' | 'draining' | 'paused' | 'offline' | 'deregistered';

export interface DerivedState {
  state: WorkerState;
  /** Why, in words (null for a plain online worker). */
  reason: string | null;
  /** Since when it is in this state. */
  since: Date;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function deriveWorkerState(w: fleetSql.FleetWorker, heartbeatTimeoutMs: number): DerivedState {
  if (w.state === 'offline') {
    if (w.stateReason === 'deregistered') return { state: 'deregistered', reason: 'left the fleet (deregistered)', since: w.stateSince };
    return { state: 'offline', reason: w.stateReason ?? 'marked offline', since: w.stateSince };
  }
  if (w.heartbeatAgeMs === null || w.heartbeatAgeMs > heartbeatTimeoutMs) {
    const reason = w.heartbeatAgeMs === null ? 'never sent a heartbeat'
      : `no heartbeat for ${seconds(w.heartbeatAgeMs)} (timeout ${seconds(heartbeatTimeoutMs)})`;
    return { state: 'offline', reason, since: w.lastHeartbeat ?? w.registeredAt };
  }
  if (w.state === 'draining') return { state: 'draining', reason: `${w.stateReason ?? 'shutdown requested'}: finishes its running tasks, then leaves`, since: w.stateSince };
  if (w.pausedSince !== null) {
    const asked = w.pausedReason ?? 'drained';
    const ack = w.pausedReported ? '' : ' (not acknowledged yet)';
    if (w.running > 0) return { state: 'draining', reason: `${asked}: finishing ${w.running} running task(s), taking no new one${ack}`, since: w.pausedSince };
    return { state: 'paused', reason: `${asked}: takes no new task until resumed${ack}`, since: w.pausedSince };
  }
  if ((w.freeSlots ?? 0) <= 0 && w.concurrency > 0) {
    return { state: 'busy', reason: `all ${w.concurrency} slots used`, since: w.stateSince };
  }
  return { state: 'online', reason: null, since: w.stateSince };
}

/** Live: takes tasks (online or busy). */
export const isLive = (s: WorkerState): boolean => s === 'online' || s === 'busy';
