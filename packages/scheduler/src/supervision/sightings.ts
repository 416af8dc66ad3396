/**
 * Task heartbeats: when each running attempt was last listed in its worker's heartbeat. A worker
 * that is alive but stopped listing an attempt (its task process vanished, the claim answer was
 * lost, ...) leaves that attempt a zombie. Kept in memory: after a scheduler restart the watch
 * (see watch.ts) waits a full timeout before judging, and every attempt starts as "just seen".
 */
import type { HeartbeatAnswer, WorkerFacingEngine, WorkerHeartbeat } from '../worker-facing.js';

export class AttemptSightings {
  /** attempt token -> when a heartbeat last listed it (or supervision first saw it running). */
  private readonly lastSeen = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** A heartbeat the scheduler accepted listed these attempts (minus the ones it answered `kill` for). */
  heartbeat(req: WorkerHeartbeat, res: HeartbeatAnswer): void {
    const killed = new Set(res.kill.map((a) => a.attemptToken.toLowerCase()));
    const t = this.now();
    for (const a of req.running) {
      const token = a.attemptToken.toLowerCase();
      if (!killed.has(token)) this.lastSeen.set(token, t);
    }
  }

  /**
   * When the attempt was last seen alive; an attempt seen for the first time counts as seen now
   * (claims are recent, and after a restart every attempt gets a full timeout).
   */
  lastSeenAt(token: string): number {
    const key = token.toLowerCase();
    let t = this.lastSeen.get(key);
    if (t === undefined) {
      t = this.now();
      this.lastSeen.set(key, t);
    }
    return t;
  }

  /** Forgets attempts that are no longer running. */
  retain(runningTokens: ReadonlySet<string>): void {
    for (const token of this.lastSeen.keys()) if (!runningTokens.has(token)) this.lastSeen.delete(token);
  }

  get size(): number {
    return this.lastSeen.size;
  }
}

/** The engine as the WorkerService sees it, with every accepted heartbeat shown to `sightings`. */
export function observeHeartbeats(engine: WorkerFacingEngine, sightings: AttemptSightings): WorkerFacingEngine {
  return {
    registerWorker: (req) => engine.registerWorker(req),
    heartbeat: async (req) => {
      const res = await engine.heartbeat(req);
      sightings.heartbeat(req, res);
      return res;
    },
    claimTask: (req) => engine.claimTask(req),
    reportTaskResult: (req) => engine.reportTaskResult(req),
    deregisterWorker: (req) => engine.deregisterWorker(req),
    fetchDagFile: (req) => engine.fetchDagFile(req),
    fetchBundle: (req) => engine.fetchBundle(req),
    getConnection: (req) => engine.getConnection(req),
    getVariable: (req) => engine.getVariable(req),
    getXCom: (req) => engine.getXCom(req),
    pushXCom: (req) => engine.pushXCom(req),
  };
}
