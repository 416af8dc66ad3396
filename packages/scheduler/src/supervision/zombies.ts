/**
 * Worker liveness and zombies. Each run:
 *  1. workers silent longer than the heartbeat timeout are marked offline (one UPDATE);
 *  2. every running attempt is checked: its worker is offline or no longer registered (it
 *     restarted under a new id), or its live worker has not listed it in heartbeats for the
 *     timeout: the attempt is a zombie;
 *  3. each zombie is ended through the engine's attempt-ending path (the same compare-and-set as a
 *     reported failure, so the retry policy applies and downstream tasks are evaluated at once),
 *     with the reason stored on the task instance and its try row.
 * A late report of a zombie is then refused by token, and the worker's next heartbeat gets the
 * attempt in its `kill` list, so the worker kills that task's process tree.
 */
import { attemptsSql, isUpdraftError, keyText, workersSql, type AttemptRef } from '@updraft/core';

type RunningAttemptRow = attemptsSql.RunningAttemptRow;
type SilentWorker = workersSql.SilentWorker;
import type { ResolvedSupervisionOptions } from './options.js';
import { seconds } from './options.js';
import type { AttemptSightings } from './sightings.js';

const tryText = (a: AttemptRef): string => `${keyText(a)} try ${a.tryNumber}`;

const at = (d: Date | null): string => (d === null ? 'never' : d.toISOString());

/** Why a running attempt is a zombie, or null when it is not (yet). */
export function zombieReason(a: RunningAttemptRow, silentWorkers: ReadonlyMap<string, SilentWorker>, unlistedMs: number, timeoutMs: number): string | null {
  if (a.workerId === null) {
    return 'zombie: the scheduler took this attempt to end it (requeue budget spent) but stopped before it could; ended now';
  }
  const silent = silentWorkers.get(a.workerId);
  if (silent !== undefined) {
    return `zombie: worker ${silent.workerName} on ${silent.hostname} missed heartbeats for ${seconds(silent.silentMs)} ` +
      `(last heartbeat at ${at(silent.lastHeartbeat)})`;
  }
  const w = a.worker;
  if (w === null) {
    return `zombie: worker id ${a.workerId} on ${a.hostname ?? 'an unknown host'} is no longer registered ` +
      '(the worker restarted or registered again; its tasks of before are gone)';
  }
  if (w.state === 'offline') {
    return `zombie: worker ${w.name} on ${w.hostname} is offline` +
      (w.silentMs === null ? '' : `; it missed heartbeats for ${seconds(w.silentMs)}`) + ` (last heartbeat at ${at(w.lastHeartbeat)})`;
  }
  if (unlistedMs > timeoutMs) {
    return `zombie: worker ${w.name} on ${w.hostname} is alive but has not reported this task in its heartbeats for ` +
      `${seconds(unlistedMs)} (the task stopped heartbeating)`;
  }
  return null;
}

export class ZombieCheck {
  constructor(
    private readonly o: ResolvedSupervisionOptions,
    private readonly sightings: AttemptSightings,
  ) {}

  /** One pass; `judge` false (the watch is too young) only refreshes what has been seen. Returns zombies ended. */
  async run(judge: boolean): Promise<number> {
    const { pool, logger, workerHeartbeatTimeoutMs: timeout } = this.o;
    const silent = new Map<string, SilentWorker>();
    if (judge) {
      for (const w of await workersSql.markSilentWorkersOffline(pool, timeout)) {
        silent.set(w.workerId, w);
        logger.warn({ worker: w.workerName, host: w.hostname, silentMs: Math.round(w.silentMs), lastHeartbeat: w.lastHeartbeat },
          'worker missed heartbeats: marked offline');
      }
    }
    const running = await attemptsSql.runningAttempts(pool, this.o.batchSize);
    this.sightings.retain(new Set(running.map((a) => a.attemptToken.toLowerCase())));
    if (!judge) {
      for (const a of running) this.sightings.lastSeenAt(a.attemptToken);
      return 0;
    }
    const now = this.o.now();
    let ended = 0;
    for (const a of running) {
      const reason = zombieReason(a, silent, now - this.sightings.lastSeenAt(a.attemptToken), timeout);
      if (reason === null) continue;
      if (await this.end(a, reason)) ended++;
    }
    return ended;
  }

  private async end(a: RunningAttemptRow, reason: string): Promise<boolean> {
    try {
      const state = await this.o.endAttempt(a, { success: false, exitCode: null, error: reason, durationMs: null, returnValueJson: null });
      this.o.logger.warn({ task: tryText(a), worker: a.worker?.name ?? a.workerId, state, reason }, 'zombie task ended');
      return true;
    } catch (err) {
      // Its worker's report won the race (or the run is gone): nothing to do.
      if (isUpdraftError(err, 'STALE_ATTEMPT') || isUpdraftError(err, 'TASK_NOT_FOUND')) return false;
      // Still running in the database: the next run tries again.
      this.o.logger.error({ err, task: tryText(a) }, 'ending a zombie task failed; retrying on the next supervision run');
      return false;
    }
  }
}
