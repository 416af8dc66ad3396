/** The fleet side of the WorkerService: registration, heartbeats, leaving, DAG file downloads. */
import { randomUUID } from 'node:crypto';
import { dagFilesSql, taskInstancesSql, tryDetailsSql, UpdraftError, workersSql, type Queryable } from '@updraft/core';
import type { DagFile, HeartbeatAnswer, Registered, WorkerHeartbeat, WorkerRegistration } from '../worker-facing.js';

export class WorkerCalls {
  constructor(private readonly db: Queryable, private readonly heartbeatIntervalMs: number) {}

  async register(req: WorkerRegistration): Promise<Registered> {
    const workerId = randomUUID();
    await workersSql.upsertWorker(this.db, workerId, req);
    return { workerId, heartbeatIntervalMs: this.heartbeatIntervalMs };
  }

  /** Records the beat; answers with the attempts the worker runs that are no longer current (kill). */
  async heartbeat(req: WorkerHeartbeat): Promise<HeartbeatAnswer> {
    const beat = await workersSql.recordHeartbeat(this.db, { ...req, running: req.running.length });
    if (beat === null) throw new UpdraftError('WORKER_NOT_FOUND', `unknown worker id '${req.workerId}': register again`);
    // The pids of running tries are recorded as they become known (a try shows where its process is).
    const [stale] = await Promise.all([taskInstancesSql.notRunning(this.db, req.running), tryDetailsSql.recordRunningPids(this.db, req.running)]);
    return { kill: stale.map((i) => req.running[i]!), drain: beat.state === 'draining', concurrency: beat.desiredConcurrency ?? 0,
      queues: beat.desiredQueues ?? [], pause: beat.paused, controls: beat.controls };
  }

  async deregister(workerId: string): Promise<void> {
    await workersSql.markWorkerOffline(this.db, workerId);
  }

  async fetchDagFile(fileHash: string): Promise<DagFile> {
    const code = await dagFilesSql.dagCode(this.db, fileHash);
    if (code === null) throw new UpdraftError('DAG_NOT_FOUND', `no DAG file with content hash '${fileHash}'`);
    return { fileloc: code.fileloc, fileHash, content: code.source };
  }
}
